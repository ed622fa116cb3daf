"""``token_endpoint`` (RFC 6749 §3.2): every grant, behind one client authentication."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app

bp = Blueprint("token", __name__)


@bp.post("/token")
def token():
    return current_app.oauth.create_token_response()


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.registry.add_endpoint("token_endpoint", "token.token")
