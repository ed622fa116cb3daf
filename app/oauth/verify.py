"""Verifying JWTs this OP issued itself (e.g. an ``id_token_hint``): its own published keys."""

from __future__ import annotations

from flask import current_app

from ..keys import kind_of

#: Public keys already imported, by kid. A kid is the key's RFC 7638 thumbprint, so it names
#: one key for good; importing an RSA JWK costs far more than the signature check itself.
_imported: dict[str, object] = {}


def signature_keys():
    """joserfc keys of every published signing key (active or rotated but not retired)."""
    store = current_app.store
    for record in store.find_keys("active", "published"):
        if record.use == "sig":
            key = _imported.get(record.kid)
            if key is None:
                key = _imported[record.kid] = kind_of(record).wrap(record.public_jwk)
            yield key
