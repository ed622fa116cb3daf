"""``/admin/api/users``: the people who sign in at the login page, addressed by ``sub``, with
their claims (the standard claims of OIDC Core §5.1, type-checked, and any custom ones),
password (set or reset, never returned) and active flag. Changes apply to the next token or
userinfo call.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from ..events import emit
from ..store import AlreadyExists
from ..store.records import UserRecord
from .api import (
    Problems,
    check_unknown,
    conflict,
    created,
    no_content,
    put_and_patch,
    read_json,
    take_bool,
    take_text,
)

bp = Blueprint("users", __name__)

USERNAME = re.compile(r"[^\s/\x00-\x1f\x7f]{1,100}")
SUB = re.compile(r"[\x21-\x7E]{1,255}")  # OIDC Core §2: at most 255 ASCII characters
FIELDS = ("username", "password", "claims", "active", "sub")
#: OIDC Core §5.1: the JSON type of each standard claim.
BOOLEAN_CLAIMS = ("email_verified", "phone_number_verified")
OBJECT_CLAIMS = ("address",)
#: Claims the server sets: ``sub`` is the record's, ``updated_at`` its last change.
SERVER_CLAIMS = ("sub", "updated_at")
STRING_CLAIMS = (
    "name", "given_name", "family_name", "middle_name", "nickname", "preferred_username",
    "profile", "picture", "website", "email", "gender", "birthdate", "zoneinfo", "locale",
    "phone_number")


def user_body(record: UserRecord) -> dict[str, Any]:
    return {"sub": record.sub, "username": record.username, "claims": record.claims,
            "active": record.active, "created_at": record.created_at,
            "updated_at": record.updated_at}


def check_claims(claims: Any, problems: Problems) -> dict[str, Any] | None:
    """A JSON object whose standard claims have their standard types; None values are kept
    (a PATCH uses them to remove a claim)."""
    if not isinstance(claims, dict):
        problems.add("claims", "expected a JSON object")
        return None
    for name, value in claims.items():
        field = f"claims.{name}"
        if name in SERVER_CLAIMS:
            problems.add(field, "set by the server")
        elif value is None:
            continue
        elif name in BOOLEAN_CLAIMS and not isinstance(value, bool):
            problems.add(field, "expected true or false")
        elif name in OBJECT_CLAIMS and not isinstance(value, dict):
            problems.add(field, "expected a JSON object")
        elif name in STRING_CLAIMS and not isinstance(value, str):
            problems.add(field, "expected a string")
    return claims


@bp.get("/users")
def list_users() -> Response:
    records = current_app.store.find_users(request.args.get("q") or None)
    return jsonify({"users": [user_body(record) for record in records]})


@bp.get("/users/<sub>")
def get_user(sub: str) -> Response:
    return jsonify(user_body(current_app.store.get_user_by_sub(sub)))


@bp.post("/users")
def create_user() -> Response:
    body = read_json()
    problems = Problems()
    check_unknown(body, FIELDS, problems)
    username = take_text(body, "username", problems, required=True)
    if username is not None and not USERNAME.fullmatch(username):
        problems.add("username", "1 to 100 characters without spaces or slashes")
    password = take_text(body, "password", problems, required=True)
    sub = take_text(body, "sub", problems)
    if sub is not None and not SUB.fullmatch(sub):
        problems.add("sub", "1 to 255 printable ASCII characters")
    claims = check_claims(body.get("claims", {}), problems)
    active = take_bool(body, "active", problems)
    problems.validate()
    claims = {name: value for name, value in claims.items() if value is not None}
    store = current_app.store
    with store.atomic():
        try:
            record = store.create_user(username, password, claims, sub=sub)
        except AlreadyExists:
            raise conflict(f"User '{username}' (or that sub) already exists.") from None
        if active is False:
            record = store.update_user(record.sub, active=False)
    emit("user.created", sub=record.sub, username=username)
    return created(user_body(record))


@put_and_patch(bp, "/users/<sub>", "user")
def update(sub: str, partial: bool) -> Response:
    """PUT replaces the claims (so it needs them), PATCH merges them (a null value removes
    a claim); password and active change only when sent. username and sub stay as they are."""
    store = current_app.store
    record = store.get_user_by_sub(sub)
    body = read_json()
    problems = Problems()
    check_unknown(body, FIELDS, problems)
    for name in ("username", "sub"):
        if name in body and body[name] != getattr(record, name):
            problems.add(name, "cannot be changed")
    claims = check_claims(body["claims"], problems) if "claims" in body else None
    if not partial and "claims" not in body:
        problems.add("claims", "required (PATCH changes some claims only)")
    password = take_text(body, "password", problems)
    if password == "":
        problems.add("password", "expected a non-empty string")
    active = take_bool(body, "active", problems)
    problems.validate()
    if claims is not None:
        merged = {**record.claims, **claims} if partial else claims
        claims = {name: value for name, value in merged.items() if value is not None}
    updated = store.update_user(sub, claims=claims, password=password, active=active)
    changed = [name for name, value in (("claims", claims), ("active", active))
               if value is not None and value != getattr(record, name)]
    emit("user.updated", sub=sub, changed=changed + (["password"] if password else []))
    return jsonify(user_body(updated))


@bp.delete("/users/<sub>")
def delete_user(sub: str) -> Response:
    """The user's sessions, consents, codes and tokens go with them."""
    current_app.store.delete_user(sub)
    emit("user.deleted", sub=sub)
    return no_content()
