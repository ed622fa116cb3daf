"""``jwks_uri``: the OP's public keys (RFC 7517 §5 JWK Set).

OIDC Discovery §3: jwks_uri is "URL of the OP's JSON Web Key Set document"; RFC 7517 §4:
private members must not be published, so only public JWKs are stored for serving.
"""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, jsonify

from ...keys import public_jwks

bp = Blueprint("jwks", __name__)


@bp.get("/jwks")
def jwks():
    response = jsonify(public_jwks(current_app.store))
    response.headers["Content-Type"] = "application/jwk-set+json"
    response.headers["Cache-Control"] = "public, max-age=60"
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.registry.add_endpoint("jwks_uri", "jwks.jwks")
