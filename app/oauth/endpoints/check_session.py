"""``check_session_iframe``: the OP iframe of OpenID Connect Session Management 1.0 §4.2,
answering the RP iframe's ``client_id + " " + session_state`` with "changed", "unchanged"
or "error" by recomputing session_state from the OP browser-state cookie (see ``sso``).

https://openid.net/specs/openid-connect-session-1_0.html
"""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, render_template

from ..sessions.sso import BROWSER_STATE_COOKIE

bp = Blueprint("check_session", __name__)


@bp.get("/check_session")
def check_session_iframe():
    """§2.1 check_session_iframe: "URL of an OP iframe that supports cross-origin
    communications for session state information with the RP Client, using the HTML5
    postMessage API". It is framed by RPs on any origin, so it sends no framing limits."""
    response = current_app.make_response(
        render_template("check_session.html", cookie=BROWSER_STATE_COOKIE))
    response.headers["Cache-Control"] = "no-cache"
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.registry.add_endpoint("check_session_iframe", "check_session.check_session_iframe")
