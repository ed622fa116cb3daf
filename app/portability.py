"""Import / export: the whole configuration as one JSON document, round-trip lossless.

The document (``"format": "pocket-op/1"``) holds the clients (metadata, trusted / active /
expiry flags and the client secret **in clear**), the scopes with their claims, the users with
their claims and scrypt password hashes, the ACRs (Enabled ACRs: value, level, description,
enabled, default), the contents of ``settings.json`` and, only when
asked, the signing and encryption keys **with their private halves**. An export is therefore
as sensitive as the data dir itself: it is written with mode 0600 and must be kept like a
backup. Tokens, codes, sessions, audit events and the admin account are not part of it.

Import validates the whole document first (reporting every problem found), then applies it in
one transaction: ``merge`` creates what is missing and updates what exists (by client_id,
scope name, user sub, ACR value, kid); inside that transaction, once the scopes and ACRs are
in place, each client's metadata goes through dynamic registration's own validation
(``validate_client_metadata``, against the scopes and ACRs the import leaves) and any
problem, reported as ``clients[i].field``, undoes the whole import; ``replace`` first deletes
the clients, users and non-built-in scopes the file does not hold, makes the ACRs exactly the
file's (its default becomes the default) and ``settings.json`` exactly the file's settings.
Exports older than the ACRs section import without touching the ACRs. Keys are only ever
added or overwritten, never deleted: an imported active key becomes the active key of its
kind and the one it replaces stays published, as after a rotation.

May import the store, ``config`` and the registration metadata validator; never Flask itself
(the command line runs it without a server). ``import_config`` needs an app context (that
validator reads the app's registry and store): both the admin API and the command line hold one.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import config
from .store import Store
from .store.keys import KEY_STATUSES
from .store.scopes import SCOPE_KINDS

FORMAT = "pocket-op/1"
MODES = ("merge", "replace")
#: validate_client_metadata's descriptions: "Invalid 'field': problem." / "Missing 'field': ...".
NAMED_FIELD = re.compile(r"^(Invalid|Missing) '([^']+)'(?:: )?(.*?)\.?$", re.DOTALL)


class InvalidExport(ValueError):
    """The document is not a pocket-op export this version reads; ``problems`` maps where
    (``clients[0].metadata``) to what is wrong."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        shown = [f"{where}: {what}" for where, what in list(problems.items())[:5]]
        more = len(problems) - len(shown)
        super().__init__("; ".join(shown) + (f"; and {more} more" if more > 0 else ""))


# Export

def export_config(store: Store, settings_path: Path, include_keys: bool = False) -> dict:
    """The configuration as a ``pocket-op/1`` document; private keys only with
    ``include_keys``."""
    data = {
        "format": FORMAT,
        "exported_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "clients": [{
            "client_id": client.client_id, "metadata": client.metadata,
            "secret": store.get_client_secret(client.client_id), "trusted": client.trusted,
            "active": client.active, "expires_at": client.expires_at,
        } for client in store.find_clients()],
        "scopes": [{
            "name": scope.name, "kind": scope.kind, "description": scope.description,
            "claims": scope.claims, "builtin": scope.builtin,
        } for scope in store.find_scopes()],
        "users": [{
            "sub": user.sub, "username": user.username,
            "password_hash": store.get_user_password_hash(user.sub), "claims": user.claims,
            "active": user.active,
        } for user in store.find_users()],
        "acrs": [{
            "value": acr.value, "level": acr.level, "description": acr.description,
            "enabled": acr.enabled, "default": acr.default,
        } for acr in store.find_acrs()],
        "settings": config.read_settings_file(settings_path),
    }
    if include_keys:
        data["keys"] = [{
            "kid": key.kid, "kty": key.kty, "use": key.use, "algs": key.algs,
            "status": key.status, "public_jwk": key.public_jwk,
            "private_jwk": store.get_private_jwk(key.kid), "created_at": key.created_at,
            "retired_at": key.retired_at,
        } for key in store.find_keys()]
    return data


