"""``/admin/api/keys``: the OP's signing and encryption keys (one active key per kind),
generating a new one, rotating (a new active key; the old one stays published so the tokens
it signed still verify) and retiring a replaced key (gone from the JWKS), and the public
JWK Set exactly as ``jwks_uri`` serves it.

RFC 7517 §5 (JWK Set): https://www.rfc-editor.org/rfc/rfc7517#section-5
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from ..events import emit
from ..keys import KINDS, create_key, kind_of, public_jwks, rotate_key
from ..store.records import KeyRecord
from .api import Problems, check_unknown, conflict, created, read_json

bp = Blueprint("keys", __name__)

KIND_NAMES = tuple(kind.name for kind in KINDS)


def key_body(record: KeyRecord) -> dict[str, Any]:
    body = {"kid": record.kid, "kind": kind_of(record).name, "kty": record.kty,
            "use": record.use, "algs": record.algs, "status": record.status,
            "created_at": record.created_at, "retired_at": record.retired_at,
            "public_jwk": record.public_jwk}
    if len(record.algs) == 1:
        body["alg"] = record.algs[0]
    return body


@bp.get("/keys")
def list_keys() -> Response:
    """Every key, newest first; ``?status=`` keeps one status (active, published, retired)."""
    status = request.args.get("status")
    records = current_app.store.find_keys(*([status] if status else []))
    return jsonify({"keys": [key_body(record) for record in reversed(records)],
                    "kinds": [{"name": kind.name, "use": kind.use, "algs": list(kind.algs)}
                              for kind in KINDS]})


@bp.get("/keys/jwks")
def jwks() -> Response:
    """The public JWK Set; ``?download=1`` offers it as ``jwks.json``."""
    response = jsonify(public_jwks(current_app.store))
    response.headers["Content-Type"] = "application/jwk-set+json"
    if request.args.get("download"):
        response.headers["Content-Disposition"] = 'attachment; filename="jwks.json"'
    return response


@bp.get("/keys/<kid>")
def get_key(kid: str) -> Response:
    return jsonify(key_body(current_app.store.get_key(kid)))


@bp.post("/keys")
def generate_key() -> Response:
    """A new key of ``kind``, which becomes the active one of its kind."""
    body = read_json()
    problems = Problems()
    check_unknown(body, ("kind",), problems)
    kind = next((kind for kind in KINDS if kind.name == body.get("kind")), None)
    if kind is None:
        problems.add("kind", "one of " + ", ".join(KIND_NAMES))
    problems.validate()
    record = create_key(current_app.store, kind)
    emit("key.created", kid=record.kid, kind=kind.name)
    return created(key_body(record))


@bp.post("/keys/<kid>/rotate")
def rotate(kid: str) -> Response:
    """A new active key of the same kind as ``kid``; the key it replaces stays published."""
    store = current_app.store
    if store.get_key(kid).status == "retired":
        raise conflict(f"Key '{kid}' is retired; generate a key of its kind instead.")
    record = rotate_key(store, kid)
    emit("key.rotated", kid=record.kid, previous_kid=kid, kind=kind_of(record).name)
    return created(key_body(record))


@bp.post("/keys/<kid>/retire")
def retire(kid: str) -> Response:
    """Take a replaced key out of the JWKS. The active key of a kind is rotated first."""
    store = current_app.store
    if store.get_key(kid).status == "active":
        raise conflict(f"Key '{kid}' is active; rotate it before retiring it.")
    record = store.retire_key(kid)
    emit("key.retired", kid=kid)
    return jsonify(key_body(record))
