"""Authorization server metadata, generated from the registry.

OpenID Connect Discovery 1.0 §4: https://openid.net/specs/openid-connect-discovery-1_0.html
RFC 8414 OAuth 2.0 Authorization Server Metadata: https://www.rfc-editor.org/rfc/rfc8414
"""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, jsonify, request, url_for

bp = Blueprint("discovery", __name__)


def path_of(endpoint: str) -> str:
    """A route's path below the issuer (the issuer's own path is in SCRIPT_NAME)."""
    path = url_for(endpoint)
    root = request.script_root
    return path[len(root):] if root and path.startswith(root) else path


def metadata() -> dict:
    return current_app.registry.metadata(current_app.settings.issuer, path_of)


def _document_response():
    response = jsonify(metadata())
    response.headers["Cache-Control"] = "public, max-age=60"
    return response


@bp.get("/.well-known/openid-configuration")
def openid_configuration():
    """OIDC Discovery §4.2: "The response is a set of Claims about the OpenID Provider's
    configuration", served as application/json with 200 OK."""
    return _document_response()


@bp.get("/.well-known/oauth-authorization-server")
def oauth_authorization_server():
    """RFC 8414 §3.2: the same metadata, at the RFC 8414 well-known URI."""
    return _document_response()


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
