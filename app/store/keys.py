"""Signing and encryption keys: the private half encrypted with the install key.

Life cycle: ``active`` (signs / is offered for encryption) -> ``published`` (still in the
JWKS so tokens it signed verify) -> ``retired`` (gone from the JWKS)."""

from __future__ import annotations

import json
import time
from typing import Any

from peewee import IntegrityError

from .errors import AlreadyExists, NotFound
from .records import KeyRecord
from .rows import table

KEY_STATUSES = ("active", "published", "retired")


class KeyStore:
    def _key_record(self, row) -> KeyRecord:
        return KeyRecord(kid=row.kid, kty=row.kty, use=row.use, algs=row.algs, status=row.status,
                         public_jwk=row.public_jwk, created_at=row.created_at,
                         retired_at=row.retired_at)

    def activate_key(self, kid: str, kty: str, use: str, algs: list[str],
                     public_jwk: dict[str, Any], private_jwk: dict[str, Any]) -> KeyRecord:
        """Store a new key as the active one of its kind (kty + use + algs); the key it
        replaces stays published until retired."""
        key = self.m.SigningKey
        with self.db.atomic():
            same_kind = [row.kid for row in key.select().where(
                (key.kty == kty) & (key.use == use) & (key.status == "active"))
                if row.algs == algs]
            key.update(status="published").where(key.kid.in_(same_kind)).execute()
            try:
                row = key.create(kid=kid, kty=kty, use=use, algs=algs, status="active",
                                 public_jwk=public_jwk, created_at=time.time(),
                                 private_jwk_enc=self.box.encrypt(json.dumps(private_jwk)))
            except IntegrityError:
                raise AlreadyExists(f"key {kid!r}") from None
        return self._key_record(row)

    def save_key(self, kid: str, kty: str, use: str, algs: list[str], status: str,
                 public_jwk: dict[str, Any], private_jwk: dict[str, Any], created_at: float,
                 retired_at: float | None = None) -> KeyRecord:
        """Create or overwrite the key ``kid`` as given (an import). An active key replaces
        the active key of its kind, which stays published."""
        if status not in KEY_STATUSES:
            raise ValueError(f"key status must be one of {KEY_STATUSES}")
        key = self.m.SigningKey
        with self.db.atomic():
            if status == "active":
                same_kind = [row.kid for row in key.select().where(
                    (key.kty == kty) & (key.use == use) & (key.status == "active")
                    & (key.kid != kid)) if row.algs == algs]
                key.update(status="published").where(key.kid.in_(same_kind)).execute()
            fields = {"kty": kty, "use": use, "algs": algs, "status": status,
                      "public_jwk": public_jwk, "created_at": created_at,
                      "retired_at": retired_at,
                      "private_jwk_enc": self.box.encrypt(json.dumps(private_jwk))}
            key.insert(kid=kid, **fields).on_conflict(
                conflict_target=[key.kid],
                update={getattr(key, name): value for name, value in fields.items()}).execute()
        return self.get_key(kid)

    def get_key(self, kid: str) -> KeyRecord:
        row = self.m.SigningKey.get_or_none(self.m.SigningKey.kid == kid)
        if row is None:
            raise NotFound(f"key {kid!r}")
        return self._key_record(row)

    def get_private_jwk(self, kid: str) -> dict[str, Any]:
        row = table(self, "SigningKey").one('"kid" = ?', kid)
        if row is None:
            raise NotFound(f"key {kid!r}")
        return json.loads(self.box.decrypt(row.private_jwk_enc))

    def find_keys(self, *statuses: str) -> list[KeyRecord]:
        """Keys, oldest first, optionally only those in the given statuses."""
        where = f'"status" IN ({", ".join("?" * len(statuses))})' if statuses else "1"
        rows = table(self, "SigningKey").all(where, *statuses, order_by='"created_at", "kid"')
        return [self._key_record(row) for row in rows]

    def get_active_key(self, use: str, alg: str) -> KeyRecord:
        for record in reversed(self.find_keys("active")):
            if record.use == use and alg in record.algs:
                return record
        raise NotFound(f"active {use} key for {alg}")

    def retire_key(self, kid: str) -> KeyRecord:
        """Remove a non-active key from the JWKS. Active keys are replaced by rotation first."""
        row = self.m.SigningKey.get_or_none(self.m.SigningKey.kid == kid)
        if row is None:
            raise NotFound(f"key {kid!r}")
        if row.status == "active":
            raise ValueError(f"key {kid!r} is active; rotate it before retiring it")
        row.status, row.retired_at = "retired", row.retired_at or time.time()
        row.save()
        return self._key_record(row)
