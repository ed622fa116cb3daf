"""The admin screens: one page at ``/admin`` (the shell) and, under ``/admin/static/``, one
ES module per screen, named after its resource in the admin API (clients, scopes, users,
keys, sessions, acrs, settings, logs), one per panel of a screen (``try_it`` on a client's
page, ``portability`` on Configuration), ``shell.js`` routing between them, ``api.js`` their
only way to the server, and one stylesheet. No build step and nothing fetched from elsewhere:
the files here are what the browser runs.

The screens talk only to the admin JSON API (``app.admin``): a browser signs in with the
local ``admin`` account; the desktop window opens ``/admin#launch=<token>`` and is let in by
the per-launch token.

May import Flask (and ``app``, though it needs nothing of it: the API is reached over HTTP);
``app`` never imports this package.
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, redirect, render_template, request, url_for

#: The screens in nav order: (route name, title). ``settings`` is the Configuration screen.
SCREENS = (("clients", "Clients"), ("scopes", "Scopes"), ("users", "Users"), ("keys", "Keys"),
           ("sessions", "Sessions"), ("acrs", "Enabled ACRs"), ("settings", "Configuration"),
           ("logs", "Logs"))
#: The shell runs only our own files: no inline script, no other origin, never framed.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; "
                           "img-src 'self' data:; connect-src 'self'; object-src 'none'; "
                           "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")

bp = Blueprint("admin_screens", __name__, url_prefix="/admin", static_folder="static",
               static_url_path="/static", template_folder="templates")


@bp.get("")
def shell() -> Response:
    response = Response(render_template(
        "admin/shell.html", screens=SCREENS, api_base=request.script_root + "/admin/api"))
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/")
def shell_with_slash() -> Response:
    return redirect(url_for("admin_screens.shell"))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
