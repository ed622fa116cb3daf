"""A second ``pocket-op`` on the same data dir asks the running window to show itself.

The window's process adds ``show`` (a random per-launch secret) to its lock file
(``app.cli.InstanceLock``: mode 0600 in the data dir, emptied on exit), and serves
``POST /admin/window/show``: loopback callers only, with a Host header naming this machine (as
the admin API checks it: no DNS rebinding), ``Authorization: Bearer <show>``. The secret
lets its holder raise the window and nothing else; whoever can read the lock file can read
the whole data dir anyway."""

from __future__ import annotations

import hmac
import urllib.error
import urllib.request
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Blueprint, Flask, Response, request

from app.admin.guard import check_host
from app.errors import error_response
from app.hosts import check_loopback_address

SHOW_PATH = "/admin/window/show"
LOCAL_HOSTS = ("localhost", "::1", "0.0.0.0", "::")  # and 127.0.0.0/8


def init_show_endpoint(app: Flask, secret: str, show: Callable[[], None]) -> None:
    """Serve ``SHOW_PATH`` on ``app`` (before its first request): ``show()`` when asked."""
    bp = Blueprint("desktop_window", __name__)

    @bp.post(SHOW_PATH)
    def show_window() -> Response:
        if not check_loopback_address(request.remote_addr):
            return error_response(403, "forbidden", "The window answers loopback callers only.")
        # ask_to_show sends the request to a loopback URL only: no issuer host to allow.
        if not check_host(request.host, issuer=""):
            return error_response(403, "forbidden", "The Host header does not name this server.")
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(),
                                                                  secret.encode()):
            response = error_response(401, "unauthorized",
                                      "Send the 'show' secret of the lock file as a Bearer token.")
            response.headers["WWW-Authenticate"] = 'Bearer realm="pocket-op window"'
            return response
        show()
        return Response(status=204)

    app.register_blueprint(bp)


def ask_to_show(holder: dict, timeout: float = 5) -> bool:
    """Ask the running instance described by its lock file to show its window."""
    url, secret = holder.get("url"), holder.get("show")
    if not isinstance(url, str) or not isinstance(secret, str):
        return False
    if urlsplit(url).hostname not in LOCAL_HOSTS and not url.startswith("http://127."):
        return False  # the secret goes to this machine only
    show = urllib.request.Request(url + SHOW_PATH, method="POST", data=b"",
                                  headers={"Authorization": f"Bearer {secret}"})
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with direct.open(show, timeout=timeout) as response:
            return response.status == 204
    except (urllib.error.URLError, OSError, ValueError):
        return False
