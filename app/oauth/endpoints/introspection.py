"""``introspection_endpoint``: OAuth 2.0 Token Introspection, with the JWT response.

RFC 7662: https://www.rfc-editor.org/rfc/rfc7662
RFC 9701 (JWT Response for OAuth Token Introspection): https://www.rfc-editor.org/rfc/rfc9701
"""

from __future__ import annotations

import json
import time
from typing import Any

from authlib.consts import default_json_headers
from authlib.oauth2.rfc6749 import InvalidRequestError
from authlib.oauth2.rfc7662 import IntrospectionEndpoint
from flask import Blueprint, Flask, current_app, request
from joserfc import jws
from joserfc.errors import JoseError

from ...events import emit
from ...store import NotFound
from ...store.records import TokenRecord, UserRecord
from ..claims import subject_for
from ..server import TOKEN_ENDPOINT_AUTH_METHODS
from ..tokens import JWE_ALGS, JWE_ENCS, SIGNING_ALGS, encrypt_for, sign
from .revocation import find_token

bp = Blueprint("introspection", __name__)

#: RFC 9701 §4 / §8.1: the media type a caller accepts to get a signed JWT response.
JWT_RESPONSE_TYPE = "application/token-introspection+jwt"
JWT_HEADERS = [("Content-Type", JWT_RESPONSE_TYPE), ("Cache-Control", "no-store"),
               ("Pragma", "no-cache")]
#: RFC 9068 claims read from a JWT access token, so introspection repeats them exactly.
JWT_CLAIMS = ("sub", "aud", "exp", "iat", "jti")
#: RFC 9701 §6: "The default, if omitted, is RS256" (``introspection_signed_response_alg``).
DEFAULT_SIGNING_ALG = "RS256"
#: RFC 7662 §2.2 ``token_type`` per stored kind.
TOKEN_TYPES = {"access": "Bearer", "refresh": "refresh_token"}


def issued_jwt_claims(raw: str) -> dict[str, Any]:
    """The claims of a JWT access token we issued, or {} for a reference token. The token
    was found by its digest, so it is the very string we signed: no need to verify again."""
    try:
        claims = json.loads(jws.extract_compact(raw.encode()).payload)
    except (JoseError, ValueError):
        return {}
    if not isinstance(claims, dict):
        return {}
    return {key: claims[key] for key in JWT_CLAIMS if key in claims}


def token_audience(raw: str, record: TokenRecord) -> set[str]:
    """Who the token is meant for: a JWT access token's ``aud`` (RFC 9068 §2.2), else the
    client it was issued to (a reference token's audience, as its description says)."""
    aud = issued_jwt_claims(raw).get("aud", record.client_id)
    values = aud if isinstance(aud, list) else [aud]
    return {value for value in values if isinstance(value, str)}


def check_may_introspect(raw: str, record: TokenRecord, client) -> bool:
    """RFC 7662 §4: the authorization server "SHOULD require protected resources to be
    specifically authorized to call the introspection endpoint" and "MAY respond
    differently to different protected resources making the same request": a caller learns
    about the tokens issued to it, and about the tokens whose audience includes it (it is
    their resource server). Anything else it is "not allowed to introspect" (§2.2)."""
    return (client.client_id == record.client_id
            or client.client_id in token_audience(raw, record))


def find_user(sub: str) -> UserRecord | None:
    try:
        return current_app.store.get_user_by_sub(sub)
    except NotFound:
        return None


def describe_token(raw: str, record: TokenRecord | None) -> dict[str, Any]:
    """§2.2: "If the introspection call is properly authorized but the token is not active,
    does not exist on this server, or the protected resource is not allowed to introspect
    this particular token, then the authorization server MUST return an introspection
    response with the "active" field set to "false"." A token whose client or user is gone
    or disabled is not active either."""
    if (record is None or record.kind not in TOKEN_TYPES or record.revoked_at is not None
            or record.expires_at <= time.time()):
        return {"active": False}
    client = current_app.oauth.query_client(record.client_id)
    user = find_user(record.sub) if record.sub is not None else None
    if client is None or (record.sub is not None and (user is None or not user.active)):
        return {"active": False}
    response = {
        "active": True, "scope": record.scope, "client_id": record.client_id,
        "username": user.username if user else None, "token_type": TOKEN_TYPES[record.kind],
        "exp": int(record.expires_at), "iat": int(record.created_at),
        # RFC 9068 §2.2: a client's own tokens (no user) have the client as subject.
        "sub": subject_for(client, user) if user else record.client_id,
        "aud": record.client_id, "iss": current_app.settings.issuer,
    }
    response.update(issued_jwt_claims(raw))
    return {key: value for key, value in response.items() if value not in (None, "")}


