"""Verifying JWTs this OP issued itself (e.g. an ``id_token_hint``): its own published keys
(``app.keys.published_signing_keys``) of the running app's store."""

from __future__ import annotations

from flask import current_app

from ..keys import published_signing_keys


def signature_keys() -> list:
    """joserfc keys of every published signing key (active or rotated but not retired)."""
    return published_signing_keys(current_app.store)
