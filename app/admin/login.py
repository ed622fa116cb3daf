"""``/admin/api/session``: the browser's admin sign-in with the local ``admin`` account.

``POST`` takes ``username`` and ``password`` (JSON, or the login form's fields), sets the
signed session cookie and returns the CSRF token that state-changing requests must echo in
``X-CSRF-Token``; ``GET`` tells who is signed in (and the token again); ``DELETE`` signs out.
A session ends ``guard.SESSION_LIFETIME`` after sign-in, or sooner when unused for the
``admin_session_idle_lifetime`` setting (``guard.cookie_session_id``).
Failed sign-ins are throttled per address: five a minute, then 429.
"""

from __future__ import annotations

import secrets
import time

from flask import Blueprint, Response, current_app, g, jsonify, request

from ..events import emit
from ..oauth.login_throttle import FailedSignIns
from ..seed import ADMIN_USERNAME
from . import guard
from .api import AdminError, Problems, no_content, read_json, take_text

bp = Blueprint("login", __name__)

MAX_FAILURES = 5  # failed sign-ins allowed per address and window
FAILURE_WINDOW = 60.0  # seconds


def failed_logins() -> FailedSignIns:
    return current_app.extensions["pocket_op.admin_failed_logins"]


def read_credentials() -> tuple[str, str]:
    body = request.form if request.mimetype != "application/json" else read_json()
    problems = Problems()
    username = take_text(body, "username", problems, required=True)
    password = take_text(body, "password", problems, required=True)
    problems.validate()
    return username, password


def session_body(caller: guard.Caller, expires_at: float | None = None) -> dict:
    body = {"username": ADMIN_USERNAME, "method": caller.method,
            "csrf_token": guard.csrf_token(caller.session_id) if caller.session_id else None}
    if expires_at is not None:
        body["expires_at"] = int(expires_at)
    return body


def cookie_path() -> str:
    return request.script_root + "/admin"


@bp.post("/session")
def create_session() -> Response:
    address = request.remote_addr or ""
    wait = failed_logins().retry_after(ADMIN_USERNAME, address, MAX_FAILURES, FAILURE_WINDOW)
    if wait is not None:
        error = AdminError(429, "too_many_requests",
                           "Too many failed sign-ins; try again in a minute.")
        response = error.response()
        response.headers["Retry-After"] = str(wait)
        return response
    username, password = read_credentials()
    if not current_app.store.check_admin_password(username, password):
        failed_logins().record(ADMIN_USERNAME, address, MAX_FAILURES, FAILURE_WINDOW)
        emit("admin.login_failed", ip=address)
        raise AdminError(401, "unauthorized", "Wrong admin username or password.")
    failed_logins().clear(ADMIN_USERNAME, address)
    session_id = secrets.token_urlsafe(24)
    expires_at = time.time() + guard.SESSION_LIFETIME
    current_app.store.save_admin_session(session_id, expires_at)
    emit("admin.login", username=username, ip=address)
    response = jsonify(session_body(guard.Caller("cookie", session_id), expires_at))
    response.set_cookie(guard.COOKIE, guard.session_cookie(session_id),
                        max_age=guard.SESSION_LIFETIME, path=cookie_path(), httponly=True,
                        secure=request.is_secure, samesite="Strict")
    return response


@bp.get("/session")
def read_session() -> Response:
    return jsonify(session_body(g.admin))


@bp.delete("/session")
def delete_session() -> Response:
    caller: guard.Caller = g.admin
    response = no_content()
    if caller.session_id:
        current_app.store.delete_admin_session(caller.session_id)
        emit("admin.logout", username=ADMIN_USERNAME)
        response.delete_cookie(guard.COOKIE, path=cookie_path(), httponly=True,
                               secure=request.is_secure, samesite="Strict")
    return response
