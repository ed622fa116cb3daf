"""Issuing tokens: access tokens (opaque reference tokens, or RFC 9068 JWTs per client),
refresh tokens, ID tokens (OpenID Connect Core §2, §3.1.3.6 at_hash, §3.3.2.11 c_hash),
and the user claims each scope releases (§5.4).

RFC 9068 JWT Profile for OAuth 2.0 Access Tokens: https://www.rfc-editor.org/rfc/rfc9068
OpenID Connect Core 1.0: https://openid.net/specs/openid-connect-core-1_0.html
"""

from __future__ import annotations

import base64
import hashlib
import time
import uuid
import warnings
from typing import Any

from authlib.oauth2.rfc7591.errors import InvalidClientMetadataError
from flask import current_app
from joserfc import jwe, jwt
from joserfc.errors import JoseError
from joserfc.jwk import JWKRegistry

from ..keys import signing_key
from ..store.crypto import generate_secret
from ..store.records import UserRecord
from .claims import subject_for, user_claims
from .fetch import FetchError, fetch_json

#: Signature algorithms for ID tokens, JWT access tokens and signed responses.
SIGNING_ALGS = ["RS256", "PS256", "ES256", "EdDSA", "Ed25519"]
#: Key management and content encryption algorithms for encrypted ID tokens and userinfo.
JWE_ALGS = ["RSA-OAEP", "RSA-OAEP-256", "ECDH-ES"]
JWE_ENCS = ["A128CBC-HS256", "A256CBC-HS512", "A128GCM", "A256GCM"]
#: OIDC Core §3.1.3.6 / Ed25519 errata: the hash behind at_hash and c_hash, per alg.
HALF_HASH = {"RS256": hashlib.sha256, "PS256": hashlib.sha256, "ES256": hashlib.sha256,
             "EdDSA": hashlib.sha512, "Ed25519": hashlib.sha512}


def half_hash(value: str, alg: str) -> str:
    """OIDC Core §3.1.3.6: "the base64url encoding of the left-most half of the hash of the
    octets of the ASCII representation of the access_token value"."""
    digest = HALF_HASH[alg](value.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest[: len(digest) // 2]).rstrip(b"=").decode()


def sign(claims: dict[str, Any], alg: str, typ: str = "JWT") -> str:
    key = signing_key(current_app.store, alg)
    header = {"alg": alg, "kid": key.kid, "typ": typ}
    if alg != "EdDSA":
        return jwt.encode(header, claims, key, algorithms=[alg])
    # catch_warnings swaps the process-wide filters (not thread-safe, and not free): only
    # for the one alg that needs it.
    with warnings.catch_warnings():
        # joserfc flags "EdDSA" as superseded by RFC 9864's "Ed25519"; clients still use it.
        warnings.filterwarnings("ignore", "EdDSA is deprecated")
        return jwt.encode(header, claims, key, algorithms=[alg])


def lifetime(client, name: str) -> int:
    """Per-client lifetime (the seed's ``access_token_lifetime`` and friends) over the
    server-wide setting of the same name."""
    value = client.get(name) if client is not None else None
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return current_app.settings[name]


def create_access_token(client, grant_type: str, user: UserRecord | None, scope: str,
                        expires_in: int, auth_time: float | None = None) -> str:
    """An opaque reference token, or an RFC 9068 JWT when the client registered
    ``access_token_as_jwt`` (the seed's client field)."""
    if not client.get("access_token_as_jwt"):
        return generate_secret(32)
    now = int(time.time())
    claims = {
        "iss": current_app.settings.issuer, "exp": now + expires_in, "iat": now,
        "aud": client.client_id, "sub": subject_for(client, user) if user else client.client_id,
        "client_id": client.client_id, "jti": str(uuid.uuid4()), "scope": scope,
    }
    if auth_time:
        claims["auth_time"] = int(auth_time)
    alg = client.get("access_token_signing_alg") or "RS256"
    # RFC 9068 §2.1: "Resource servers MUST verify that the typ header value is at+jwt".
    return sign(claims, alg, typ="at+jwt")


def create_id_token(client, user: UserRecord, scope: str, *, nonce: str | None = None,
                    auth_time: float | None = None, acr: str | None = None,
                    amr: list[str] | None = None, sid: str | None = None,
                    access_token: str | None = None, code: str | None = None,
                    claims: dict | None = None) -> str:
    """OIDC Core §2: iss, sub, aud, exp, iat, auth_time, nonce, acr, amr, azp, sid, and the
    half hashes; the scope's claims too (as Keycloak and Janssen do) and the ``id_token``
    member of the ``claims`` request. Encrypted when the client registered it (§10.2)."""
    alg = client.get("id_token_signed_response_alg") or "RS256"
    now = int(time.time())
    requested = (claims or {}).get("id_token")
    claims = user_claims(client, user, scope, requested)
    claims.update({
        "iss": current_app.settings.issuer, "aud": client.client_id, "azp": client.client_id,
        "exp": now + lifetime(client, "id_token_lifetime"), "iat": now,
    })
    optional = {"auth_time": int(auth_time) if auth_time else None, "nonce": nonce,
                "acr": acr, "amr": amr or None, "sid": sid}
    claims.update({key: value for key, value in optional.items() if value is not None})
    if access_token:
        claims["at_hash"] = half_hash(access_token, alg)
    if code:
        claims["c_hash"] = half_hash(code, alg)
    return encrypt_for(client, sign(claims, alg), "id_token")


def encrypt_for(client, payload: str, what: str, nested: bool = True) -> str:
    """OIDC Core §10.2: sign then encrypt to the client's key when it registered
    ``<what>_encrypted_response_alg`` (and ``_enc``, default A128CBC-HS256)."""
    alg = client.get(f"{what}_encrypted_response_alg")
    if not alg:
        return payload
    enc = client.get(f"{what}_encrypted_response_enc") or "A128CBC-HS256"
    key = client_encryption_key(client, alg)
    header = {"alg": alg, "enc": enc, **({"cty": "JWT"} if nested else {})}
    if key.kid:
        header["kid"] = key.kid
    return jwe.encrypt_compact(header, payload, key, algorithms=[alg, enc])


def client_encryption_key(client, alg: str):
    """The client's public encryption key for ``alg``, from its ``jwks`` or ``jwks_uri``.
    Keys that cannot be had are the client's problem, not a server error:
    ``invalid_client_metadata`` (as node-oidc-provider answers), naming what is wrong."""
    try:
        keyset = client.get("jwks") or fetch_json(client.get("jwks_uri") or "")
    except FetchError:
        raise InvalidClientMetadataError("The client's 'jwks_uri' cannot be fetched.") from None
    keys = keyset.get("keys") if isinstance(keyset, dict) else None
    kty = "EC" if alg.startswith("ECDH") else "RSA"
    usable = [data for data in (keys if isinstance(keys, list) else [])
              if isinstance(data, dict) and data.get("kty") == kty
              and data.get("use", "enc") == "enc" and data.get("alg") in (None, alg)]
    # A key the client marked for encryption (RFC 7517 §4.2 "use": "enc"), or for this very
    # alg, before one that says neither (which may be its signing key).
    usable.sort(key=lambda data: (data.get("use") != "enc", data.get("alg") != alg))
    for data in usable:
        try:
            return JWKRegistry.import_key(data)
        except (JoseError, ValueError, TypeError, KeyError):
            continue
    raise InvalidClientMetadataError(f"The client has no usable encryption key for '{alg}'.")
