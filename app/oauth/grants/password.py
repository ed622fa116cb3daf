"""``grant_type=password`` (RFC 6749 §4.3). Off unless a client lists it in its
``grant_types`` (RFC 9700 §2.4: it "MUST NOT be used"; kept for legacy apps under test)."""

from authlib.oauth2.rfc6749 import grants
from flask import current_app

from ..server import TOKEN_ENDPOINT_AUTH_METHODS


class PasswordGrant(grants.ResourceOwnerPasswordCredentialsGrant):
    #: Client authentication methods accepted at the token endpoint.
    TOKEN_ENDPOINT_AUTH_METHODS = TOKEN_ENDPOINT_AUTH_METHODS

    def authenticate_user(self, username: str, password: str):
        return current_app.store.authenticate_user(username, password)

    def validate_requested_scope(self):
        """RFC 6749 §3.3: each requested scope must be one the client registered."""
        self.request.client.get_allowed_scope(self.request.payload.scope)
