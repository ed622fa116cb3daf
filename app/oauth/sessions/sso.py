"""Server-side SSO sessions as the browser sees them: the session cookie (who is signed in,
a new session at every sign-in), the idle and absolute lifetimes, the clients that received
tokens in each, and the OP browser state behind ``session_state``.

OpenID Connect Session Management 1.0: https://openid.net/specs/openid-connect-session-1_0.html

The OP browser state is a random value in a cookie that the check_session_iframe can read
(not HttpOnly, SameSite=Lax); it changes on every login and every logout, so a session_state
computed from it before either no longer matches afterwards.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from urllib.parse import urlsplit

from flask import Response, current_app, g, request

from ...store import NotFound
from ...store.records import SessionRecord, UserRecord

SESSION_COOKIE = "pocket_op_session"
BROWSER_STATE_COOKIE = "pocket_op_browser_state"
DEFAULT_PORTS = {"http": 80, "https": 443}


def check_session_live(session: SessionRecord, now: float | None = None) -> bool:
    """Whether the session is within the ``session_idle_lifetime`` (since it was last used)
    and the ``session_absolute_lifetime`` (since it was created) settings."""
    now = time.time() if now is None else now
    settings = current_app.settings
    return (now - session.last_used_at <= settings.session_idle_lifetime
            and now - session.created_at <= settings.session_absolute_lifetime)


def current_login() -> tuple[UserRecord | None, SessionRecord | None]:
    """The signed-in user and SSO session of this browser, if any."""
    if "login" in g:
        return g.login
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None, None
    store = current_app.store
    try:
        session = store.get_session_by_cookie(cookie)
        user = store.get_user_by_sub(session.sub)
    except NotFound:
        return None, None
    if not check_session_live(session):  # past session_idle_lifetime or _absolute_lifetime
        return None, None
    return (user, session) if user.active else (None, None)


def sign_in(user: UserRecord, amr: list[str], acr: str | None = None) -> SessionRecord:
    """A new SSO session at ``acr`` (a new random id at every login: no session fixation),
    ending the browser's previous one. ``set_session_cookie`` sets the cookie on the
    response."""
    store = current_app.store
    _, previous = current_login()
    if previous is not None:
        store.end_session(previous.sid)
    cookie, session = store.create_session(
        user.sub, acr=acr, amr=amr, user_agent=request.headers.get("User-Agent", ""),
        ip=request.remote_addr or "")
    g.login = (user, session)
    g.new_session_cookie = cookie
    renew_browser_state()
    return session


def set_session_cookie(response: Response) -> None:
    """The session cookie of a sign-in during this request (HttpOnly, SameSite=Lax)."""
    if "new_session_cookie" in g:
        set_cookie_once(response, SESSION_COOKIE, g.new_session_cookie, httponly=True,
                        samesite="Lax", path="/")


def renew_browser_state() -> None:
    """A new OP browser state for this browser (at login and logout);
    ``set_browser_state_cookie`` sends it."""
    g.new_browser_state = secrets.token_urlsafe(24)
    g.browser_state_max_age = None


def keep_browser_state(session: SessionRecord) -> None:
    """Send the browser state again, to expire with ``session``: once the cookie is gone the
    check_session_iframe answers "changed", as it does after a logout."""
    state, now = browser_state(), time.time()
    settings = current_app.settings
    g.new_browser_state = state
    g.browser_state_max_age = max(0, int(min(
        settings.session_idle_lifetime,
        session.created_at + settings.session_absolute_lifetime - now)))


def browser_state() -> str:
    """This browser's OP browser state; a new one when it has none."""
    if "new_browser_state" not in g and not request.cookies.get(BROWSER_STATE_COOKIE):
        renew_browser_state()
    return g.get("new_browser_state") or request.cookies[BROWSER_STATE_COOKIE]


def set_cookie_once(response: Response, name: str, value: str, **options) -> None:
    """``response.set_cookie``, replacing what an earlier step of the same request set for
    ``name``. RFC 6265 §4.1.1: "Servers SHOULD NOT include more than one Set-Cookie header
    field in the same response with the same cookie-name"."""
    prefix = name + "="
    kept = [field for field in response.headers.getlist("Set-Cookie")
            if not field.startswith(prefix)]
    response.headers.setlist("Set-Cookie", kept)
    response.set_cookie(name, value, **options)


def set_browser_state_cookie(response: Response) -> Response:
    if "new_browser_state" in g:
        set_cookie_once(response, BROWSER_STATE_COOKIE, g.new_browser_state, httponly=False,
                        samesite="Lax", path="/", max_age=g.get("browser_state_max_age"))
    return response


def origin_of(uri: str) -> str:
    """The web origin (RFC 6454) of ``uri`` as a browser serialises it in ``event.origin``:
    scheme://host[:port], without a default port."""
    parts = urlsplit(uri)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    if port is not None and DEFAULT_PORTS.get(parts.scheme) != port:
        host = f"{host}:{port}"
    return f"{parts.scheme}://{host}"


def compute_session_state(client_id: str, origin: str, state: str, salt: str) -> str:
    """Session Management §3, computed as in the spec's example (§4.2): the hex SHA-256 of
    client_id, origin, OP browser state and salt joined by spaces, then "." and the salt.
    "It MUST NOT contain the space (" ") character": hex and our salts have none."""
    text = " ".join((client_id, origin, state, salt))
    return hashlib.sha256(text.encode("utf-8")).hexdigest() + "." + salt


def add_session_client(session: SessionRecord, oauth_request,
                       redirect_uri: str) -> list[tuple[str, str]]:
    """Record that the client of the successful ``oauth_request`` is signed in to
    ``session`` (Front-Channel Logout §4: the OP keeps "track of the set of logged in RPs");
    the ``session_state`` parameter of the authentication response. Session Management §3:
    "When the OP supports session management, it MUST also return the Session State as an
    additional session_state parameter in the Authentication Response": with the openid
    scope, and not for ``response_type=none``, which authenticates nobody to the client."""
    client_id = oauth_request.client.client_id
    current_app.store.add_session_client(session.sid, client_id)
    keep_browser_state(session)
    if ("openid" not in (oauth_request.scope or "").split()
            or oauth_request.payload.response_type == "none"):
        return []
    salt = secrets.token_hex(8)
    state = compute_session_state(client_id, origin_of(redirect_uri), browser_state(), salt)
    return [("session_state", state)]
