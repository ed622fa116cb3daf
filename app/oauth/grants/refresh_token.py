"""``grant_type=refresh_token`` (RFC 6749 §6) with rotation.

RFC 9700 §4.14.2: with refresh token rotation, "If a refresh token is compromised and
subsequently used by both the attacker and the legitimate client, one of them will present
an invalidated refresh token, which will inform the authorization server of the breach"; the
whole family is then revoked. https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2
"""

from __future__ import annotations

import time

from authlib.oauth2.rfc6749 import InvalidGrantError, grants
from flask import current_app

from ...events import emit
from ...store import NotFound
from ...store.records import TokenRecord
from ..token_context import TokenContext
from .base import Grant


class RefreshToken:
    """A stored refresh token as Authlib's TokenMixin reads it."""

    def __init__(self, raw: str, record: TokenRecord):
        self.raw = raw
        self.record = record

    def check_client(self, client) -> bool:
        return client.client_id == self.record.client_id

    def get_scope(self) -> str:
        return self.record.scope

    def get_expires_in(self) -> int:
        return int(self.record.expires_at - self.record.created_at)

    def is_expired(self) -> bool:
        return self.record.expires_at <= time.time()

    def is_revoked(self) -> bool:
        return self.record.revoked_at is not None


class RefreshTokenGrant(Grant, grants.RefreshTokenGrant):
    #: Rotation: every refresh returns a new refresh token and invalidates the old one.
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, refresh_token: str):
        store = current_app.store
        try:
            record = store.get_token(refresh_token)
        except NotFound:
            return None
        if record.kind != "refresh" or record.expires_at <= time.time():
            return None
        if record.revoked_at is not None:
            self.revoke_family(record, "refresh_token.reused")
            return None
        return RefreshToken(refresh_token, record)

    def _validate_request_token(self, client):
        """RFC 6749 §5.2 invalid_grant, with a description naming the parameter."""
        try:
            return super()._validate_request_token(client)
        except InvalidGrantError as error:
            error.description = error.description or "Invalid 'refresh_token' in request."
            raise

    def validate_token_request(self):
        """The new tokens inherit what the refresh token knew, in its family."""
        super().validate_token_request()
        token = self.request.refresh_token
        # Rotate now, atomically: of two concurrent uses, the second sees it revoked.
        if not current_app.store.revoke_token(token.raw):
            self.revoke_family(token.record, "refresh_token.reused")
            raise InvalidGrantError("Invalid 'refresh_token' in request.")
        record = token.record
        self.request.token_context = TokenContext.from_record(record.family, record.sid,
                                                              record.data)

    def revoke_family(self, record: TokenRecord, event: str) -> None:
        revoked = current_app.store.revoke_family(record.family)
        emit(event, client_id=record.client_id, family=record.family, tokens_revoked=revoked)

    def revoke_old_credential(self, refresh_token) -> None:
        """Nothing to do: ``validate_token_request`` revoked it before issuing."""
