"""``token_endpoint`` (RFC 6749 §3.2): every grant, behind one client authentication.

RFC 6749 §4.1.3, §4.3.2, §4.4.2, §6 (grant_type) and §5.2 (errors):
https://www.rfc-editor.org/rfc/rfc6749
"""

from __future__ import annotations

from authlib.oauth2.rfc6749 import InvalidRequestError
from flask import Blueprint, Flask, current_app

bp = Blueprint("token", __name__)


@bp.post("/token")
def token():
    """§5.2: Authlib answers any request its grants do not claim with
    unsupported_grant_type, but "invalid_request: The request is missing a required
    parameter": ``grant_type`` is REQUIRED in every token request (§4.1.3, §4.3.2, §4.4.2,
    §6). A value no grant knows stays unsupported_grant_type."""
    oauth = current_app.oauth
    request = oauth.create_oauth2_request(None)
    if not request.payload.grant_type:
        error = InvalidRequestError("Missing 'grant_type' in request.")
        return oauth.handle_error_response(request, error)
    return oauth.create_token_response(request)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.registry.add_endpoint("token_endpoint", "token.token")
