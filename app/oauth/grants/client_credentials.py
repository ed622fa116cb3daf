"""``grant_type=client_credentials`` (RFC 6749 §4.4): a token for the client itself."""

from authlib.oauth2.rfc6749 import grants

from ..server import TOKEN_ENDPOINT_AUTH_METHODS


class ClientCredentialsGrant(grants.ClientCredentialsGrant):
    #: RFC 6749 §4.4: "The client credentials grant type MUST only be used by confidential
    #: clients", so ``none`` is not accepted here.
    TOKEN_ENDPOINT_AUTH_METHODS = [m for m in TOKEN_ENDPOINT_AUTH_METHODS if m != "none"]
