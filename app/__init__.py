"""pocket-op's OpenID Provider: a Flask app over a SQLite store, runnable without any GUI.

May import Flask, Waitress, Authlib, joserfc, peewee, cryptography and platformdirs; never
``ui`` (the desktop shell imports this package, not the other way round).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask

from . import admin, errors, health, hosts, logs, oauth, security_headers
from .config import Settings
from .keys import ensure_keys
from .seed import DEMO_USERS, apply_admin_password, first_start
from .startup import ensure_writable_dir
from .store import Store

__version__ = "0.1.0"


class IssuerPath:
    """Serve the app below the issuer's path (issuer ``http://localhost:9400/realms/dev``
    puts every endpoint under ``/realms/dev``), and answer RFC 8414 §3's path-inserted
    well-known URI ``/.well-known/oauth-authorization-server/realms/dev``."""

    WELL_KNOWN = "/.well-known/oauth-authorization-server"

    def __init__(self, wsgi_app, prefix: str):
        self.wsgi_app = wsgi_app
        self.prefix = prefix

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == self.WELL_KNOWN + self.prefix:
            path = self.prefix + self.WELL_KNOWN
        if path == self.prefix or path.startswith(self.prefix + "/"):
            environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + self.prefix
            environ["PATH_INFO"] = path[len(self.prefix):] or "/"
        return self.wsgi_app(environ, start_response)


def create_app(settings: Settings, store: Store | None = None, demo: bool = True) -> Flask:
    """The OP for resolved ``settings`` (issuer included). Opens, upgrades and, on a new data
    dir, seeds the store (the demo users and clients too unless ``demo`` is false);
    ``app.first_start_report`` holds the lines to print once."""
    app = Flask(__name__)
    app.settings = settings
    app.config["MAX_CONTENT_LENGTH"] = 1_000_000
    app.json.sort_keys = False
    # Routing never answers with a redirect: Werkzeug would 308 ``/register//x`` to
    # ``/register/x`` (an HTML page on a JSON endpoint); a path that names no route is 404.
    app.url_map.merge_slashes = False
    app.url_map.strict_slashes = False
    if store is None:
        store = Store.open(ensure_writable_dir(Path(settings.data_dir), "data dir", "--data-dir"))
    app.store = store
    app.demo_personas = tuple(DEMO_USERS)  # the login page's one-click buttons
    errors.init_app(app)
    security_headers.init_app(app)
    logs.init_app(app)
    hosts.init_app(app)
    health.init_app(app)
    oauth.init_app(app)
    prefix = urlsplit(settings.issuer).path.rstrip("/")
    if prefix:
        app.wsgi_app = IssuerPath(app.wsgi_app, prefix)
    with app.app_context():
        if store.is_new:
            app.first_start_report = first_start(store, demo)
        else:
            app.first_start_report = apply_admin_password(store, first_start=False)
            ensure_keys(store)
    admin.init_app(app)  # after seeding: its session key derives from the install record
    return app