def counts(data: dict) -> dict[str, int]:
    return {section: len(data.get(section) or ()) for section in (*SECTIONS, "settings")}


# Validation: one checker per kind of value, returning what is expected or None.

def _text(value: Any) -> str | None:
    return None if isinstance(value, str) and value else "expected a non-empty string"


def _text_or_null(value: Any) -> str | None:
    return None if value is None or isinstance(value, str) else "expected a string or null"


def _string(value: Any) -> str | None:
    return None if isinstance(value, str) else "expected a string"


def _boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else "expected true or false"


def _object(value: Any) -> str | None:
    return None if isinstance(value, dict) else "expected an object"


def _number(value: Any) -> str | None:
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    return None if ok else "expected a number"


def _number_or_null(value: Any) -> str | None:
    return None if value is None else _number(value) and "expected a number or null"


def _strings(value: Any) -> str | None:
    ok = isinstance(value, list) and all(isinstance(item, str) and item for item in value)
    return None if ok else "expected an array of non-empty strings"


def _one_of(*options: str) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        return None if value in options else "expected one of " + ", ".join(options)

    return check


def _level(value: Any) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
    return None if ok else "expected an integer of 0 or more"


def _password_hash(value: Any) -> str | None:
    ok = isinstance(value, str) and value.startswith("scrypt$") and value.count("$") == 5
    return None if ok else "expected a pocket-op scrypt hash (scrypt$N$r$p$salt$digest)"


#: Each list section: the field naming an entry, and every field with its checker.
SECTIONS: dict[str, tuple[str, dict[str, Callable[[Any], str | None]]]] = {
    "clients": ("client_id", {
        "client_id": _text, "metadata": _object, "secret": _text_or_null,
        "trusted": _boolean, "active": _boolean, "expires_at": _number_or_null}),
    "scopes": ("name", {
        "name": _text, "kind": _one_of(*SCOPE_KINDS), "description": _string,
        "claims": _strings, "builtin": _boolean}),
    "users": ("sub", {
        "sub": _text, "username": _text, "password_hash": _password_hash,
        "claims": _object, "active": _boolean}),
    "acrs": ("value", {
        "value": _text, "level": _level, "description": _string, "enabled": _boolean,
        "default": _boolean}),
    "keys": ("kid", {
        "kid": _text, "kty": _text, "use": _one_of("sig", "enc"), "algs": _strings,
        "status": _one_of(*KEY_STATUSES), "public_jwk": _object, "private_jwk": _object,
        "created_at": _number, "retired_at": _number_or_null}),
}
TOP_LEVEL = ("format", "exported_at", "settings", *SECTIONS)
#: Sections an export may leave out (keys: only when asked; acrs: older exports).
OPTIONAL = ("keys", "acrs")


def validate_export(data: Any) -> None:
    """Raise InvalidExport naming every problem of the document."""
    if not isinstance(data, dict):
        raise InvalidExport({"document": "expected a JSON object"})
    if data.get("format") != FORMAT:
        found = "missing" if "format" not in data else repr(data["format"])
        raise InvalidExport({"format": f"expected {FORMAT!r} (found {found})"})
    problems: dict[str, str] = {}
    for name in data:
        if name not in TOP_LEVEL:
            problems[name] = "unknown section"
    if _text_or_null(data.get("exported_at")):
        problems["exported_at"] = "expected a string"
    for section, (id_field, fields) in SECTIONS.items():
        if section in data or section not in OPTIONAL:
            check_section(section, data.get(section), id_field, fields, problems)
    check_acrs(data.get("acrs"), problems)
    check_settings(data.get("settings"), problems)
    if problems:
        raise InvalidExport(problems)


