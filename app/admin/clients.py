"""``/admin/api/clients``: the registered clients, their metadata checked exactly as dynamic
registration checks it (``validate_client_metadata``), plus what only the admin sets:
``trusted`` (no consent page), ``active`` and ``expires_at`` (an expirable client).

A client's secret is generated, never chosen, and shown once: in the 201 of its creation,
in the answer to ``POST /clients/<id>/secret``, or when an update switches the client to an
authentication method that uses a secret.

Only the admin gives a client the password grant (dynamic registration refuses it). Saving
``grant_types`` with ``password`` on a client that registered itself takes it over: its
RFC 7592 registration access token ends, and the token endpoint then honours the grant.
"""

from __future__ import annotations

import re
from typing import Any

from authlib.oauth2 import OAuth2Error
from flask import Blueprint, Response, current_app, jsonify, request

from ..events import emit
from ..oauth import pkce
from ..oauth.client_metadata import validate_client_metadata
from ..oauth.client_metadata.fields import ENCRYPTION_PAIRS
from ..oauth.discovery import metadata as discovery_metadata
from ..oauth.endpoints.registration import ISSUED, SECRET_METHODS
from ..oauth.jar import request_object
from ..oauth.tokens import JWE_ALGS, JWE_ENCS, SIGNING_ALGS
from ..store import AlreadyExists
from ..store.crypto import generate_client_secret, generate_secret
from ..store.records import ClientRecord
from .api import (
    AdminError,
    Problems,
    check_unknown,
    conflict,
    created,
    no_content,
    put_and_patch,
    read_json,
    take_bool,
)

bp = Blueprint("clients", __name__)

CLIENT_ID = re.compile(r"[A-Za-z0-9._~-]{1,128}")
MAX_TIME = 253402300800  # 10000-01-01: later is a typo (or infinity)
#: The fields of an admin request's body.
FIELDS = ("client_id", "metadata", "trusted", "active", "expires_at")
#: Descriptions of validate_client_metadata start with "Invalid 'field'" or "Missing 'field'".
NAMED_FIELD = re.compile(r"^\w+ '([^']+)'")


def client_body(record: ClientRecord, secret: str | None = None) -> dict[str, Any]:
    body = {"client_id": record.client_id, "metadata": record.metadata,
            "trusted": record.trusted, "active": record.active,
            "expires_at": record.expires_at, "has_secret": record.has_secret,
            "created_at": record.created_at, "updated_at": record.updated_at}
    if secret:
        body["client_secret"] = secret
    return body


def validate_metadata(metadata: Any) -> dict[str, Any]:
    """The clean metadata, or 400 with the registration error and the field it names."""
    try:
        return validate_client_metadata(metadata)
    except OAuth2Error as error:
        match = NAMED_FIELD.match(error.description or "")
        field = match.group(1) if match else "metadata"
        raise AdminError(400, error.error, error.description,
                         {field: error.description}) from None


def read_flags(body: dict[str, Any], problems: Problems) -> dict[str, Any]:
    """The admin-only fields present in ``body``."""
    flags = {}
    for name in ("trusted", "active"):
        if name in body:
            value = take_bool(body, name, problems)
            if value is not None:
                flags[name] = value
            elif body[name] is None:
                problems.add(name, "expected true or false")
    if "expires_at" in body:
        value = body["expires_at"]
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)
                                  or not 0 < value < MAX_TIME):
            problems.add("expires_at", "expected a time in seconds since 1970, or null")
        else:
            flags["expires_at"] = value
    return flags


