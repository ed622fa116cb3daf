"""Who may call the admin API, checked before every ``/admin/api`` request:

1. loopback callers only (unless the ``admin_remote_access`` setting says otherwise), and a
   Host header naming this machine, so a DNS-rebinding page cannot reach the API;
2. an ``Origin`` header, when a state-changing request has one, must be the server's own;
3. authentication: the per-launch token as ``Authorization: Bearer`` (the desktop window), or
   the signed admin session cookie of ``POST /admin/api/session`` (a browser), which ends
   ``SESSION_LIFETIME`` after sign-in or ``admin_session_idle_lifetime`` after its last use;
4. with the cookie, state-changing requests carry ``X-CSRF-Token``, a value bound to the
   session. Bearer calls need none: a browser never adds that header by itself.

Every ``/admin`` response is ``no-store``, never framed, and has no CORS headers.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..hosts import check_loopback_address, check_loopback_name, host_name
from ..store.crypto import generate_secret
from .api import AdminError

PREFIX = "/admin/api"
COOKIE = "pocket_op_admin"
SESSION_LIFETIME = 12 * 3600  # seconds an admin sign-in lasts at most (idle: a setting)
CSRF_HEADER = "X-CSRF-Token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass
class AdminState:
    """Per-app admin secrets: the per-launch token and the install-derived signing key."""

    launch_token: str
    secret_key: str
    serializer: URLSafeTimedSerializer = field(init=False)

    def __post_init__(self):
        self.serializer = URLSafeTimedSerializer(self.secret_key, salt="pocket-op admin session")


@dataclass(frozen=True)
class Caller:
    """An authenticated admin call: by ``launch_token`` or by ``cookie`` (with its session)."""

    method: str
    session_id: str | None = None


def state() -> AdminState:
    return current_app.extensions["pocket_op.admin"]


def derive_secret_key(app: Flask) -> str:
    """HMAC of the install record's id with a random per-install secret: the same key after
    a restart (sessions survive), another one for another data dir."""
    install_id = app.store.get_setting("install")["id"]
    per_install = app.store.ensure_secret("admin_secret_key")
    return hmac.new(per_install.encode(), install_id.encode(), hashlib.sha256).hexdigest()


def is_admin_path(path: str) -> bool:
    return path == "/admin" or path.startswith("/admin/")


def is_api_path(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")


def check_host(host: str, issuer: str) -> bool:
    """Whether the Host header names this machine or the issuer's host (stricter than the
    whole server's ``hosts.check_host``: no other IP, no ``allowed_hosts``)."""
    name = host_name(host)
    if name is None:
        return False
    return check_loopback_name(name) or name == (urlsplit(issuer).hostname or "")


def origin_of(url: str) -> str | None:
    """RFC 6454 serialisation: scheme://host[:port] without a default port."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if not parts.scheme or not parts.hostname:
        return None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    if port is not None and DEFAULT_PORTS.get(parts.scheme) != port:
        host = f"{host}:{port}"
    return f"{parts.scheme}://{host}"


def check_origin(origin: str, issuer: str, host_url: str) -> bool:
    """Whether an Origin header is this server's: the issuer's origin or the request's."""
    own = {origin_of(issuer), origin_of(host_url)} - {None}
    return origin_of(origin) in own


def csrf_token(session_id: str) -> str:
    return hmac.new(state().secret_key.encode(), f"csrf {session_id}".encode(),
                    hashlib.sha256).hexdigest()


def session_cookie(session_id: str) -> str:
    return state().serializer.dumps({"sid": session_id})


def cookie_session_id() -> str | None:
    """The live admin session of the request's cookie, or None."""
    value = request.cookies.get(COOKIE)
    if not value:
        return None
    try:
        data = state().serializer.loads(value, max_age=SESSION_LIFETIME)
    except BadSignature:
        return None
    session_id = data.get("sid") if isinstance(data, dict) else None
    if not isinstance(session_id, str):
        return None
    idle_lifetime = current_app.settings.admin_session_idle_lifetime
    return session_id if current_app.store.use_admin_session(session_id, idle_lifetime) else None


def authenticate() -> Caller | None:
    """The launch token when an Authorization header is sent (it alone decides), else the
    session cookie."""
    header = request.headers.get("Authorization")
    if header is not None:
        scheme, _, token = header.partition(" ")
        expected = state().launch_token.encode()
        if scheme.lower() == "bearer" and hmac.compare_digest(token.strip().encode(), expected):
            return Caller("launch_token")
        return None
    session_id = cookie_session_id()
    return Caller("cookie", session_id) if session_id else None


def unauthorized() -> AdminError:
    return AdminError(401, "unauthorized", "Sign in as the admin or send the launch token.")


def forbidden(description: str) -> AdminError:
    return AdminError(403, "forbidden", description)


def validate_access() -> None:
    """The checks of the module docstring, in order; raises AdminError."""
    settings = current_app.settings
    if not settings.get("admin_remote_access", False):
        if not check_loopback_address(request.remote_addr):
            raise forbidden("The admin API answers loopback callers only.")
        if not check_host(request.host, settings.issuer):
            raise forbidden("The Host header does not name this server.")
    unsafe = request.method in UNSAFE_METHODS
    origin = request.headers.get("Origin")
    if unsafe and origin is not None and not check_origin(origin, settings.issuer,
                                                          request.host_url):
        raise forbidden("The request comes from another origin.")
    if request.path == PREFIX + "/session" and request.method == "POST":
        return  # signing in: the credentials are checked by the login endpoint
    caller = authenticate()
    if caller is None:
        raise unauthorized()
    if caller.method == "cookie" and unsafe:
        sent = request.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(sent.encode(), csrf_token(caller.session_id).encode()):
            raise forbidden(f"Missing or wrong '{CSRF_HEADER}' header.")
    g.admin = caller


def guard() -> Response | None:
    """``before_request``: refuse an admin API request that fails a check."""
    if not is_api_path(request.path):
        return None
    try:
        validate_access()
    except AdminError as error:
        response = error.response()
        if error.status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="pocket-op admin"'
        return response
    return None


def protect_response(response: Response) -> Response:
    """``after_request``: admin answers are never cached, framed or shared cross-origin."""
    if not is_admin_path(request.path):
        return response
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers.setdefault("Content-Security-Policy", "frame-ancestors 'none'")
    for name in [name for name in response.headers.keys() if name.lower().startswith(
            "access-control-")]:
        del response.headers[name]
    return response


def init_app(app: Flask) -> None:
    app.extensions["pocket_op.admin"] = AdminState(launch_token=generate_secret(32),
                                                   secret_key=derive_secret_key(app))
    app.admin_launch_token = app.extensions["pocket_op.admin"].launch_token
    if not app.secret_key:
        app.secret_key = app.extensions["pocket_op.admin"].secret_key
    app.before_request(guard)
    app.after_request(protect_response)
