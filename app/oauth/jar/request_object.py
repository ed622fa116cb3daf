"""Request objects: authorization request parameters inside a JWT, sent by value
(``request``) or by reference (``request_uri``).

RFC 9101 JWT-Secured Authorization Request (JAR): https://www.rfc-editor.org/rfc/rfc9101
OpenID Connect Core 1.0 §6: https://openid.net/specs/openid-connect-core-1_0.html#JWTRequests

A request object is signed with the client's keys (``jwks`` / ``jwks_uri``; its secret for
HS*), or unsigned (``alg`` none) when the client registered ``request_object_signing_alg``
none; it may be encrypted to the OP's RSA-OAEP key, the signed JWT nested inside. Refusals
raise ``invalid_request_object`` / ``invalid_request_uri`` with a short description; what
exactly was wrong goes to the audit event ``request_object.refused``.
"""

from __future__ import annotations

import json
import warnings
from typing import Any
from urllib.parse import urldefrag

from authlib.oauth2.rfc9101.errors import InvalidRequestObjectError, InvalidRequestUriError
from flask import current_app
from joserfc import jwe, jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from ...events import emit
from ...jsontext import is_text, segment
from ...keys import decryption_keys
from ..client_auth import ASYMMETRIC_ALGS, HMAC_ALGS, UnusableClientKey, client_key
from ..fetch import FetchError, fetch_text
from ..tokens import JWE_ENCS

#: What request objects may be signed with (OIDC Discovery §3
#: request_object_signing_alg_values_supported); "none" only for clients that registered it.
SIGNING_ALGS = ["none", *ASYMMETRIC_ALGS, *HMAC_ALGS]
#: Key management algorithms for request objects encrypted to the OP's RSA key.
ENCRYPTION_ALGS = ["RSA-OAEP", "RSA-OAEP-256"]
ENCRYPTION_ENCS = list(JWE_ENCS)
#: RFC 9101 §10.8 recommends ``typ`` oauth-authz-req+jwt; OIDC clients send JWT or nothing.
TYPES = {"jwt", "oauth-authz-req+jwt"}
#: JWT claims of the object that are not authorization request parameters (RFC 7519 §4.1).
JWT_CLAIMS = ("iss", "aud", "exp", "iat", "nbf", "jti", "sub")
#: Clock skew allowed on exp and nbf.
LEEWAY = 60
ACCEPT = "application/oauth-authz-req+jwt, application/jwt"


def refuse(error_cls, description: str, client_id: str, reason: str):
    """The error to raise; ``reason`` (what the developer needs) goes to the audit log."""
    emit("request_object.refused", client_id=client_id, error=error_cls.error, reason=reason)
    return error_cls(description)


def invalid_object(client, reason: str) -> InvalidRequestObjectError:
    return refuse(InvalidRequestObjectError, "Invalid 'request' object.", client.client_id, reason)


def fetch_request_object(request_uri: str, client) -> str:
    """RFC 9101 §5.2: the object behind ``request_uri``, fetched from loopback or an allowed
    host (fetch.py: one deadline, a size cap, never the OP itself)."""
    validate_registered_request_uri(request_uri, client)
    try:
        return fetch_text(urldefrag(request_uri).url, ACCEPT)
    except FetchError as exc:
        # OIDC Core §3.1.2.6 invalid_request_uri: "The request_uri in the Authorization
        # Request returns an error or contains invalid data." Why exactly stays in the log.
        raise refuse(InvalidRequestUriError, "The 'request_uri' cannot be fetched.",
                     client.client_id, exc.reason) from None


def validate_registered_request_uri(request_uri: str, client) -> None:
    """OIDC Discovery §3 require_request_uri_registration (true here): "Pre-registration is
    REQUIRED when the value is true", with the ``request_uris`` registration parameter
    (OIDC Registration §2). Compared without fragments: they only carry a hash of the
    content. RFC 9101 §10.4.1: the OP fetches no URI a client merely names in a request."""
    registered = client.get("request_uris") or []
    if urldefrag(request_uri).url not in {urldefrag(uri).url for uri in registered}:
        reason = (f"{request_uri} is not among the client's request_uris {registered}"
                  if registered else f"{request_uri} was not fetched: the client registered "
                                     "no request_uris")
        raise refuse(InvalidRequestUriError, "Unregistered 'request_uri'.", client.client_id,
                     reason)


def read_request_object(value: str, client) -> tuple[dict[str, str], bool]:
    """The authorization request parameters of a request object, and whether it was signed.

    RFC 9101 §6.1 (encrypted), §6.2 (signed), OIDC Core §6.3.2 (validation)."""
    if not isinstance(value, str) or not value:
        raise invalid_object(client, "the request object is empty")
    if value.count(".") == 4:
        value = decrypt(value, client)
    header = protected_header(value, client)
    alg = header.get("alg")
    typ = header.get("typ")
    if typ is not None and (not isinstance(typ, str)
                            or typ.lower().removeprefix("application/") not in TYPES):
        raise invalid_object(client, f"typ {typ!r} is not a request object's")
    claims = verify_signature(value, alg, header.get("kid"), client)
    validate_claims(claims, client)
    return as_params(claims), alg != "none"


