"""What Try it shows of each token: raw, the decoded header and payload, and whether the
signature verifies with this OP's published JWKS; plus the checks an RP makes of an ID Token.

RFC 7515 §7.1 (JWS compact serialization), RFC 7516 §7.1 (JWE compact serialization).
OpenID Connect Core 1.0 §3.1.3.7 (ID Token validation):
https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
"""

from __future__ import annotations

import warnings
from typing import Any

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from ..jsontext import segment

#: The token response members that may hold a JWT, in the order shown.
TOKEN_NAMES = ("id_token", "access_token", "refresh_token")


def decode(name: str, raw: str, jwks: Any) -> dict[str, Any]:
    """One token: a JWS (decoded and verified), a JWE (its header: the payload is encrypted
    to the client's key, which this server does not hold) or an opaque reference."""
    token: dict[str, Any] = {"name": name, "raw": raw}
    parts = raw.split(".")
    header = segment(parts[0]) if len(parts) in (3, 5) else None
    if not isinstance(header, dict):
        return {**token, "format": "reference",
                "detail": "An opaque reference token: only this server can read it "
                          "(introspection, RFC 7662)."}
    if len(parts) == 5:
        return {**token, "format": "jwe", "header": header,
                "detail": "Encrypted to the client's key (RFC 7516): only the client can "
                          "decrypt it."}
    payload = segment(parts[1])
    return {**token, "format": "jws", "header": header, "payload": payload,
            "signature": verify(raw, header, jwks)}


def verify(raw: str, header: dict, jwks: Any) -> dict[str, Any]:
    alg, kid = header.get("alg"), header.get("kid")
    try:
        keys = KeySet.import_key_set(jwks)
    except (JoseError, ValueError, TypeError, KeyError):
        return {"verified": False, "detail": "The published JWKS could not be read."}
    if not any(key.kid == kid for key in keys.keys):
        return {"verified": False, "detail": f"No key with kid {kid!r} in the published JWKS."}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. joserfc's note on "EdDSA"
            jws.deserialize_compact(raw, keys, algorithms=[alg] if alg else None)
    except (JoseError, ValueError, TypeError) as exc:
        return {"verified": False, "detail": f"The signature does not verify ({exc})."}
    return {"verified": True, "detail": f"{alg} signature verified with kid {kid} of the "
                                        "published JWKS."}


def decode_tokens(body: dict, jwks: Any, client_id: str, issuer: str,
                  nonce: str | None) -> tuple[list[dict], list[dict]]:
    """The decoded tokens of a token response, and the ID Token checks."""
    tokens = [decode(name, body[name], jwks) for name in TOKEN_NAMES
              if isinstance(body.get(name), str)]
    checks: list[dict] = []
    id_token = next((t for t in tokens if t["name"] == "id_token"), None)
    if id_token and isinstance(id_token.get("payload"), dict):
        claims = id_token["payload"]
        audience = claims.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        checks += [
            check("id_token signature", id_token["signature"]["verified"],
                  id_token["signature"]["detail"]),
            check("id_token iss is the issuer", claims.get("iss") == issuer, claims.get("iss")),
            check("id_token aud holds the client_id", client_id in audiences, audience),
        ]
        if nonce is not None:
            check_nonce = claims.get("nonce") == nonce
            checks.append(check("id_token nonce is the one sent", check_nonce,
                                "matches" if check_nonce else claims.get("nonce")))
    return tokens, checks


def check(name: str, ok: bool, detail: Any) -> dict[str, Any]:
    return {"name": name, "ok": bool(ok), "detail": "(absent)" if detail is None else detail}


def decode_userinfo(text: str, jwks: Any) -> dict[str, Any]:
    """OIDC Core §5.3.2: a signed (or encrypted) userinfo answer."""
    return decode("userinfo", text.strip(), jwks)
