"""``userinfo_endpoint`` (OpenID Connect Core §5.3) with Bearer tokens (RFC 6750).

RFC 6750 §2.1 (Authorization header) and §2.2 (form body); §3.1 errors: "invalid_token"
and "insufficient_scope" with a WWW-Authenticate challenge.
https://openid.net/specs/openid-connect-core-1_0.html#UserInfo
"""

from __future__ import annotations

import json
import time

from authlib.oauth2 import OAuth2Error
from flask import Blueprint, Flask, Response, current_app, jsonify, request

from ...errors import error_response
from ...store import NotFound
from ..claims import user_claims
from ..tokens import encrypt_for, sign

bp = Blueprint("userinfo", __name__)


def bearer_challenge(status: int, error: str | None, description: str = "") -> Response:
    if error:
        response = jsonify({"error": error, "error_description": description})
        challenge = f'Bearer realm="pocket-op", error="{error}", error_description="{description}"'
    else:
        response = jsonify({"error": "invalid_request",
                            "error_description": "Missing bearer token."})
        challenge = 'Bearer realm="pocket-op"'
    response.status_code = status
    response.headers["WWW-Authenticate"] = challenge
    response.headers["Cache-Control"] = "no-store"
    return response


def read_bearer() -> tuple[str | None, str | None]:
    """(token, problem): RFC 6750 §2: exactly one method of sending the token."""
    header = request.headers.get("Authorization", "")
    from_header = header[7:].strip() if header[:7].lower() == "bearer " else None
    from_body = None
    if request.method == "POST" and request.mimetype == "application/x-www-form-urlencoded":
        from_body = request.form.get("access_token")
    if from_header and from_body:
        return None, "Send the access token in one place only."
    return from_header or from_body, None


@bp.route("/userinfo", methods=["GET", "POST"])
def userinfo():
    token, problem = read_bearer()
    if problem:
        return bearer_challenge(400, "invalid_request", problem)
    if not token:
        # RFC 6750 §3.1: with no authentication information, no error code.
        return bearer_challenge(401, None)
    store = current_app.store
    try:
        record = store.get_token(token)
    except NotFound:
        record = None
    if (record is None or record.kind != "access" or record.revoked_at is not None
            or record.expires_at <= time.time() or record.sub is None):
        return bearer_challenge(401, "invalid_token", "The access token is invalid or expired.")
    if "openid" not in record.scope.split():
        return bearer_challenge(403, "insufficient_scope", "The token lacks the openid scope.")
    try:
        user = store.get_user_by_sub(record.sub)
    except NotFound:
        return bearer_challenge(401, "invalid_token", "The token's user no longer exists.")
    client = current_app.oauth.query_client(record.client_id)
    requested = (record.data.get("claims") or {}).get("userinfo")
    claims = user_claims(client, user, record.scope, requested)
    try:
        return userinfo_response(client, claims)
    except OAuth2Error as error:  # e.g. the client's encryption key cannot be had
        return error_response(error.status_code, error.error, error.description)


def userinfo_response(client, claims: dict) -> Response:
    """OIDC Core §5.3.2: JSON, or a JWT when the client registered
    ``userinfo_signed_response_alg`` and/or ``userinfo_encrypted_response_alg``; a signed
    response "SHOULD contain the Claims iss (issuer) and aud (audience)"."""
    alg = client.get("userinfo_signed_response_alg") if client else None
    if client is None or not (alg or client.get("userinfo_encrypted_response_alg")):
        response = jsonify(claims)
    else:
        payload = {**claims, "iss": current_app.settings.issuer, "aud": client.client_id}
        body = sign(payload, alg) if alg else json.dumps(payload)
        body = encrypt_for(client, body, "userinfo", nested=bool(alg))
        response = Response(body, mimetype="application/jwt")
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.registry.add_endpoint("userinfo_endpoint", "userinfo.userinfo")
