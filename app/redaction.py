"""What the Logs screen may keep of a request, a response or an event's fields.

- Secrets (passwords, client secrets, PKCE verifiers, cookies) become ``[redacted]``.
- Tokens and codes never stay in clear: an opaque one becomes ``[43 chars, sha256:…]`` (the
  fingerprint lets a developer follow one token across rows); a JWT is decoded at record time
  into its header and claims, with a note on whether pocket-op's own keys verify it, and its
  signature is dropped (so what is kept cannot be replayed). An encrypted JWT keeps only its
  header.
- Strings and whole records are capped in size; nesting below MAX_DEPTH is not kept.

The work is linear in what is redacted, whatever a client sends: one record (a ``Budget``,
e.g. one row of the Logs screen) decodes at most MAX_JWTS JWTs, later ones are fingerprinted
like opaque tokens, and reads pocket-op's signing keys from the store once, when its first
JWT is checked. Keys are read afresh for each record, so a rotated key is seen at once.

May import Flask, joserfc and ``app.keys`` (which owns the lookup of the signing keys); never
``app.oauth``, which imports ``app.events``, which imports this module.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import warnings
from typing import Any

from flask import current_app

from .jsontext import segment
from .keys import published_signing_keys

#: Values never kept, not even as a fingerprint.
SECRET_NAMES = frozenset({
    "password", "new_password", "current_password", "secret", "client_secret", "code_verifier",
    "cookie", "set-cookie", "private_key", "private_jwk", "launch_token", "csrf_token",
})
#: Values kept as a fingerprint, or decoded when they are JWTs.
TOKEN_NAMES = frozenset({
    "token", "access_token", "refresh_token", "id_token", "code", "device_code", "user_code",
    "registration_access_token", "initial_access_token", "logout_token", "subject_token",
    "actor_token", "assertion", "client_assertion", "request", "id_token_hint",
    "software_statement", "response", "dpop", "login_hint_token", "authorization",
})
MAX_STRING = 2000  # characters of one value kept
MAX_DEPTH = 12
MAX_JWTS = 20  # JWTs decoded in one record; the later ones are only fingerprinted
JWT_SHAPE = re.compile(r"^[A-Za-z0-9_-]{2,}(\.[A-Za-z0-9_-]*){2}$")
JWE_SHAPE = re.compile(r"^[A-Za-z0-9_-]{2,}(\.[A-Za-z0-9_-]*){4}$")


class Budget:
    """What one record may still spend: JWTs to decode, and pocket-op's signing keys, read
    from the store when the first JWT is checked and kept for the rest of the record."""

    def __init__(self, jwts: int = MAX_JWTS):
        self.jwts = jwts
        self._keys: dict[str, Any] | None = None

    def take_jwt(self) -> bool:
        """True (and one JWT fewer left) if another JWT may be decoded."""
        if self.jwts <= 0:
            return False
        self.jwts -= 1
        return True

    def signing_keys(self) -> dict[str, Any] | None:
        """pocket-op's published signing keys by kid; None outside an app context."""
        if self._keys is None:
            try:
                self._keys = {key.kid: key for key in published_signing_keys(current_app.store)}
            except RuntimeError:  # outside an app context
                return None
        return self._keys


def fingerprint(value: str) -> str:
    digest = hashlib.sha256(value.encode("utf-8", "replace")).hexdigest()[:12]
    return f"[{len(value)} chars, sha256:{digest}]"


def jose_header(value: str) -> dict[str, Any] | None:
    """The protected header of a compact JWS or JWE, or None if ``value`` is not one."""
    if not (JWT_SHAPE.match(value) or JWE_SHAPE.match(value)):
        return None
    header = segment(value.split(".", 1)[0])
    return header if isinstance(header, dict) and "alg" in header else None


def describe_token(value: str, depth: int = 0, budget: Budget | None = None) -> Any:
    """A JWT decoded (header, claims, signature check) or an opaque token's fingerprint (a
    JWT too, once ``budget`` has no JWT left)."""
    budget = budget or Budget()
    header = jose_header(value)
    if header is None or not budget.take_jwt():
        return fingerprint(value)
    if "enc" in header or value.count(".") == 4:
        return {"jwe_header": redact(header, depth=depth + 1, budget=budget),
                "note": "encrypted: only the header can be read", "fingerprint": fingerprint(value)}
    claims = segment(value.split(".")[1])
    return {"jwt_header": redact(header, depth=depth + 1, budget=budget),
            "jwt_claims": redact(claims, depth=depth + 1, budget=budget)
            if claims is not None else None,
            "signature": signature_check(value, header, budget), "fingerprint": fingerprint(value)}


def signature_check(value: str, header: dict[str, Any], budget: Budget) -> str:
    """Whether one of pocket-op's published signing keys verifies the JWT. Others' (a
    client's) signatures are not checked here."""
    if str(header.get("alg", "")).lower() == "none":
        return "unsigned (alg none)"
    from joserfc import jws
    from joserfc.errors import JoseError

    keys = budget.signing_keys()
    if keys is None:
        return "not checked"
    key = keys.get(header.get("kid"))
    if key is None:
        return "not checked: not signed with a pocket-op key"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            jws.deserialize_compact(value, key, algorithms=[str(header.get("alg"))])
    except (JoseError, ValueError, TypeError):
        return f"INVALID: does not verify with pocket-op key {key.kid}"
    return f"valid: pocket-op key {key.kid}"


def describe_authorization(value: str, budget: Budget | None = None) -> str | Any:
    """An Authorization header: the scheme and what may be shown of its credentials."""
    scheme, _, credentials = value.partition(" ")
    if scheme.lower() == "basic":
        try:
            user = base64.b64decode(credentials, validate=True).decode().split(":", 1)[0]
        except (ValueError, binascii.Error, UnicodeDecodeError):
            return "Basic [unreadable]"
        return f"Basic {user}:[redacted]"
    if scheme.lower() in ("bearer", "dpop") and credentials:
        return {"scheme": scheme, "token": describe_token(credentials.strip(), budget=budget)}
    return f"{scheme} [redacted]" if credentials else "[redacted]"


def capped(text: str) -> str:
    if len(text) <= MAX_STRING:
        return text
    return text[:MAX_STRING] + f"… ({len(text)} chars)"


def redact(value: Any, key: str | None = None, depth: int = 0,
           budget: Budget | None = None) -> Any:
    """``value`` (found under ``key``) as the Logs screen may keep it; ``budget`` is the
    record's, when ``value`` is only part of one."""
    budget = budget or Budget()
    name = (key or "").lower()
    if name in SECRET_NAMES:
        return "[redacted]" if value not in (None, "") else value
    if depth > MAX_DEPTH:
        return "[nested too deep]"
    if isinstance(value, dict):
        return {str(k): redact(v, str(k), depth + 1, budget) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact(item, key, depth + 1, budget) for item in value]
    if not isinstance(value, str):
        return value
    if name == "authorization":
        return describe_authorization(value, budget)
    if name in TOKEN_NAMES and value:
        return describe_token(value, depth, budget)
    if jose_header(value) is not None:  # a JWT under any other name: decoded too
        return describe_token(value, depth, budget)
    return capped(value)


def redact_fields(fields: dict[str, Any], budget: Budget | None = None) -> dict[str, Any]:
    """Each of ``fields`` redacted, all of them as one record (one ``budget``)."""
    budget = budget or Budget()
    return {key: redact(value, key, budget=budget) for key, value in fields.items()}
