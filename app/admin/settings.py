"""``/admin/api/settings``: every server setting with its value, default, description, where
the value comes from and whether changing it needs a restart.

A change is checked by the setting's own parser, written to ``settings.json`` in the data dir
(atomically: a temporary file renamed over it) and, unless it needs a restart, applied to the
running server at once. The precedence of ``app/config.py`` still holds: a value from the
environment or the command line wins over the file, so such a change is saved but not applied.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, jsonify

from ..config import (
    BY_NAME,
    SETTINGS,
    SETTINGS_FILE,
    Setting,
    Settings,
    read_settings_file,
    write_private_json,
)
from ..errors import StartupError
from ..events import emit
from .api import AdminError, Problems, check_unknown, conflict, not_found, read_json

bp = Blueprint("settings", __name__)

#: Read once at start: the listening socket, the worker pool, the folders, the issuer (its
#: path is where the app is mounted) and Waitress' request_timeout.
RESTART_SETTINGS = frozenset({"host", "port", "issuer", "data_dir", "log_dir", "threads",
                              "admin_remote_access", "request_timeout"})
#: Sources that outrank settings.json (config.load's precedence).
OVERRIDING_SOURCES = ("environment", "command line")
_write_lock = threading.Lock()


def settings_path() -> Path:
    return Path(current_app.settings.data_dir) / SETTINGS_FILE


def read_saved() -> dict[str, Any]:
    try:
        return read_settings_file(settings_path())
    except StartupError as error:
        raise conflict(f"{error.problem}; {error.fix}.") from None


def source_of(settings: Settings, name: str) -> str:
    """default, settings file, environment, command line or runtime."""
    source = settings.sources.get(name, "default")
    return "settings file" if source.startswith("settings file") else source


def setting_body(setting: Setting, saved: dict[str, Any]) -> dict[str, Any]:
    settings = current_app.settings
    body = {"name": setting.name, "value": settings.get(setting.name, setting.default),
            "default": setting.default, "description": setting.description,
            "source": source_of(settings, setting.name),
            "restart_required": setting.name in RESTART_SETTINGS}
    if setting.name in saved:
        body["saved_value"] = saved[setting.name]
    return body


def get_setting_or_404(name: str) -> Setting:
    setting = BY_NAME.get(name)
    if setting is None:
        raise not_found(f"setting '{name}'")
    return setting


def write_saved(saved: dict[str, Any]) -> None:
    write_private_json(settings_path(), saved)


def apply(name: str, value: Any, source: str) -> bool:
    """Put the new value into the running app when nothing outranks or pins it."""
    settings = current_app.settings
    if name in RESTART_SETTINGS or source_of(settings, name) in OVERRIDING_SOURCES:
        return False
    updated = settings.replace(**{name: value})
    updated.sources[name] = source
    current_app.settings = updated
    if name == "log_level":
        logging.getLogger("pocket_op").setLevel(value.upper())
    return True


def change_answer(setting: Setting, saved: dict[str, Any], applied: bool) -> Response:
    body = setting_body(setting, saved)
    body["applied"] = applied
    if not applied and body["source"] in OVERRIDING_SOURCES:
        body["overridden_by"] = body["source"]
    return jsonify(body)


@bp.get("/settings")
def list_settings() -> Response:
    saved = read_saved()
    return jsonify({"settings": [setting_body(setting, saved) for setting in SETTINGS]})


@bp.get("/settings/<name>")
def get_setting(name: str) -> Response:
    return jsonify(setting_body(get_setting_or_404(name), read_saved()))


@bp.put("/settings/<name>")
def save_setting(name: str) -> Response:
    """Body ``{"value": ...}``; 400 names the setting with what its parser accepts."""
    setting = get_setting_or_404(name)
    body = read_json()
    problems = Problems()
    check_unknown(body, ("value",), problems)
    if "value" not in body:
        problems.add("value", "required")
    problems.validate()
    if name == "data_dir":
        raise AdminError(400, "invalid_request", "Invalid 'data_dir': set it with --data-dir.",
                         {name: "cannot be set in settings.json; use --data-dir"})
    try:
        value = setting.parse(body["value"])
    except ValueError as error:
        raise AdminError(400, "invalid_request", f"Invalid '{name}': expected {error}.",
                         {name: f"expected {error}"}) from None
    with _write_lock:
        saved = read_saved()
        saved[name] = value
        write_saved(saved)
        applied = apply(name, value, f"settings file {settings_path()}")
    emit("setting.changed", name=name, applied=applied)
    return change_answer(setting, saved, applied)


@bp.delete("/settings/<name>")
def reset_setting(name: str) -> Response:
    """Remove the setting from settings.json: back to its default (when nothing outranks it)."""
    setting = get_setting_or_404(name)
    with _write_lock:
        saved = read_saved()
        if name in saved:
            del saved[name]
            write_saved(saved)
        applied = apply(name, setting.default, "default")
    emit("setting.changed", name=name, applied=applied, reset=True)
    return change_answer(setting, saved, applied)
