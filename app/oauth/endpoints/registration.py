"""``registration_endpoint``: Dynamic Client Registration (RFC 7591 §3) and its management
protocol (RFC 7592 §2). ``POST /register`` creates a client; ``GET``, ``PUT`` and ``DELETE``
``/register/<client_id>`` read, replace and delete it with the registration access token.

Open by default (CONTRACT.md); the ``registration_initial_access_token`` setting makes that
token a requirement (RFC 7591 §3: "The client registration endpoint MAY be an OAuth 2.0
protected resource and accept an initial access token").
RFC 7591: https://www.rfc-editor.org/rfc/rfc7591
RFC 7592: https://www.rfc-editor.org/rfc/rfc7592
"""

from __future__ import annotations

import hmac
from typing import Any

from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import InvalidRequestError
from flask import Blueprint, Flask, Response, current_app, jsonify, request

from ... import jsontext
from ...errors import error_response
from ...events import emit
from ...store import NotFound
from ...store.crypto import generate_client_secret, generate_secret
from ...store.records import ClientRecord
from ..client_metadata import validate_client_metadata
from ..client_metadata.fields import NOT_ACTED_ON, invalid

bp = Blueprint("registration", __name__)

#: RFC 7591 §3.2.1: what the server issues; never taken from a request's metadata.
ISSUED = ("client_id", "client_secret", "client_id_issued_at", "client_secret_expires_at",
          "registration_access_token", "registration_client_uri")
#: Authentication methods that use the client secret, so a secret is issued for them.
SECRET_METHODS = ("client_secret_basic", "client_secret_post", "client_secret_jwt")


@bp.errorhandler(OAuth2Error)
def registration_error(error: OAuth2Error) -> Response:
    """RFC 7591 §3.2.2: 400 with a JSON ``error`` and ``error_description``."""
    emit("registration.error", error=error.error, description=error.description,
         method=request.method, path=request.path)
    return error_response(error.status_code, error.error, error.description)


def invalid_token(description: str) -> Response:
    """RFC 6750 §3.1: 401 with a Bearer challenge naming ``invalid_token``."""
    emit("registration.error", error="invalid_token", method=request.method,
         path=request.path)
    response = error_response(401, "invalid_token", description)
    response.headers["WWW-Authenticate"] = (
        f'Bearer realm="pocket-op", error="invalid_token", error_description="{description}"')
    return response


def bearer_token() -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


