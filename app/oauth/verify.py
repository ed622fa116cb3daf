"""Verifying JWTs this OP issued itself (e.g. an ``id_token_hint``): its own published keys."""

from __future__ import annotations

from flask import current_app

from ..keys import kind_of


def signature_keys():
    """joserfc keys of every published signing key (active or rotated but not retired)."""
    store = current_app.store
    for record in store.find_keys("active", "published"):
        if record.use == "sig":
            yield kind_of(record).wrap(record.public_jwk)
