"""The OP's own keys: generated with ``cryptography``, described as JWKs with joserfc, kid
the RFC 7638 thumbprint. One active key per kind; rotation keeps the old one published.

RFC 7517 JSON Web Key: https://www.rfc-editor.org/rfc/rfc7517
RFC 7638 JWK Thumbprint: https://www.rfc-editor.org/rfc/rfc7638
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from joserfc.jwk import ECKey, OKPKey, RSAKey

from .store import NotFound, Store
from .store.records import KeyRecord


@dataclass(frozen=True)
class KeyKind:
    name: str
    use: str
    algs: tuple[str, ...]
    generate: Callable[[], Any]
    wrap: Callable[[Any], Any]


def _rsa_2048():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


KINDS = (
    KeyKind("rsa-sig", "sig", ("RS256", "PS256"), _rsa_2048, RSAKey.import_key),
    KeyKind("ec-sig", "sig", ("ES256",), lambda: ec.generate_private_key(ec.SECP256R1()),
            ECKey.import_key),
    # RFC 9864 names the fully-specified "Ed25519"; most libraries still send "EdDSA".
    KeyKind("okp-sig", "sig", ("Ed25519", "EdDSA"), ed25519.Ed25519PrivateKey.generate,
            OKPKey.import_key),
    KeyKind("rsa-enc", "enc", ("RSA-OAEP",), _rsa_2048, RSAKey.import_key),
)


def kind_of(record: KeyRecord) -> KeyKind:
    for kind in KINDS:
        if kind.use == record.use and tuple(record.algs) == kind.algs:
            return kind
    raise ValueError(f"key {record.kid} is of no known kind")


def create_key(store: Store, kind: KeyKind) -> KeyRecord:
    """Generate a key of ``kind`` and make it the active one of its kind."""
    jwk = kind.wrap(kind.generate())
    kid = jwk.thumbprint()
    public = {**jwk.as_dict(private=False), "kid": kid, "use": kind.use}
    if len(kind.algs) == 1:
        public["alg"] = kind.algs[0]
    private = {**jwk.as_dict(private=True), "kid": kid}
    return store.activate_key(kid, public["kty"], kind.use, list(kind.algs), public, private)


def ensure_keys(store: Store) -> list[KeyRecord]:
    """Create the active key of every kind that has none; returns the keys created."""
    active = store.find_keys("active")
    created = []
    for kind in KINDS:
        if not any(record.use == kind.use and tuple(record.algs) == kind.algs for record in active):
            created.append(create_key(store, kind))
    return created


def rotate_key(store: Store, kid: str) -> KeyRecord:
    """Replace a key by a new one of the same kind; the old one stays published."""
    return create_key(store, kind_of(store.get_key(kid)))


def public_jwks(store: Store) -> dict[str, list[dict[str, Any]]]:
    """The JWK Set of the jwks_uri: active and published keys, public members only."""
    return {"keys": [record.public_jwk for record in store.find_keys("active", "published")]}


#: Loaded private keys by kid. A kid is the key's thumbprint, so it names one key for good;
#: loading costs ~35 ms for RSA (OpenSSL validates the key), signing ~0.4 ms.
_loaded: dict[str, object] = {}


def signing_key(store: Store, alg: str):
    """The active key for ``alg`` as a joserfc key, private members included."""
    return _private_key(store, store.get_active_key("sig", alg))


def decryption_keys(store: Store) -> list:
    """The published encryption keys, active first, as joserfc keys with private members:
    what a client may have encrypted to (a request object, RFC 9101 §6.1)."""
    records = [record for record in store.find_keys("active", "published")
               if record.use == "enc"]
    records.sort(key=lambda record: record.status != "active")
    return [_private_key(store, record) for record in records]


def _private_key(store: Store, record: KeyRecord):
    key = _loaded.get(record.kid)
    if key is None:
        key = _loaded[record.kid] = kind_of(record).wrap(store.get_private_jwk(record.kid))
    return key


#: Public signing keys already imported, by kid (a thumbprint, so it names one key for good):
#: importing an RSA JWK costs far more than the signature check itself.
_imported: dict[str, object] = {}


def published_signing_keys(store: Store) -> list:
    """The published signing keys (active, or rotated but not retired) as joserfc keys,
    public members only: what verifies a JWT this OP signed (an ``id_token_hint``, a token
    the Logs screen shows)."""
    keys = []
    for record in store.find_keys("active", "published"):
        if record.use == "sig":
            key = _imported.get(record.kid)
            if key is None:
                key = _imported[record.kid] = kind_of(record).wrap(record.public_jwk)
            keys.append(key)
    return keys


__all__ = ["KINDS", "create_key", "ensure_keys", "rotate_key", "public_jwks", "signing_key",
           "decryption_keys", "published_signing_keys", "NotFound"]
