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
from ..tokens import sign
from .revocation import find_token

bp = Blueprint("introspection", __name__)

#: RFC 9701 §4 / §8.1: the media type a caller accepts to get a signed JWT response.
JWT_RESPONSE_TYPE = "application/token-introspection+jwt"
JWT_HEADERS = [("Content-Type", JWT_RESPONSE_TYPE), ("Cache-Control", "no-store"),
               ("Pragma", "no-cache")]
#: RFC 9068 claims read from a JWT access token, so introspection repeats them exactly.
JWT_CLAIMS = ("sub", "exp", "iat", "jti")
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
    level, so it cannot pass for an access token. Signed RS256 with our key (there is no
    per-client choice of algorithm, so none is advertised)."""
    claims = {"iss": current_app.settings.issuer, "aud": client.client_id,
              "iat": int(time.time()), "token_introspection": response}
    return sign(claims, "RS256", typ="token-introspection+jwt")


def check_jwt_requested() -> bool:
    """RFC 9701 §4: the caller asks for a JWT with ``Accept: application/token-introspection+jwt``;
    anything else (no Accept, ``*/*``, ``application/json``) gets JSON."""
    best = request.accept_mimetypes.best_match(["application/json", JWT_RESPONSE_TYPE])
    return best == JWT_RESPONSE_TYPE


class Introspection(IntrospectionEndpoint):
    """Callers authenticate as confidential clients, with any method of the token endpoint
    but "none": public clients (``token_endpoint_auth_method`` "none") get
    ``invalid_client``, since §2.1 says "the endpoint MUST also require some form of
    authorization to access this endpoint". Any authenticated client may introspect any
    token: on a developer's OP the resource servers are its registered clients."""

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
        return True

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
