"""Authorization codes and tokens. Only SHA-256 digests of the bearer values are stored."""

from __future__ import annotations

import time
from typing import Any

from peewee import IntegrityError

from .crypto import hash_value
from .errors import AlreadyExists, NotFound
from .records import CodeRecord, TokenRecord
from .rows import table


class CodeAlreadyUsed(NotFound):
    """The code was redeemed before; ``code_hash`` lets the caller revoke what it issued."""

    def __init__(self, code_hash: str):
        super().__init__("authorization code already used")
        self.code_hash = code_hash


class GrantStore:
    def save_code(self, code: str, client_id: str, sub: str, redirect_uri: str, scope: str,
                  expires_at: float, sid: str | None = None,
                  data: dict[str, Any] | None = None) -> CodeRecord:
        try:
            self.m.AuthorizationCode.create(
                code_hash=hash_value(code), client_id=client_id, sub=sub, sid=sid,
                redirect_uri=redirect_uri, scope=scope, data=data or {},
                expires_at=expires_at, created_at=time.time(),
            )
        except IntegrityError:
            raise AlreadyExists("authorization code") from None
        return CodeRecord(code_hash=hash_value(code), client_id=client_id, sub=sub,
                          redirect_uri=redirect_uri, scope=scope, expires_at=expires_at,
                          sid=sid, data=data or {})

    def consume_code(self, code: str) -> CodeRecord:
        """Redeem a code exactly once: of concurrent callers only one gets the record.
        Raises CodeAlreadyUsed for a second use and NotFound for unknown or expired codes."""
        model, digest, now = self.m.AuthorizationCode, hash_value(code), time.time()
        with self.db.atomic("IMMEDIATE"):
            row = table(self, "AuthorizationCode").one('"code_hash" = ?', digest)
            if row is not None and row.consumed_at is not None:
                raise CodeAlreadyUsed(digest)  # even once expired: a replay is a replay
            if row is None or row.expires_at <= now:
                raise NotFound("authorization code")
            model.update(consumed_at=now).where(model.code_hash == digest).execute()
        return CodeRecord(code_hash=digest, client_id=row.client_id, sub=row.sub,
                          redirect_uri=row.redirect_uri, scope=row.scope,
                          expires_at=row.expires_at, sid=row.sid, data=row.data)

    def _token_record(self, row) -> TokenRecord:
        return TokenRecord(
            token_hash=row.token_hash, kind=row.kind, client_id=row.client_id, sub=row.sub,
            scope=row.scope, family=row.family, expires_at=row.expires_at,
            created_at=row.created_at, revoked_at=row.revoked_at, code_hash=row.code_hash,
            sid=row.sid, data=row.data,
        )

    def save_token(self, token: str, kind: str, client_id: str, scope: str, family: str,
                   expires_at: float, sub: str | None = None, code_hash: str | None = None,
                   sid: str | None = None, data: dict[str, Any] | None = None) -> TokenRecord:
        record = TokenRecord(
            token_hash=hash_value(token), kind=kind, client_id=client_id, sub=sub, scope=scope,
            family=family, expires_at=expires_at, created_at=time.time(), revoked_at=None,
            code_hash=code_hash, sid=sid, data=data or {})
        try:
            table(self, "Token").insert(**vars(record))
        except IntegrityError:
            raise AlreadyExists("token") from None
        return record

    def get_token(self, token: str) -> TokenRecord:
        """The token's record, revoked or expired ones included: callers check both."""
        row = table(self, "Token").one('"token_hash" = ?', hash_value(token))
        if row is None:
            raise NotFound("token")
        return self._token_record(row)

    def _revoke_where(self, condition) -> int:
        model = self.m.Token
        query = model.update(revoked_at=time.time())
        return query.where(condition & model.revoked_at.is_null()).execute()

    def revoke_token(self, token: str) -> int:
        return self._revoke_where(self.m.Token.token_hash == hash_value(token))

    def revoke_family(self, family: str) -> int:
        """Revoke every token of one grant (a refresh chain and its access tokens)."""
        return self._revoke_where(self.m.Token.family == family)

    def revoke_tokens_of_code(self, code_hash: str) -> int:
        return self._revoke_where(self.m.Token.code_hash == code_hash)

    def revoke_session_tokens(self, sid: str, keep_scope: str = "offline_access") -> int:
        """Revoke every grant (family) whose tokens are bound to SSO session ``sid``, except
        grants whose scope includes ``keep_scope``; returns the number of tokens revoked."""
        model = self.m.Token
        live = (model.sid == sid) & model.revoked_at.is_null()
        families = {row.family for row in model.select(model.family, model.scope).where(live)
                    if keep_scope not in row.scope.split()}
        return sum(self.revoke_family(family) for family in sorted(families))
