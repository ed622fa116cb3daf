"""``grant_type=client_credentials`` (RFC 6749 §4.4): a token for the client itself."""

from authlib.oauth2.rfc6749 import grants

from .base import Grant


class ClientCredentialsGrant(Grant, grants.ClientCredentialsGrant):
    #: RFC 6749 §4.4: "The client credentials grant type MUST only be used by confidential
    #: clients", so ``none`` is not accepted here.
    TOKEN_ENDPOINT_AUTH_METHODS = [m for m in Grant.TOKEN_ENDPOINT_AUTH_METHODS if m != "none"]

    def create_token_response(self):
        """RFC 6749 §3.3: with no ``scope`` parameter, the client's registered scopes are
        the "pre-defined default value"."""
        scope = self.request.payload.scope or self.request.client.get("scope") or ""
        token = self.generate_token(scope=scope, include_refresh_token=False)
        self.save_token(token)
        return 200, token, self.TOKEN_RESPONSE_HEADER
