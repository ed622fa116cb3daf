"""Response types that return more than a code, or nothing at all, from the authorization
endpoint: ``token`` (RFC 6749 §4.2), ``id_token`` and ``id_token token`` (OpenID Connect
Core §3.2, implicit), ``code id_token``, ``code token``, ``code id_token token`` (§3.3,
hybrid) and ``none`` (OAuth 2.0 Multiple Response Type Encoding Practices §4).

Codes issued here are redeemed by the authorization_code grant like any other.
https://openid.net/specs/oauth-v2-multiple-response-types-1_0.html
"""

from __future__ import annotations

from authlib.common.security import generate_token
from authlib.common.urls import add_params_to_uri
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import InvalidRequestError, InvalidScopeError
from authlib.oauth2.rfc6749.grants import AuthorizationEndpointMixin
from authlib.oauth2.rfc6749.grants.authorization_code import (
    validate_code_authorization_request,
)

from ..token_context import context_of
from ..tokens import create_id_token
from .authorization_code import save_code, validate_redirect_uri
from .base import Grant

RESPONSE_TYPES = ("code id_token", "code token", "code id_token token", "id_token",
                  "id_token token", "token", "none")


class FrontChannelGrant(Grant, AuthorizationEndpointMixin):
    RESPONSE_TYPES = set(RESPONSE_TYPES)
    #: Errors of these response types travel in the fragment.
    ERROR_RESPONSE_FRAGMENT = True
    validate_authorization_redirect_uri = staticmethod(validate_redirect_uri)

    @property
    def types(self) -> set[str]:
        return set(self.request.payload.response_type.split())

    def validate_authorization_request(self) -> str:
        """Validated once, as ``AuthorizationCodeGrant.validate_authorization_request``."""
        if self.redirect_uri is not None:
            return self.redirect_uri
        redirect_uri = validate_code_authorization_request(self)
        scopes = (self.request.scope or "").split()
        if "code" not in self.types and "offline_access" in scopes:
            # OIDC Core §11: "The OP MUST ignore the offline_access request unless the
            # Client is using a response_type value that would result in an Authorization
            # Code being returned".
            scopes.remove("offline_access")
            self.request.scope = " ".join(scopes)
        try:
            if "id_token" in self.types and "openid" not in scopes:
                raise InvalidScopeError("The 'id_token' response type needs the 'openid' scope.")
            # OIDC Core §3.2.2.1 / §3.3.2.11: nonce is REQUIRED when the authorization
            # endpoint returns an ID token.
            if "id_token" in self.types and not self.request.payload.data.get("nonce"):
                raise InvalidRequestError("Missing 'nonce' in request.")
        except (InvalidRequestError, InvalidScopeError) as error:
            error.redirect_uri = redirect_uri
            raise
        return redirect_uri

    def create_authorization_response(self, redirect_uri: str, grant_user):
        """Multiple Response Types §3: every requested artefact in one response."""
        request = self.request
        request.user = grant_user
        params: list[tuple[str, str]] = []
        code = access_token = None
        if "code" in self.types:
            code = generate_token(48)
            save_code(code, request)
            params.append(("code", code))
        if "token" in self.types:
            token = self.generate_token(user=grant_user, scope=request.scope,
                                        include_refresh_token=False)
            self.save_token(token)
            access_token = token["access_token"]
            params += [(k, str(v)) for k, v in token.items()]
        if "id_token" in self.types:
            try:
                params.append(("id_token", create_id_token(
                    request.client, grant_user, request.scope or "",
                    access_token=access_token, code=code,
                    **context_of(request).id_token_facts(),
                )))
            except OAuth2Error as error:  # e.g. the client's encryption key cannot be had
                error.redirect_uri, error.redirect_fragment = redirect_uri, True
                raise
        if request.payload.state:
            params.append(("state", request.payload.state))
        return 302, "", [("Location", add_params_to_uri(redirect_uri, params, fragment=True))]
