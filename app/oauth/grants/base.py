"""The steps every grant shares (as dex's ``server/grants`` shares them): how clients
authenticate at the token endpoint, which scopes a client may request, who the user of a
stored code or token is, and tokens generated with the request's ``TokenContext``. A grant
module declares what it adds to these, not what it repeats.

RFC 6749 §2.3 (client authentication), §3.3 (access token scope):
https://www.rfc-editor.org/rfc/rfc6749
"""

from __future__ import annotations

from authlib.oauth2.rfc6749.grants import BaseGrant
from flask import current_app

from ...store import NotFound
from ..server import TOKEN_ENDPOINT_AUTH_METHODS
from ..token_context import context_of


class Grant(BaseGrant):
    """Mixed in first: ``class XGrant(Grant, grants.XGrant)``."""

    #: Client authentication methods accepted at the token endpoint.
    TOKEN_ENDPOINT_AUTH_METHODS = TOKEN_ENDPOINT_AUTH_METHODS

    def authenticate_token_endpoint_client(self):
        """§2.3: the authenticated client, on the request from here on (Authlib sets it
        there only after the grant's own checks, which may need it)."""
        client = super().authenticate_token_endpoint_client()
        self.request.client = client
        return client

    def validate_requested_scope(self):
        """§3.3: each requested scope must be one the client registered; with no ``scope``
        parameter there is nothing to refuse (the grant picks the default)."""
        self.request.client.get_allowed_scope(self.request.payload.scope)

    def authenticate_user(self, credential):
        """The user a stored code or refresh token (``credential.record``) was issued to;
        None when that user is gone, which Authlib answers with invalid_grant."""
        try:
            return current_app.store.get_user_by_sub(credential.record.sub)
        except NotFound:
            return None

    def generate_token(self, user=None, scope=None, grant_type=None, expires_in=None,
                       include_refresh_token=True):
        """Authlib's, with what the token knows of this grant (``request.token_context``)."""
        return self.server.generate_token(
            self.GRANT_TYPE if grant_type is None else grant_type, self.request.client,
            user=user, scope=scope, expires_in=expires_in,
            include_refresh_token=include_refresh_token, context=context_of(self.request))
