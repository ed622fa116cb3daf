"""Ending an SSO session, whoever asks (the user at the end_session_endpoint, the admin
screens): the session ends, the grants bound to it are revoked unless they are
offline_access grants, and every client that received tokens in it is told: by back-channel
POST right away, and through the front-channel iframes the caller renders.

OpenID Connect Front-Channel Logout 1.0: https://openid.net/specs/openid-connect-frontchannel-1_0.html
OpenID Connect Back-Channel Logout 1.0: https://openid.net/specs/openid-connect-backchannel-1_0.html

Also the pending logout confirmations of RP-Initiated Logout 1.0 §2, kept like pending
interactions: server-side under a random id that an HttpOnly, SameSite=Lax cookie holds.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

from flask import current_app, request

from ...events import emit
from ...store import NotFound
from ...store.records import SessionRecord
from ..clients import OAuthClient
from . import backchannel

LOGOUT_COOKIE = "pocket_op_logout"
CONFIRMATION_LIFETIME = 600  # seconds a logout confirmation page stays usable
MAX_PENDING = 10_000


def session_clients(sid: str) -> list[OAuthClient]:
    """The clients that received tokens in session ``sid`` and still exist."""
    clients = []
    for client_id in current_app.store.find_session_clients(sid):
        try:
            clients.append(OAuthClient(current_app.store.get_client(client_id)))
        except NotFound:
            continue
    return clients


def end_sso_session(sid: str, reason: str) -> list[str]:
    """End the live session ``sid`` (NotFound if there is none) and log its clients out;
    returns the front-channel logout URIs for the caller to render (an admin caller, with
    no browser at hand, drops them).

    Back-Channel Logout §2.7: "Refresh tokens issued without the offline_access property to
    a session being logged out SHOULD be revoked. Refresh tokens issued with the
    offline_access property normally SHOULD NOT be revoked." The whole grant (family) goes,
    its access tokens with it."""
    store = current_app.store
    session = store.get_session(sid)
    store.end_session(sid)
    revoked = store.revoke_session_tokens(sid)
    clients = session_clients(sid)
    emit("session.ended", sid=sid, sub=session.sub, reason=reason, tokens_revoked=revoked,
         clients=[client.client_id for client in clients])
    backchannel.send_logouts(session, clients)
    return frontchannel_uris(session, clients)


def frontchannel_uris(session: SessionRecord, clients: list[OAuthClient]) -> list[str]:
    """Front-Channel Logout §2: each client's ``frontchannel_logout_uri``;
    ``frontchannel_logout_session_required`` says "whether the RP requires that iss (issuer)
    and sid (session ID) query parameters be included", and "If either is included, both
    MUST be"."""
    uris = []
    for client in clients:
        uri = client.get("frontchannel_logout_uri")
        if not uri:
            continue
        if client.get("frontchannel_logout_session_required"):
            uri = add_query(uri, [("iss", current_app.settings.issuer), ("sid", session.sid)])
        uris.append(uri)
    return uris


def add_query(uri: str, params: list[tuple[str, str]]) -> str:
    """``uri`` with ``params`` added to its query (its own query kept)."""
    parts = urlsplit(uri)
    query = "&".join(filter(None, [parts.query, urlencode(params)]))
    return urlunsplit(parts._replace(query=query))


@dataclass
class PendingLogout:
    """A logout request waiting for the user's answer on the confirmation page."""

    id: str
    sid: str
    params: dict[str, str]
    expires_at: float


class PendingLogouts:
    """Pending logout confirmations, in memory: a restart only asks the RP to start over."""

    def __init__(self):
        self._pending: dict[str, PendingLogout] = {}
        self._lock = threading.Lock()

    def create(self, sid: str, params: dict[str, str]) -> PendingLogout:
        now = time.time()
        with self._lock:
            if len(self._pending) >= MAX_PENDING:
                self._pending = {k: v for k, v in self._pending.items() if v.expires_at > now}
            pending = PendingLogout(secrets.token_urlsafe(24), sid, dict(params),
                                    now + CONFIRMATION_LIFETIME)
            self._pending[pending.id] = pending
        return pending

    def consume(self, logout_id: str) -> PendingLogout | None:
        """The pending logout, once, if it exists, has not expired and this browser holds
        its cookie (so a cross-site form post cannot answer for the user)."""
        if request.cookies.get(LOGOUT_COOKIE) != logout_id:
            return None
        with self._lock:
            pending = self._pending.pop(logout_id, None)
        if pending is None or pending.expires_at <= time.time():
            return None
        return pending