def read_metadata() -> dict[str, Any]:
    """RFC 7591 §3.1: "a content type of application/json" holding a JSON object."""
    if request.mimetype != "application/json":
        raise InvalidRequestError("The request body must be application/json.")
    try:
        body = jsontext.loads(request.get_data())
    except (ValueError, RecursionError):
        raise InvalidRequestError("The request body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise InvalidRequestError("The request body must be a JSON object.")
    return body


def client_information(record: ClientRecord, secret: str | None, token: str) -> Response:
    """RFC 7591 §3.2.1 / RFC 7592 §3: the registered metadata and what the server issued."""
    body: dict[str, Any] = {"client_id": record.client_id,
                            "client_id_issued_at": int(record.created_at)}
    if secret:
        body.update(client_secret=secret, client_secret_expires_at=0)
    body.update(registration_access_token=token, registration_client_uri=(
        f"{current_app.settings.issuer}/register/{record.client_id}"))
    # A client stored before NOT_ACTED_ON existed may hold such fields: never echo them.
    body.update({k: v for k, v in record.metadata.items()
                 if k not in body and k not in NOT_ACTED_ON})
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response


def validate_registration(body: dict[str, Any]) -> dict[str, Any]:
    """The clean metadata of a registration (RFC 7591 §2, §3.2.2). The password grant
    (RFC 6749 §4.3; RFC 9700 §2.4: "MUST NOT be used") is for clients an admin creates: an
    open endpoint handing it out would let any web page guess passwords at /token."""
    metadata = validate_client_metadata({k: v for k, v in body.items() if k not in ISSUED})
    if "password" in metadata.get("grant_types", ()):
        raise invalid("grant_types", "the password grant is only for clients created in the "
                      "admin")
    return metadata


@bp.post("/register")
def register():
    expected = current_app.settings.registration_initial_access_token
    token = bearer_token()
    if expected and not (token and hmac.compare_digest(token.encode(), expected.encode())):
        return invalid_token("A valid initial access token is required.")
    body = read_metadata()
    metadata = validate_registration(body)
    store, client_id = current_app.store, generate_secret(16)
    needs_secret = metadata["token_endpoint_auth_method"] in SECRET_METHODS
    secret = generate_client_secret() if needs_secret else None
    registration_token = generate_secret(32)
    with store.atomic():
        record = store.create_client(client_id, metadata, secret=secret)
        store.save_registration_token(client_id, registration_token)
    emit("client.registered", client_id=client_id, client_name=metadata.get("client_name"),
         application_type=metadata["application_type"])
    response = client_information(record, secret, registration_token)
    response.status_code = 201
    return response


def authorized_client(client_id: str) -> tuple[ClientRecord | None, str | None]:
    """RFC 7592 §2.1: the client whose registration access token was presented; an unknown
    client and a wrong token look alike, so the answer reveals nothing."""
    token = bearer_token()
    store = current_app.store
    if not token or not store.check_registration_token(client_id, token):
        return None, None
    try:
        return store.get_client(client_id), token
    except NotFound:
        return None, None


@bp.get("/register/<client_id>")
def read_client(client_id: str):
    """RFC 7592 §2.1: the client's current configuration."""
    record, token = authorized_client(client_id)
    if record is None:
        return invalid_token("The registration access token is invalid.")
    return client_information(record, current_app.store.get_client_secret(client_id), token)


@bp.put("/register/<client_id>")
def update_client(client_id: str):
    """RFC 7592 §2.2: the request replaces the metadata; omitted fields are removed."""
    record, token = authorized_client(client_id)
    if record is None:
        return invalid_token("The registration access token is invalid.")
    body, store = read_metadata(), current_app.store
    # "The client MUST include its client_id field in the request, and it MUST be the same
    # as its currently issued client identifier."
    if body.get("client_id") != client_id:
        raise InvalidRequestError("'client_id' must be this client's identifier.")
    # "The updated client metadata fields request MUST NOT include the
    # registration_access_token, registration_client_uri, client_secret_expires_at, or
    # client_id_issued_at fields".
    for field in ISSUED[2:]:
        if field in body:
            raise InvalidRequestError(f"'{field}' must not be sent.")
    # "If the client includes the client_secret field in the request, the value of this
    # field MUST match the currently issued client secret for that client."
    sent = body.get("client_secret")
    if "client_secret" in body and not (isinstance(sent, str)
                                        and store.check_client_secret(client_id, sent)):
        raise InvalidRequestError("'client_secret' does not match the issued secret.")
    metadata = validate_registration(body)
    with store.atomic():
        secret = save_secret_for(client_id, metadata["token_endpoint_auth_method"])
        record = store.update_client(client_id, metadata=metadata)
    emit("client.updated", client_id=client_id)
    return client_information(record, secret, token)


def save_secret_for(client_id: str, method: str) -> str | None:
    """Keep the issued secret while the method uses one; issue one when it starts to; drop
    it when it stops ("The client MUST NOT be allowed to overwrite its existing client
    secret with its own chosen value")."""
    store = current_app.store
    secret = store.get_client_secret(client_id)
    if method in SECRET_METHODS and secret is None:
        secret = generate_client_secret()
        store.save_client_secret(client_id, secret)
    elif method not in SECRET_METHODS and secret is not None:
        secret = None
        store.save_client_secret(client_id, None)
    return secret


@bp.delete("/register/<client_id>")
def delete_client(client_id: str):
    """RFC 7592 §2.3: "the authorization server MUST respond with an HTTP 204 No Content
    message"; the client's codes, tokens and consents go with it."""
    record, _ = authorized_client(client_id)
    if record is None:
        return invalid_token("The registration access token is invalid.")
    try:
        current_app.store.delete_client(client_id)
    except NotFound:
        return invalid_token("The registration access token is invalid.")
    emit("client.deleted", client_id=client_id)
    return Response(status=204, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.registry.add_endpoint("registration_endpoint", "registration.register")
