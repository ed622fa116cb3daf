"""Clients: their metadata (RFC 7591 names plus the Janssen extensions) and their secret,
kept encrypted so it can be both verified and used as an HMAC key (client_secret_jwt)."""

from __future__ import annotations

import hmac
import time
from typing import Any

from peewee import IntegrityError, fn

from .crypto import hash_value
from .errors import AlreadyExists, NotFound
from .records import ClientRecord
from .rows import table


class ClientStore:
    def _client_record(self, row) -> ClientRecord:
        return ClientRecord(
            client_id=row.client_id, metadata=row.metadata, trusted=row.trusted,
            active=row.active, has_secret=row.secret_enc is not None,
            created_at=row.created_at, updated_at=row.updated_at, expires_at=row.expires_at,
        )

    def _client_row(self, client_id: str):
        row = self.m.Client.get_or_none(self.m.Client.client_id == client_id)
        if row is None:
            raise NotFound(f"client {client_id!r}")
        return row

    def create_client(self, client_id: str, metadata: dict[str, Any], secret: str | None = None,
                      trusted: bool = False, expires_at: float | None = None) -> ClientRecord:
        now = time.time()
        try:
            row = self.m.Client.create(
                client_id=client_id, metadata=metadata, trusted=trusted, active=True,
                secret_enc=self.box.encrypt(secret) if secret else None,
                expires_at=expires_at, created_at=now, updated_at=now,
            )
        except IntegrityError:
            raise AlreadyExists(f"client {client_id!r}") from None
        return self._client_record(row)

    def _read_client(self, client_id: str):
        """The client's row for reading (no peewee model: see ``rows``)."""
        row = table(self, "Client").one('"client_id" = ?', client_id)
        if row is None:
            raise NotFound(f"client {client_id!r}")
        return row

    def get_client(self, client_id: str) -> ClientRecord:
        return self._client_record(self._read_client(client_id))

    def find_clients(self, query: str | None = None) -> list[ClientRecord]:
        """Every client ordered by client_id; with ``query``, those whose client_id or
        client_name contains it (case-insensitive)."""
        model = self.m.Client
        select = model.select().order_by(model.client_id)
        if query:
            text = query.lower()
            name = fn.json_extract(model.metadata, "$.client_name")
            select = select.where((fn.instr(fn.lower(model.client_id), text) > 0)
                                  | (fn.instr(fn.lower(name), text) > 0))
        return [self._client_record(row) for row in select]

    def update_client(self, client_id: str, **changes: Any) -> ClientRecord:
        """Change metadata, trusted, active or expires_at."""
        allowed = {"metadata", "trusted", "active", "expires_at"}
        unknown = set(changes) - allowed
        if unknown:
            raise TypeError(f"cannot update {sorted(unknown)}")
        row = self._client_row(client_id)
        for key, value in changes.items():
            setattr(row, key, value)
        row.updated_at = time.time()
        row.save()
        return self._client_record(row)

    def save_client_secret(self, client_id: str, secret: str | None) -> None:
        row = self._client_row(client_id)
        row.secret_enc = self.box.encrypt(secret) if secret else None
        row.updated_at = time.time()
        row.save()

    def get_client_secret(self, client_id: str) -> str | None:
        """The clear secret, for use as an HMAC key; never log it."""
        row = self._read_client(client_id)
        return self.box.decrypt(row.secret_enc) if row.secret_enc else None

    def check_client_secret(self, client_id: str, secret: str) -> bool:
        try:
            stored = self.get_client_secret(client_id)
        except NotFound:
            return False
        return stored is not None and hmac.compare_digest(stored.encode(), secret.encode())

    def save_registration_token(self, client_id: str, token: str) -> None:
        """Keep only the digest of the RFC 7592 registration access token."""
        row = self._client_row(client_id)
        row.registration_token_hash = hash_value(token)
        row.save()

    def check_registration_token(self, client_id: str, token: str) -> bool:
        row = self.m.Client.get_or_none(self.m.Client.client_id == client_id)
        if row is None or not row.registration_token_hash:
            return False
        return hmac.compare_digest(row.registration_token_hash, hash_value(token))

    def check_registered_dynamically(self, client_id: str) -> bool:
        """Whether the client holds an RFC 7592 registration access token: it registered
        itself at the registration endpoint and no admin has taken it over since."""
        row = self.m.Client.get_or_none(self.m.Client.client_id == client_id)
        return row is not None and bool(row.registration_token_hash)

    def delete_registration_token(self, client_id: str) -> None:
        """End the client's RFC 7592 management (its registration access token)."""
        row = self._client_row(client_id)
        row.registration_token_hash = None
        row.save()

    def delete_client(self, client_id: str) -> None:
        if not self.m.Client.delete().where(self.m.Client.client_id == client_id).execute():
            raise NotFound(f"client {client_id!r}")
