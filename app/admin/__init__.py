"""The admin JSON API under ``/admin/api``: one module per resource, named like its screen,
its screen's script (``ui/admin/static/<noun>.js``) and its tests (``tests/admin/test_<noun>*``,
``tests/ui/test_<noun>_screen.py`` or ``_panel.py``): clients, scopes, users, keys, sessions,
acrs, settings (the Configuration screen), logs (at ``/admin/api/events``), the import /
export of them all (``portability``) and a client's ``try_it``; the admin sign-in (``login``)
and the access checks every request passes first (``guard``). The admin screens talk only to
this API, so anything done in the window can be scripted too.

May import Flask, itsdangerous and the rest of ``app``; never ``ui``.
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response

from ..oauth.login_throttle import FailedSignIns
from ..store import NotFound
from . import (
    acrs,
    clients,
    guard,
    keys,
    login,
    logs,
    portability,
    scopes,
    sessions,
    settings,
    try_it,
    users,
)
from .api import AdminError

RESOURCES = (login, clients, scopes, users, keys, sessions, settings, logs, portability, try_it,
             acrs)


def admin_error(error: AdminError) -> Response:
    return error.response()


def store_not_found(error: NotFound) -> Response:
    return AdminError(404, "not_found", f"No such {error}.").response()


def init_app(app: Flask) -> None:
    """Call after the store is seeded: the session signing key derives from the install."""
    guard.init_app(app)
    app.extensions["pocket_op.admin_failed_logins"] = FailedSignIns()
    bp = Blueprint("admin_api", __name__, url_prefix=guard.PREFIX)
    bp.register_error_handler(AdminError, admin_error)
    bp.register_error_handler(NotFound, store_not_found)
    for resource in RESOURCES:
        bp.register_blueprint(resource.bp)
    app.register_blueprint(bp)
