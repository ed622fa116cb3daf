"""``/admin/api/scopes``: OAuth scopes (a description), OpenID scopes (a description and the
claims they release, OIDC Core §5.4), and spontaneous scopes, which clients' requests create
and the admin only reads. The standard OpenID scopes are built in: editable, never deleted.

RFC 6749 §3.3: ``scope-token = 1*( %x21 / %x23-5B / %x5D-7E )``.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from ..events import emit
from ..store import AlreadyExists
from ..store.records import ScopeRecord
from .api import (
    Problems,
    check_unknown,
    conflict,
    created,
    no_content,
    put_and_patch,
    read_json,
    take_text,
)

bp = Blueprint("scopes", __name__)

SCOPE_TOKEN = re.compile(r"[\x21\x23-\x5B\x5D-\x7E]{1,200}")
CLAIM_NAME = re.compile(r"[^\s\"\\]{1,100}")
#: Kinds an admin may create; spontaneous scopes come from clients' requests.
CREATABLE_KINDS = ("oauth", "openid")
FIELDS = ("name", "kind", "description", "claims", "builtin")


def scope_body(record: ScopeRecord) -> dict[str, Any]:
    return {"name": record.name, "kind": record.kind, "description": record.description,
            "claims": record.claims, "builtin": record.builtin}


def take_claims(body: dict[str, Any], kind: str, problems: Problems) -> list[str] | None:
    claims = body.get("claims")
    if claims is None:
        return None
    if not isinstance(claims, list) or not all(
            isinstance(name, str) and CLAIM_NAME.fullmatch(name) for name in claims):
        problems.add("claims", "expected an array of claim names")
        return None
    if claims and kind != "openid":
        problems.add("claims", "only OpenID scopes release claims")
    return list(dict.fromkeys(claims))


def check_unchanged(body: dict[str, Any], record: ScopeRecord, problems: Problems) -> None:
    """Name, kind and builtin may be sent back as read, not changed."""
    for name in ("name", "kind", "builtin"):
        if name in body and body[name] != getattr(record, name):
            problems.add(name, "cannot be changed")


@bp.get("/scopes")
def list_scopes() -> Response:
    query, kind = (request.args.get("q") or "").lower(), request.args.get("kind")
    records = [record for record in current_app.store.find_scopes()
               if (not kind or record.kind == kind)
               and (query in record.name.lower() or query in record.description.lower())]
    return jsonify({"scopes": [scope_body(record) for record in records]})


@bp.get("/scopes/<path:name>")
def get_scope(name: str) -> Response:
    return jsonify(scope_body(current_app.store.get_scope(name)))


@bp.post("/scopes")
def create_scope() -> Response:
    body = read_json()
    problems = Problems()
    check_unknown(body, FIELDS[:-1], problems)
    name = take_text(body, "name", problems, required=True)
    if name is not None and not SCOPE_TOKEN.fullmatch(name):
        problems.add("name", "1 to 200 printable characters without spaces, quotes or "
                             "backslashes (RFC 6749 §3.3)")
    kind = body.get("kind", "oauth")
    if kind not in CREATABLE_KINDS:
        problems.add("kind", "one of " + ", ".join(CREATABLE_KINDS))
    description = take_text(body, "description", problems) or ""
    claims = take_claims(body, kind, problems) or []
    problems.validate()
    try:
        record = current_app.store.create_scope(name, kind, description, claims)
    except AlreadyExists:
        raise conflict(f"Scope '{name}' already exists.") from None
    emit("scope.created", scope=name, kind=kind)
    return created(scope_body(record))


@put_and_patch(bp, "/scopes/<path:name>", "scope")
def update(name: str, partial: bool) -> Response:
    """PUT replaces the description and claims (omitted: empty); PATCH changes those sent."""
    store = current_app.store
    record = store.get_scope(name)
    if record.kind == "spontaneous":
        raise conflict(f"Scope '{name}' is spontaneous: clients' requests define it.")
    body = read_json()
    problems = Problems()
    check_unknown(body, FIELDS, problems)
    check_unchanged(body, record, problems)
    description = take_text(body, "description", problems)
    claims = take_claims(body, record.kind, problems)
    problems.validate()
    if not partial:
        description, claims = description or "", claims or []
    updated = store.update_scope(name, description=description, claims=claims)
    changed = [field for field in ("description", "claims")
               if getattr(updated, field) != getattr(record, field)]
    emit("scope.updated", scope=name, changed=changed)
    return jsonify(scope_body(updated))


@bp.delete("/scopes/<path:name>")
def delete_scope(name: str) -> Response:
    """Built-in scopes stay; so does a scope a client may still ask for (edit those clients'
    ``scope`` first, or their metadata would name an unknown scope)."""
    store = current_app.store
    if store.get_scope(name).builtin:
        raise conflict(f"Scope '{name}' is built in and cannot be deleted.")
    users = [client.client_id for client in store.find_clients()
             if name in (client.metadata.get("scope") or "").split()]
    if users:
        raise conflict(f"Scope '{name}' is in the 'scope' of clients: {', '.join(users)}.")
    store.delete_scope(name)
    emit("scope.deleted", scope=name)
    return no_content()
