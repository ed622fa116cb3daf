"""Frame protection for every HTML page the OP serves: login, consent, error pages and the
form_post page may not be framed by any other site.

RFC 9700 §4.16 (clickjacking): "Authorization servers MUST prevent clickjacking attacks",
with "the X-Frame-Options HTTP response header field" and CSP level 2 ``frame-ancestors``,
"used on the authorization endpoint and, if applicable, other endpoints used to authenticate
the user and authorize the client (e.g., the device authorization endpoint, login pages,
error pages, etc.)". https://www.rfc-editor.org/rfc/rfc9700#section-4.16

May import Flask only.
"""

from __future__ import annotations

from flask import Flask, Response, request

#: Pages meant to be framed by relying parties on any origin: the OpenID Connect Session
#: Management 1.0 §4.2 OP iframe.
FRAMEABLE_ENDPOINTS = {"check_session.check_session_iframe"}
#: CSP level 2 for browsers that have it; X-Frame-Options (RFC 7034) for the others.
FRAME_ANCESTORS = "frame-ancestors 'none'"


def add_frame_protection(response: Response) -> Response:
    """Deny framing of HTML responses, unless the page is meant to be framed or the view
    already chose its own policy."""
    if response.mimetype != "text/html" or request.endpoint in FRAMEABLE_ENDPOINTS:
        return response
    if "Content-Security-Policy" not in response.headers:
        response.headers["Content-Security-Policy"] = FRAME_ANCESTORS
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_frame_protection)