def create_jwt_response(response: dict[str, Any], client) -> str:
    """RFC 9701 §5: a JWT with iss, aud (the caller), iat and the response object in
    ``token_introspection``; it "SHOULD NOT include the "sub" and "exp" claims" at the top
    level, so it cannot pass for an access token. Signed with the caller's
    ``introspection_signed_response_alg`` (§6: "The default, if omitted, is RS256"); when
    it registered ``introspection_encrypted_response_alg`` "the response will be signed
    then encrypted, with the result being a Nested JWT" (``_enc`` default A128CBC-HS256)."""
    claims = {"iss": current_app.settings.issuer, "aud": client.client_id,
              "iat": int(time.time()), "token_introspection": response}
    alg = client.get("introspection_signed_response_alg") or DEFAULT_SIGNING_ALG
    return encrypt_for(client, sign(claims, alg, typ="token-introspection+jwt"),
                       "introspection")


def check_jwt_requested() -> bool:
    """RFC 9701 §4: the caller asks for a JWT with ``Accept: application/token-introspection+jwt``;
    anything else (no Accept, ``*/*``, ``application/json``) gets JSON."""
    best = request.accept_mimetypes.best_match(["application/json", JWT_RESPONSE_TYPE])
    return best == JWT_RESPONSE_TYPE


class Introspection(IntrospectionEndpoint):
    """Callers authenticate as confidential clients, with any method of the token endpoint
    but "none": public clients (``token_endpoint_auth_method`` "none") get
    ``invalid_client``, since §2.1 says "the endpoint MUST also require some form of
    authorization to access this endpoint". A client learns only about its own tokens and
    the tokens meant for it (``check_may_introspect``); any other gets ``{"active": false}``,
    exactly as for a token that does not exist."""

    #: The token endpoint's methods minus "none".
    CLIENT_AUTH_METHODS = [method for method in TOKEN_ENDPOINT_AUTH_METHODS if method != "none"]

    def check_params(self, request, client) -> None:
        """§2.1: ``token`` REQUIRED. ``token_type_hint`` is not checked: "An authorization
        server MAY ignore this parameter", and one lookup by digest finds either kind."""
        if not request.form.get("token"):
            raise InvalidRequestError("Missing 'token' parameter.")

    def query_token(self, token_string: str, token_type_hint: str | None) -> TokenRecord | None:
        return find_token(token_string)

    def check_permission(self, token, client, request) -> bool:
        return check_may_introspect(request.form["token"], token, client)

    def create_endpoint_response(self, request):
        """§2.2 JSON, or the RFC 9701 JWT when the caller accepts it."""
        client = self.authenticate_endpoint_client(request)
        record = self.authenticate_token(request, client)
        response = describe_token(request.form["token"], record)
        emit("token.introspected", client_id=client.client_id, active=response["active"],
             token_hash=record.token_hash[:16] if record else None)
        if check_jwt_requested():
            return 200, create_jwt_response(response, client), JWT_HEADERS
        return 200, response, default_json_headers


@bp.post("/introspect")
def introspect():
    return current_app.oauth.create_endpoint_response(Introspection.ENDPOINT_NAME)


def init_app(app: Flask) -> None:
    app.oauth.register_endpoint(Introspection)
    app.register_blueprint(bp)
    app.registry.add_endpoint("introspection_endpoint", "introspection.introspect")
    app.registry.add_supported("introspection_endpoint_auth_methods_supported",
                               *Introspection.CLIENT_AUTH_METHODS)
    # RFC 9701 §7: what the JWT responses may be signed and encrypted with (per client).
    app.registry.add_supported("introspection_signing_alg_values_supported", *SIGNING_ALGS)
    app.registry.add_supported("introspection_encryption_alg_values_supported", *JWE_ALGS)
    app.registry.add_supported("introspection_encryption_enc_values_supported", *JWE_ENCS)
