"""Seen client-assertion ids (``jti``), for replay detection."""

from __future__ import annotations

import time

from peewee import IntegrityError

from .crypto import hash_value


class AssertionStore:
    def consume_jti(self, client_id: str, jti: str, expires_at: float) -> bool:
        """Record a jti; False if this client used it before (and it has not expired)."""
        model, now = self.m.AssertionJti, time.time()
        model.delete().where(model.expires_at < now).execute()
        try:
            model.create(jti_hash=hash_value(f"{client_id}\n{jti}"), client_id=client_id,
                         expires_at=max(expires_at, now + 60))
        except IntegrityError:
            return False
        return True