def check_section(section: str, entries: Any, id_field: str,
                  fields: dict[str, Callable[[Any], str | None]],
                  problems: dict[str, str]) -> None:
    if not isinstance(entries, list):
        problems[section] = "expected an array"
        return
    seen = set()
    for index, entry in enumerate(entries):
        where = f"{section}[{index}]"
        if not isinstance(entry, dict):
            problems[where] = "expected an object"
            continue
        for name in entry.keys() - fields.keys():
            problems[f"{where}.{name}"] = "unknown field"
        for name, check in fields.items():
            problem = check(entry.get(name)) if name in entry else "required"
            if problem:
                problems[f"{where}.{name}"] = problem
        if entry.get(id_field) in seen:
            problems[f"{where}.{id_field}"] = f"duplicate {entry[id_field]!r}"
        if isinstance(entry.get(id_field), str):
            seen.add(entry[id_field])
    if section == "users":
        usernames = [e.get("username") for e in entries if isinstance(e, dict)]
        for name in {u for u in usernames if isinstance(u, str) and usernames.count(u) > 1}:
            problems[f"users.{name}"] = "username held by several users"


def check_acrs(acrs: Any, problems: dict[str, str]) -> None:
    """When present: exactly one default, and it is enabled (as the store requires)."""
    if not isinstance(acrs, list) or not all(isinstance(acr, dict) for acr in acrs):
        return
    defaults = [acr for acr in acrs if acr.get("default") is True]
    if len(defaults) != 1:
        problems["acrs"] = f"expected exactly one default ACR (found {len(defaults)})"
    elif defaults[0].get("enabled") is False:
        problems["acrs"] = "the default ACR must be enabled"


def check_settings(settings: Any, problems: dict[str, str]) -> None:
    """Each setting as ``settings.json`` accepts it: known, parsed by its own parser."""
    if not isinstance(settings, dict):
        problems["settings"] = "expected an object"
        return
    for name, value in settings.items():
        where = f"settings.{name}"
        if name == "data_dir":
            problems[where] = "cannot be set in settings.json (use --data-dir)"
        elif name not in config.BY_NAME:
            problems[where] = "unknown setting"
        else:
            try:
                config.BY_NAME[name].parse(value)
            except ValueError as exc:
                problems[where] = f"expected {exc}"


# Import

