"""``/admin/api/acrs``: the Enabled ACRs screen. The Authentication Context Class References
(OpenID Connect Core §2 ``acr``) the login page can satisfy: value, level, description,
enabled, and the one default (the ACR of a sign-in nobody asked a level of).

Discovery's ``acr_values_supported`` lists the enabled ones, read at each request, so a
change shows at once; client metadata may name only enabled ones (``default_acr_values``,
``authorized_acr_values``), so an ACR a client names cannot be disabled or deleted, and the
default can be neither.

An ACR value travels in the space-separated ``acr_values`` parameter: printable characters,
no spaces (the same characters as a scope token, RFC 6749 §3.3).
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, current_app, jsonify

from ..events import emit
from ..store import AlreadyExists
from ..store.records import AcrRecord
from .api import (
    AdminError,
    Problems,
    check_unknown,
    conflict,
    created,
    no_content,
    read_json,
    take_bool,
    take_text,
)

bp = Blueprint("acrs", __name__)

ACR_VALUE = re.compile(r"[\x21\x23-\x5B\x5D-\x7E]{1,200}")
MAX_LEVEL = 100
FIELDS = ("value", "level", "description", "enabled", "default")
CLIENT_FIELDS = ("default_acr_values", "authorized_acr_values")


def acr_body(record: AcrRecord) -> dict[str, Any]:
    return {"value": record.value, "level": record.level, "description": record.description,
            "enabled": record.enabled, "default": record.default}


def take_level(body: dict[str, Any], problems: Problems, required: bool) -> int | None:
    level = body.get("level")
    if level is None:
        if required:
            problems.add("level", "required")
        return None
    if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= MAX_LEVEL:
        problems.add("level", f"expected an integer from 0 to {MAX_LEVEL}")
        return None
    return level


def take_description(body: dict[str, Any], problems: Problems) -> str | None:
    description = take_text(body, "description", problems)
    if description is not None and len(description) > 300:
        problems.add("description", "at most 300 characters")
    return description


def clients_naming(value: str) -> list[str]:
    return [client.client_id for client in current_app.store.find_clients()
            if any(value in (client.metadata.get(name) or []) for name in CLIENT_FIELDS)]


def refuse_if_named_by_clients(value: str, action: str) -> None:
    users = clients_naming(value)
    if users:
        raise conflict(f"ACR '{value}' cannot be {action}: clients name it in "
                       f"default_acr_values or authorized_acr_values: {', '.join(users)}.")


@bp.get("/acrs")
def list_acrs() -> Response:
    records = current_app.store.find_acrs()
    default = next((record.value for record in records if record.default), None)
    return jsonify({"acrs": [acr_body(record) for record in records], "default": default})


@bp.get("/acrs/<path:value>")
def get_acr(value: str) -> Response:
    return jsonify(acr_body(current_app.store.get_acr(value)))


@bp.post("/acrs")
def create_acr() -> Response:
    body = read_json()
    problems = Problems()
    check_unknown(body, FIELDS, problems)
    value = take_text(body, "value", problems, required=True)
    if value is not None and not ACR_VALUE.fullmatch(value):
        problems.add("value", "1 to 200 printable characters without spaces, quotes or "
                              "backslashes")
    level = take_level(body, problems, required=True)
    description = take_description(body, problems) or ""
    enabled = take_bool(body, "enabled", problems)
    default = take_bool(body, "default", problems)
    if default and enabled is False:
        problems.add("default", "a disabled ACR cannot be the default")
    problems.validate()
    store = current_app.store
    try:
        with store.atomic():
            record = store.create_acr(value, level, description, enabled is not False)
            if default:
                record = store.set_default_acr(value)
    except AlreadyExists:
        raise conflict(f"ACR '{value}' already exists.") from None
    emit("acr.created", acr=value, level=level, enabled=record.enabled)
    return created(acr_body(record))


@bp.patch("/acrs/<path:value>")
def update_acr(value: str) -> Response:
    """Change level, description, enabled; ``default: true`` makes it the default (the
    default is changed by choosing another, never by ``default: false``)."""
    store = current_app.store
    record = store.get_acr(value)
    body = read_json()
    problems = Problems()
    check_unknown(body, FIELDS, problems)
    if "value" in body and body["value"] != value:
        problems.add("value", "cannot be changed")
    level = take_level(body, problems, required=False)
    description = take_description(body, problems)
    enabled = take_bool(body, "enabled", problems)
    default = take_bool(body, "default", problems)
    if enabled is False and (record.default or default):
        problems.add("enabled", "the default ACR cannot be disabled; make another the default")
    if default is False and record.default:
        problems.add("default", "choose another ACR as the default instead")
    if default and enabled is not True and not record.enabled:
        problems.add("default", "a disabled ACR cannot be the default")
    problems.validate()
    if enabled is False and record.enabled:
        refuse_if_named_by_clients(value, "disabled")
    with store.atomic():
        updated = store.update_acr(value, level=level, description=description,
                                   enabled=enabled)
        if default and not record.default:
            updated = store.set_default_acr(value)
    changed = [name for name in ("level", "description", "enabled", "default")
               if getattr(updated, name) != getattr(record, name)]
    emit("acr.updated", acr=value, changed=changed)
    return jsonify(acr_body(updated))


@bp.delete("/acrs/<path:value>")
def delete_acr(value: str) -> Response:
    store = current_app.store
    if store.get_acr(value).default:
        raise AdminError(409, "conflict", f"ACR '{value}' is the default; make another ACR "
                                          "the default first.")
    refuse_if_named_by_clients(value, "deleted")
    store.delete_acr(value)
    emit("acr.deleted", acr=value)
    return no_content()
