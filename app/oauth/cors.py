"""CORS for the endpoints browsers call directly (single-page apps): discovery, JWKS, token,
userinfo and revocation. They take bearer credentials or client credentials in the request,
never cookies, so any origin may call them; the admin API and the interactive pages get no
CORS headers at all (RFC 9700 §2.6: CORS for the token, metadata and JWKS endpoints, never
for the authorization endpoint).
"""

from __future__ import annotations

from flask import Flask, request

#: Flask endpoint names that answer cross-origin requests.
BROWSER_ENDPOINTS = {"discovery.openid_configuration", "discovery.oauth_authorization_server",
                     "jwks.jwks", "token.token", "userinfo.userinfo", "revocation.revoke"}
ALLOWED_HEADERS = "Authorization, Content-Type, DPoP"


def add_cors_headers(response):
    if request.endpoint not in BROWSER_ENDPOINTS:
        return response
    response.headers["Access-Control-Allow-Origin"] = "*"
    if request.method == "OPTIONS":  # the preflight of a POST or of an Authorization header
        response.headers["Access-Control-Allow-Methods"] = "GET, POST"
        response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        response.headers["Access-Control-Max-Age"] = "600"
    else:
        response.headers["Access-Control-Expose-Headers"] = "WWW-Authenticate"
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_cors_headers)