def decrypt(value: str, client) -> str:
    """RFC 9101 §6.1: "The authorization server MUST decrypt the JWT in accordance with the
    JSON Web Encryption [RFC7516] specification", with the OP key the client encrypted to."""
    header = protected_header(value, client)
    alg, enc = header.get("alg"), header.get("enc")
    if alg not in ENCRYPTION_ALGS or enc not in ENCRYPTION_ENCS:
        raise invalid_object(client, f"encryption {alg}/{enc} is not supported; use one of "
                                     f"{ENCRYPTION_ALGS} with one of {ENCRYPTION_ENCS}")
    for field, used in (("request_object_encryption_alg", alg),
                        ("request_object_encryption_enc", enc)):
        if client.get(field) and client.get(field) != used:
            raise invalid_object(client, f"encrypted with {used}, registered {field} is "
                                         f"{client.get(field)}")
    keys = decryption_keys(current_app.store)
    kid = header.get("kid")
    for key in [key for key in keys if key.kid == kid] or keys:
        try:
            plaintext = jwe.decrypt_compact(value, key, algorithms=[alg, enc]).plaintext
        except (JoseError, ValueError, TypeError, KeyError):
            continue
        return (plaintext or b"").decode("ascii", errors="replace")
    raise invalid_object(client, "the request object does not decrypt with the OP's "
                                 "encryption keys (see /jwks)")


def protected_header(value: str, client) -> dict[str, Any]:
    """The JOSE header of a compact JWS or JWE, before any verification."""
    header = segment(value.split(".")[0])
    if not isinstance(header, dict):
        raise invalid_object(client, "the request object is not a JWT")
    return header


def allowed_algs(client) -> list[str]:
    """OIDC Registration §2 request_object_signing_alg: "All Request Objects from this
    Client MUST be rejected, if not signed with this algorithm"; "none" only when the client
    registered it."""
    registered = client.get("request_object_signing_alg")
    if registered:
        return [registered] if registered in SIGNING_ALGS else []
    return [alg for alg in SIGNING_ALGS if alg != "none"]


def verify_signature(value: str, alg: Any, kid: Any, client) -> dict[str, Any]:
    """RFC 9101 §6.2: "the alg Header Parameter in the JOSE Header MUST match the value of
    the pre-registered algorithm", and the signature is checked with the client's key."""
    if alg not in allowed_algs(client):
        raise invalid_object(client, f"alg {alg!r} is not allowed for this client "
                                     f"(allowed: {allowed_algs(client)})")
    if alg == "none":
        return unsecured_claims(value, client)
    try:
        key = client_key(client, symmetric=alg in HMAC_ALGS)
    except UnusableClientKey as exc:
        raise invalid_object(client, str(exc)) from None
    candidates = [key] if not isinstance(key, KeySet) else [
        k for k in key.keys if (kid is None or k.kid == kid) and k.get("use") in (None, "sig")]
    for candidate in candidates:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # e.g. joserfc's note on "EdDSA"
                return jwt.decode(value, candidate, algorithms=[alg]).claims
        except (JoseError, ValueError, TypeError, KeyError):
            continue
    raise invalid_object(client, f"the {alg} signature does not verify with the client's "
                                 f"{'secret' if alg in HMAC_ALGS else 'keys'} (kid {kid!r})")


def unsecured_claims(value: str, client) -> dict[str, Any]:
    """RFC 7519 §6: an unsecured JWT has an empty signature part."""
    parts = value.split(".")
    if len(parts) != 3 or parts[2]:
        raise invalid_object(client, "an alg none request object must have no signature")
    claims = segment(parts[1])
    if not isinstance(claims, dict):
        raise invalid_object(client, "the request object's payload is not a JSON object")
    return claims


def validate_claims(claims: dict[str, Any], client) -> None:
    """RFC 9101 §4 and OIDC Core §6.1: iss is the client, aud names this OP, not expired."""
    issuer, client_id = current_app.settings.issuer, client.client_id
    if not is_text(claims):
        raise invalid_object(client, "a claim holds a string that is not Unicode text "
                                     "(an unpaired surrogate escape)")
    try:
        jwt.JWTClaimsRegistry(leeway=LEEWAY).validate(claims)
    except JoseError as exc:
        reason = f"claim check failed: {exc.error} {exc.description or ''}"
        raise invalid_object(client, reason) from None
    # RFC 9101 §6.3: "The client ID values in the client_id request parameter and in the
    # Request Object client_id claim MUST be identical."
    if "client_id" in claims and claims["client_id"] != client_id:
        raise invalid_object(client, f"client_id {claims['client_id']!r} is not {client_id!r}")
    if "iss" in claims and claims["iss"] != client_id:
        raise invalid_object(client, f"iss {claims['iss']!r} is not the client_id {client_id!r}")
    audience = claims.get("aud")
    if audience is not None and issuer not in (audience if isinstance(audience, list)
                                               else [audience]):
        raise invalid_object(client, f"aud {audience!r} does not name the issuer {issuer}")
    # OIDC Core §6.1: "The request and request_uri parameters MUST NOT be included in
    # Request Objects."
    if "request" in claims or "request_uri" in claims:
        raise invalid_object(client, "a request object must not hold 'request' or 'request_uri'")


def as_params(claims: dict[str, Any]) -> dict[str, str]:
    """Claims as form parameters: strings kept, other JSON values (max_age, the claims
    object) serialized."""
    return {name: value if isinstance(value, str) else json.dumps(value)
            for name, value in claims.items()
            if name not in JWT_CLAIMS and value is not None}
