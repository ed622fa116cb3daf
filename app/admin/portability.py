"""``/admin/api/export`` and ``/admin/api/import``: the whole configuration as one JSON
document (``app.portability``), the same file ``pocket-op export`` / ``import`` read and write.

The export holds the client secrets in clear (and the private keys with ``?keys=1``): it is as
sensitive as the data dir. An import applies the settings it changes to the running server at
once, as ``PUT /admin/api/settings/<name>`` does (those needing a restart are only saved).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from ..config import BY_NAME
from ..events import emit
from ..portability import MODES, InvalidExport, counts, export_config, import_config
from ..store import AlreadyExists
from . import settings
from .api import AdminError, conflict, read_json

bp = Blueprint("portability", __name__)


@bp.get("/export")
def export() -> Response:
    include_keys = request.args.get("keys") in ("1", "true")
    data = export_config(current_app.store, settings.settings_path(), include_keys)
    emit("config.exported", keys=include_keys)
    response = jsonify(data)
    response.headers["Content-Disposition"] = 'attachment; filename="pocket-op-export.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/import")
def import_() -> Response:
    """``?mode=merge`` (the default) or ``replace``; 400 names each problem of the file."""
    mode = request.args.get("mode", "merge")
    if mode not in MODES:
        raise AdminError(400, "invalid_request", "Invalid 'mode': one of merge, replace.",
                         {"mode": "one of merge, replace"})
    data = read_json()
    with settings._write_lock:
        before = settings.read_saved()
        try:
            done = import_config(current_app.store, data, mode, settings.settings_path())
        except InvalidExport as error:
            raise AdminError(400, "invalid_request", f"Invalid export file: {error}.",
                             error.problems) from None
        except AlreadyExists as error:
            raise conflict(f"Cannot import: {error} exists with another sub.") from None
        apply_settings(before, settings.read_saved())
    emit("config.imported", mode=mode, **counts(data))
    return jsonify(done)


def apply_settings(before: dict[str, Any], after: dict[str, Any]) -> None:
    """Put each changed setting into the running app (a removed one goes back to default)."""
    source = f"settings file {settings.settings_path()}"
    for name in sorted(before.keys() | after.keys()):
        if name not in BY_NAME or before.get(name) == after.get(name):
            continue
        if name in after:
            settings.apply(name, BY_NAME[name].parse(after[name]), source)
        else:
            settings.apply(name, BY_NAME[name].default, "default")
