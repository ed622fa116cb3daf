"""``/admin/api/sessions``: the live SSO sessions (user, clients that received tokens,
created, last used, acr, IP, user agent), and revoking one or all of a user's.

Revoking goes through the same logout as the end_session_endpoint
(``app.oauth.sessions.logout.end_sso_session``): the session ends, its non-offline grants are
revoked and its clients are told by back-channel. Front-channel logout needs the user's
browser, which an admin call does not have, so those URIs are dropped.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from ..events import emit
from ..oauth.sessions.logout import end_sso_session
from ..oauth.sessions.sso import check_session_live
from ..store import NotFound
from ..store.records import SessionRecord
from .api import AdminError, no_content

bp = Blueprint("sessions", __name__)


def session_body(record: SessionRecord, usernames: dict[str, str]) -> dict[str, Any]:
    return {"sid": record.sid, "sub": record.sub, "username": usernames.get(record.sub),
            "clients": current_app.store.find_session_clients(record.sid),
            "created_at": record.created_at, "last_used_at": record.last_used_at,
            "auth_time": record.auth_time, "acr": record.acr, "amr": record.amr,
            "ip": record.ip, "user_agent": record.user_agent,
            "expired": not check_session_live(record)}


def revoke(record: SessionRecord) -> None:
    end_sso_session(record.sid, reason="admin")
    emit("session.revoked", sid=record.sid, sub=record.sub)


@bp.get("/sessions")
def list_sessions() -> Response:
    """Sessions not ended, oldest first; ``?sub=`` keeps one user's. ``expired`` marks those
    past the idle or absolute lifetime, which no longer sign anyone in."""
    store = current_app.store
    usernames = {user.sub: user.username for user in store.find_users()}
    records = store.find_sessions(request.args.get("sub") or None)
    return jsonify({"sessions": [session_body(record, usernames) for record in records]})


@bp.get("/sessions/<sid>")
def get_session(sid: str) -> Response:
    store = current_app.store
    record = store.get_session(sid)
    if record.ended_at is not None:
        raise NotFound(f"session {sid!r}")
    usernames = {user.sub: user.username for user in store.find_users()}
    return jsonify(session_body(record, usernames))


@bp.delete("/sessions/<sid>")
def delete_session(sid: str) -> Response:
    record = current_app.store.get_session(sid)
    if record.ended_at is not None:
        raise NotFound(f"session {sid!r}")
    revoke(record)
    return no_content()


@bp.delete("/sessions")
def delete_user_sessions() -> Response:
    """Every session of ``?sub=`` (required: this never ends everyone's by accident)."""
    sub = request.args.get("sub")
    if not sub:
        raise AdminError(400, "invalid_request", "Invalid 'sub': required.",
                         {"sub": "required"})
    revoked = 0
    for record in current_app.store.find_sessions(sub):
        try:
            revoke(record)
        except NotFound:  # ended meanwhile
            continue
        revoked += 1
    return jsonify({"revoked": revoked})