def import_config(store: Store, data: Any, mode: str = "merge",
                  settings_path: Path | None = None) -> dict[str, Any]:
    """Validate ``data``, then apply it in one transaction (``settings.json`` is written last
    inside it, so a failed write changes nothing). Returns what was imported and deleted.
    Raises InvalidExport, or AlreadyExists when a username belongs to another sub."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    validate_export(data)
    with store.atomic():
        deleted = delete_missing(store, data) if mode == "replace" else {}
        import_scopes(store, data["scopes"])
        if "acrs" in data:
            import_acrs(store, data["acrs"], mode)
        validate_clients(data["clients"])
        import_clients(store, data["clients"])
        for user in data["users"]:
            store.save_user(user["sub"], user["username"], user["password_hash"],
                            user["claims"], user["active"])
        for key in data.get("keys", ()):
            store.save_key(**key)
        if settings_path is not None:
            saved = {} if mode == "replace" else config.read_settings_file(settings_path)
            config.write_private_json(settings_path, {**saved, **data["settings"]})
    return {"mode": mode, **counts(data), "deleted": deleted}


def delete_missing(store: Store, data: dict) -> dict[str, int]:
    """Replace mode: clients, users and non-built-in scopes the file does not hold."""
    keep = {section: {entry[id_field] for entry in data[section]}
            for section, (id_field, _) in SECTIONS.items() if section not in OPTIONAL}
    clients = [c.client_id for c in store.find_clients() if c.client_id not in keep["clients"]]
    users = [u.sub for u in store.find_users() if u.sub not in keep["users"]]
    scopes = [s.name for s in store.find_scopes()
              if not s.builtin and s.name not in keep["scopes"]]
    for client_id in clients:
        store.delete_client(client_id)
    for sub in users:
        store.delete_user(sub)
    for name in scopes:
        store.delete_scope(name)
    return {"clients": len(clients), "users": len(users), "scopes": len(scopes)}


def import_scopes(store: Store, scopes: list[dict]) -> None:
    """Update a scope of the same name and kind; otherwise (re)create it."""
    existing = {scope.name: scope for scope in store.find_scopes()}
    for scope in scopes:
        current = existing.get(scope["name"])
        if current is not None and current.kind == scope["kind"]:
            store.update_scope(scope["name"], description=scope["description"],
                               claims=scope["claims"])
            continue
        if current is not None:
            store.delete_scope(scope["name"])
        store.create_scope(scope["name"], scope["kind"], scope["description"],
                           scope["claims"], builtin=scope["builtin"])


def import_acrs(store: Store, acrs: list[dict], mode: str) -> None:
    """Create or update each ACR, make the file's default the default; in replace mode then
    delete the ACRs the file does not hold (before the clients are validated, so a client
    naming a deleted ACR is reported)."""
    existing = {acr.value for acr in store.find_acrs()}
    for acr in acrs:
        if acr["value"] in existing:
            store.update_acr(acr["value"], level=acr["level"], description=acr["description"],
                             enabled=acr["enabled"] or None)
        else:
            store.create_acr(acr["value"], acr["level"], acr["description"], acr["enabled"])
    store.set_default_acr(next(acr["value"] for acr in acrs if acr["default"]))
    for acr in acrs:
        if not acr["enabled"]:  # after the default moved: the old default may be disabled
            store.update_acr(acr["value"], enabled=False)
    if mode == "replace":
        keep = {acr["value"] for acr in acrs}
        for value in existing - keep:
            store.delete_acr(value)


def validate_clients(clients: list[dict]) -> None:
    """Each client's metadata checked as dynamic registration checks it, with the scopes as
    the import leaves them (call after ``import_scopes``, inside the transaction); raise
    InvalidExport naming every client's problem as ``clients[i].field``. The metadata is
    stored as the file gives it (round-trip lossless), not with the defaults filled in."""
    from authlib.oauth2 import OAuth2Error

    from .oauth.client_metadata import validate_client_metadata
    from .oauth.endpoints.registration import ISSUED, SECRET_METHODS

    problems: dict[str, str] = {}
    for index, client in enumerate(clients):
        where, metadata = f"clients[{index}]", client["metadata"]
        issued = [name for name in ISSUED if name in metadata]
        for name in issued:
            problems[f"{where}.{name}"] = "issued by the server, not client metadata"
        if issued:
            continue
        try:
            clean = validate_client_metadata(metadata)
        except OAuth2Error as error:
            field, message = metadata_problem(error.description or error.error)
            problems[f"{where}.{field}"] = message
            continue
        method = clean["token_endpoint_auth_method"]
        if method in SECRET_METHODS and not client["secret"]:
            problems[f"{where}.secret"] = f"required by token_endpoint_auth_method {method}"
    if problems:
        raise InvalidExport(problems)


def metadata_problem(description: str) -> tuple[str, str]:
    """(field, message) of a registration error description."""
    match = NAMED_FIELD.match(description)
    if match is None:
        return "metadata", description
    kind, field, message = match.groups()
    message = message or "invalid"
    return field, message if kind == "Invalid" else f"missing: {message}"


def import_clients(store: Store, clients: list[dict]) -> None:
    existing = {client.client_id for client in store.find_clients()}
    for client in clients:
        client_id = client["client_id"]
        if client_id not in existing:
            store.create_client(client_id, client["metadata"], secret=client["secret"])
        else:
            store.save_client_secret(client_id, client["secret"])
        store.update_client(client_id, metadata=client["metadata"], trusted=client["trusted"],
                            active=client["active"], expires_at=client["expires_at"])
