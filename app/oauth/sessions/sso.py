"""Server-side SSO sessions as the browser sees them: the session cookie (who is signed in,
a new session at every sign-in), the idle and absolute lifetimes, the clients that received
tokens in each, and the OP browser state behind ``session_state``.

OpenID Connect Session Management 1.0: https://openid.net/specs/openid-connect-session-1_0.html

The OP browser state is a random value in a cookie that the check_session_iframe can read
(not HttpOnly, SameSite=Lax); it changes on every login and every logout, so a session_state
computed from it before either no longer matches afterwards.

A ``Browser`` is this browser as one HTTP request sees and changes it. The endpoint serving
the request makes it and hands it to the steps that need it (the authorization request
carries it); ``Browser.set_cookies`` writes what changed on the response. Nothing of it is
kept on ``flask.g``.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from urllib.parse import urlsplit

from flask import Response, current_app, request

from ...store import NotFound
from ...store.records import SessionRecord, UserRecord

SESSION_COOKIE = "pocket_op_session"
BROWSER_STATE_COOKIE = "pocket_op_browser_state"
DEFAULT_PORTS = {"http": 80, "https": 443}

Login = tuple[UserRecord | None, SessionRecord | None]


def check_session_live(session: SessionRecord, now: float | None = None) -> bool:
    """Whether the session is within the ``session_idle_lifetime`` (since it was last used)
    and the ``session_absolute_lifetime`` (since it was created) settings."""
    now = time.time() if now is None else now
    settings = current_app.settings
    return (now - session.last_used_at <= settings.session_idle_lifetime
            and now - session.created_at <= settings.session_absolute_lifetime)


def read_login() -> Login:
    """The signed-in user and SSO session of the request's session cookie, if any."""
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


class Browser:
    """This browser during one HTTP request: who is signed in (read from the session cookie
    once, then as a sign-in or a logout of this request left it) and the cookies to send."""

    def __init__(self) -> None:
        self.login: Login | None = None  # None until read or changed
        self.session_cookie: str | None = None  # a new session's cookie; "" clears it
        self.state_cookie: str | None = None  # the OP browser state to send, new or kept
        self.state_max_age: int | None = None  # None: a browser-session cookie

    def current_login(self) -> Login:
        """The signed-in user and SSO session of this browser, if any."""
        if self.login is None:
            self.login = read_login()
        return self.login

    def sign_in(self, user: UserRecord, amr: list[str], acr: str | None = None) -> SessionRecord:
        """A new SSO session at ``acr`` (a new random id at every login: no session
        fixation), ending the browser's previous one; later steps of the request see it."""
        store = current_app.store
        _, previous = self.current_login()
        if previous is not None:
            store.end_session(previous.sid)
        self.session_cookie, session = store.create_session(
            user.sub, acr=acr, amr=amr, user_agent=request.headers.get("User-Agent", ""),
            ip=request.remote_addr or "")
        self.login = (user, session)
        self.renew_state()
        return session

    def sign_out(self) -> None:
        """After the SSO session ended: nobody signed in, the session cookie cleared and a
        new OP browser state (so the browser's session_state values no longer match)."""
        self.login, self.session_cookie = (None, None), ""
        self.renew_state()

    def renew_state(self) -> None:
        """A new OP browser state for this browser (at login and logout)."""
        self.state_cookie, self.state_max_age = secrets.token_urlsafe(24), None

    def keep_state(self, session: SessionRecord) -> None:
        """Send the browser state again, to expire with ``session``: once the cookie is gone
        the check_session_iframe answers "changed", as it does after a logout."""
        self.state_cookie, now = self.state(), time.time()
        settings = current_app.settings
        self.state_max_age = max(0, int(min(
            settings.session_idle_lifetime,
            session.created_at + settings.session_absolute_lifetime - now)))

    def state(self) -> str:
        """This browser's OP browser state; a new one when it has none."""
        if self.state_cookie is None and not request.cookies.get(BROWSER_STATE_COOKIE):
            self.renew_state()
        return self.state_cookie or request.cookies[BROWSER_STATE_COOKIE]

    def set_cookies(self, response: Response) -> Response:
        """The cookies this request changed: the session cookie (HttpOnly, SameSite=Lax)
        and the OP browser state (readable by the check_session_iframe)."""
        if self.session_cookie is not None:
            cleared = {} if self.session_cookie else {"expires": 0, "max_age": 0}
            set_cookie_once(response, SESSION_COOKIE, self.session_cookie, httponly=True,
                            samesite="Lax", path="/", **cleared)
        if self.state_cookie is not None:
            set_cookie_once(response, BROWSER_STATE_COOKIE, self.state_cookie, httponly=False,
                            samesite="Lax", path="/", max_age=self.state_max_age)
        return response


def set_cookie_once(response: Response, name: str, value: str, **options) -> None:
    """``response.set_cookie``, replacing what an earlier step of the same request set for
    ``name``. RFC 6265 §4.1.1: "Servers SHOULD NOT include more than one Set-Cookie header
    field in the same response with the same cookie-name"."""
    prefix = name + "="
    kept = [field for field in response.headers.getlist("Set-Cookie")
            if not field.startswith(prefix)]
    response.headers.setlist("Set-Cookie", kept)
    response.set_cookie(name, value, **options)


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


def add_session_client(browser: Browser, session: SessionRecord, oauth_request,
                       redirect_uri: str) -> list[tuple[str, str]]:
    """Record that the client of the successful ``oauth_request`` is signed in to
    ``session`` (Front-Channel Logout §4: the OP keeps "track of the set of logged in RPs");
    the ``session_state`` parameter of the authentication response. Session Management §3:
    "When the OP supports session management, it MUST also return the Session State as an
    additional session_state parameter in the Authentication Response": with the openid
    scope, and not for ``response_type=none``, which authenticates nobody to the client."""
    client_id = oauth_request.client.client_id
    current_app.store.add_session_client(session.sid, client_id)
    browser.keep_state(session)
    if ("openid" not in (oauth_request.scope or "").split()
            or oauth_request.payload.response_type == "none"):
        return []
    salt = secrets.token_hex(8)
    state = compute_session_state(client_id, origin_of(redirect_uri), browser.state(), salt)
    return [("session_state", state)]