def read_change(require_metadata: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    """The request body, and the changes it asks for (metadata not yet validated)."""
    body = read_json()
    problems = Problems()
    check_unknown(body, FIELDS, problems)
    client_id = body.get("client_id")
    if client_id is not None and not (isinstance(client_id, str)
                                      and CLIENT_ID.fullmatch(client_id)):
        problems.add("client_id", "1 to 128 letters, digits or . _ ~ -")
    metadata = body.get("metadata")
    if metadata is None and require_metadata:
        problems.add("metadata", "required")
    elif metadata is not None and not isinstance(metadata, dict):
        problems.add("metadata", "expected a JSON object")
    for name in ISSUED:
        if isinstance(metadata, dict) and name in metadata:
            problems.add(name, "issued by the server, not client metadata")
    flags = read_flags(body, problems)
    problems.validate()
    return body, flags | ({"metadata": metadata} if metadata is not None else {})


def sync_secret(client_id: str, method: str) -> str | None:
    """Issue a secret when the method starts to use one, drop it when it stops; returns a
    newly issued secret (to show once), else None."""
    store = current_app.store
    has_secret = store.get_client(client_id).has_secret
    if method in SECRET_METHODS and not has_secret:
        secret = generate_client_secret()
        store.save_client_secret(client_id, secret)
        return secret
    if method not in SECRET_METHODS and has_secret:
        store.save_client_secret(client_id, None)
    return None


@bp.get("/clients")
def list_clients() -> Response:
    records = current_app.store.find_clients(request.args.get("q") or None)
    return jsonify({"clients": [client_body(record) for record in records]})


@bp.get("/client-options")
def client_options() -> Response:
    """The values each choice field of the client form accepts: exactly what the metadata
    validation accepts (discovery does not list every one, e.g. the introspection algs)."""
    discovery = discovery_metadata()
    options: dict[str, list[str]] = {
        key: list(discovery.get(f"{key}s_supported", [])) for key in (
            "grant_type", "response_type", "token_endpoint_auth_method", "subject_type",
            "acr_value")}
    options |= {
        "application_type": ["web", "native"],
        "signing_alg": list(SIGNING_ALGS),
        "request_object_signing_alg": list(request_object.SIGNING_ALGS),
        "code_challenge_method": list(pkce.METHODS),
        "token_endpoint_auth_signing_alg": list(discovery.get(
            "token_endpoint_auth_signing_alg_values_supported", [])),
        "scope": [scope.name for scope in current_app.store.find_scopes()],
    }
    for alg_field, enc_field, _ in ENCRYPTION_PAIRS:
        request_objects = alg_field.startswith("request_object")
        options[alg_field] = list(request_object.ENCRYPTION_ALGS if request_objects else JWE_ALGS)
        options[enc_field] = list(request_object.ENCRYPTION_ENCS if request_objects else JWE_ENCS)
    return jsonify(options)


@bp.get("/clients/<client_id>")
def get_client(client_id: str) -> Response:
    return jsonify(client_body(current_app.store.get_client(client_id)))


@bp.post("/clients")
def create_client() -> Response:
    body, change = read_change(require_metadata=True)
    client_id = body.get("client_id") or generate_secret(16)
    metadata = validate_metadata(change.pop("metadata"))
    needs_secret = metadata["token_endpoint_auth_method"] in SECRET_METHODS
    secret = generate_client_secret() if needs_secret else None
    store = current_app.store
    with store.atomic():
        try:
            record = store.create_client(client_id, metadata, secret=secret)
        except AlreadyExists:
            raise conflict(f"Client '{client_id}' already exists.") from None
        if change:
            record = store.update_client(client_id, **change)
    emit("client.created", client_id=client_id)
    return created(client_body(record, secret))


@put_and_patch(bp, "/clients/<client_id>", "client")
def update(client_id: str, partial: bool) -> Response:
    """PUT replaces the metadata; PATCH merges it (a null value removes a field). The admin
    fields change only when sent."""
    store = current_app.store
    current = store.get_client(client_id)
    body, change = read_change(require_metadata=not partial)
    if body.get("client_id", client_id) != client_id:
        raise AdminError(400, "invalid_request", "Invalid 'client_id': cannot be changed.",
                         {"client_id": "cannot be changed"})
    secret = None
    if "metadata" in change:
        metadata = change["metadata"]
        if partial:
            metadata = {k: v for k, v in {**current.metadata, **metadata}.items() if v is not None}
        change["metadata"] = validate_metadata(metadata)
    changed = changed_fields(current, change)
    with store.atomic():
        record = store.update_client(client_id, **change)
        if "metadata" in change:
            secret = sync_secret(client_id, change["metadata"]["token_endpoint_auth_method"])
            record = store.get_client(client_id)
        if take_over_for_password(client_id, body.get("metadata") or {}):
            changed.add("registration_access_token")
    emit("client.updated", client_id=client_id, changed=sorted(changed))
    return jsonify(client_body(record, secret))


def take_over_for_password(client_id: str, sent: dict[str, Any]) -> bool:
    """When the admin's metadata names the password grant and the client registered itself,
    end its registration access token (see the module docstring); whether it did."""
    store = current_app.store
    if "password" not in (sent.get("grant_types") or []) \
            or not store.check_registered_dynamically(client_id):
        return False
    store.delete_registration_token(client_id)
    return True


def changed_fields(current: ClientRecord, change: dict[str, Any]) -> set[str]:
    names = {name for name, value in change.items()
             if name != "metadata" and getattr(current, name) != value}
    new = change.get("metadata", current.metadata)
    names |= {key for key in set(current.metadata) | set(new)
              if current.metadata.get(key) != new.get(key)}
    return names


@bp.delete("/clients/<client_id>")
def delete_client(client_id: str) -> Response:
    """The client's codes, tokens and consents go with it."""
    current_app.store.delete_client(client_id)
    emit("client.deleted", client_id=client_id)
    return no_content()


@bp.post("/clients/<client_id>/secret")
def regenerate_secret(client_id: str) -> Response:
    """A new secret, shown only in this answer; the old one stops working at once."""
    store = current_app.store
    record = store.get_client(client_id)
    method = record.metadata.get("token_endpoint_auth_method", "client_secret_basic")
    if method not in SECRET_METHODS:
        raise conflict(f"Client '{client_id}' authenticates with '{method}', not a secret.")
    secret = generate_client_secret()
    store.save_client_secret(client_id, secret)
    emit("client.secret_regenerated", client_id=client_id)
    return jsonify(client_body(store.get_client(client_id), secret))
