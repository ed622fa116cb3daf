"""Try it's relying party: what the admin sends to this OP's endpoints on a client's behalf
(app/admin/try_it.py): the client's own authentication (RFC 6749 §2.3.1, OpenID Connect
Core §9, RFC 7523 §3 for client_secret_jwt), token and userinfo requests, and the result
as the screens show it. Each request goes to the real endpoint in process, through the WSGI
app: the same code, hooks, events and logs as over HTTP, whatever the issuer's host name
resolves to.
"""

from __future__ import annotations

import base64
import contextvars
import json
import time
import warnings
from typing import Any
from urllib.parse import quote

from flask import Flask, current_app
from joserfc import jwt
from joserfc.jwk import OctKey
from werkzeug.test import Client

from ..oauth.client_auth import HMAC_ALGS
from ..oauth.clients import METADATA_DEFAULTS
from ..oauth.discovery import metadata as discovery_metadata
from ..oauth.endpoints.registration import SECRET_METHODS
from ..store.crypto import generate_secret
from ..store.records import ClientRecord
from .try_it_tokens import decode_tokens, decode_userinfo

ASSERTION_LIFETIME = 60  # seconds a client_secret_jwt assertion is valid


def client_metadata(record: ClientRecord) -> dict[str, Any]:
    return {**METADATA_DEFAULTS, **record.metadata}


def endpoint(name: str) -> str:
    return discovery_metadata()[name]


def call(url: str, method: str = "GET", data: dict | None = None,
         headers: dict | None = None) -> tuple[int, str, str, dict[str, str]]:
    """``url`` (one of ours) through the WSGI app: status, media type, body, headers. Run in
    an empty context so the inner request has an app context (and ``g``) of its own."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    issuer = app.settings.issuer
    path = url[len(issuer):] if url.startswith(issuer) else url

    def run():
        response = Client(app).open(path, method=method, base_url=issuer + "/", data=data,
                                    headers=headers or {},
                                    environ_base={"REMOTE_ADDR": "127.0.0.1"})
        try:
            return (response.status_code, response.mimetype, response.get_data(as_text=True),
                    dict(response.headers))
        finally:
            response.close()

    return contextvars.Context().run(run)


def authenticate(record: ClientRecord, form: dict[str, str], audience: str) -> dict[str, str]:
    """Add the client's credentials to ``form`` (RFC 6749 §2.3.1, OIDC Core §9); returns
    the headers to send."""
    metadata = client_metadata(record)
    method, client_id = metadata["token_endpoint_auth_method"], record.client_id
    secret = current_app.store.get_client_secret(client_id) if method in SECRET_METHODS else None
    if method == "client_secret_basic":
        # RFC 6749 §2.3.1: both form-encoded, then HTTP Basic.
        pair = f"{quote(client_id, safe='')}:{quote(secret, safe='')}"
        return {"Authorization": "Basic " + base64.b64encode(pair.encode()).decode()}
    if method == "client_secret_post":
        form.update(client_id=client_id, client_secret=secret)
    elif method == "client_secret_jwt":
        form.update(client_assertion_type="urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                    client_assertion=client_assertion(client_id, secret, metadata, audience))
    else:
        form["client_id"] = client_id
    return {}


def client_assertion(client_id: str, secret: str, metadata: dict, audience: str) -> str:
    """RFC 7523 §3: iss = sub = client_id, aud the endpoint, a short exp, a fresh jti."""
    alg = metadata.get("token_endpoint_auth_signing_alg")
    alg = alg if alg in HMAC_ALGS else "HS256"
    now = int(time.time())
    claims = {"iss": client_id, "sub": client_id, "aud": audience, "iat": now,
              "exp": now + ASSERTION_LIFETIME, "jti": generate_secret(16)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # joserfc's note on short HMAC keys
        return jwt.encode({"alg": alg}, claims, OctKey.import_key(secret), algorithms=[alg])


def token_request(record: ClientRecord, form: dict[str, str]) -> tuple[int, dict]:
    url = endpoint("token_endpoint")
    headers = authenticate(record, form, url)
    status, _, body, _ = call(url, "POST", data=form, headers=headers)
    return status, parse_json(body)


def parse_json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return {"error": "invalid_response", "error_description": "The answer is not JSON.",
                "raw": text[:2000]}


def op_error(body: Any) -> dict[str, Any] | None:
    """The OP's error (``error``, ``error_description``) exactly as it came, or None."""
    if isinstance(body, dict) and "error" in body:
        return {k: body[k] for k in ("error", "error_description", "error_uri") if k in body}
    return None


def token_result(flow: str, record: ClientRecord, status: int, body: Any,
                 nonce: str | None = None) -> dict[str, Any]:
    result: dict[str, Any] = {"flow": flow, "client_id": record.client_id,
                              "token_response": {"status": status, "body": body}}
    error = op_error(body)
    if error or status != 200 or not isinstance(body, dict):
        result["error"] = error or {"error": "invalid_response",
                                    "error_description": f"The token endpoint answered {status}."}
        return result
    jwks = parse_json(call(endpoint("jwks_uri"))[2])
    result["tokens"], result["checks"] = decode_tokens(body, jwks, record.client_id,
                                                      current_app.settings.issuer, nonce)
    return result


def userinfo(access_token: str) -> dict[str, Any]:
    status, media_type, text, headers = call(
        endpoint("userinfo_endpoint"), headers={"Authorization": f"Bearer {access_token}"})
    answer: dict[str, Any] = {"status": status}
    if "WWW-Authenticate" in headers:
        answer["www_authenticate"] = headers["WWW-Authenticate"]
    if media_type == "application/jwt":
        jwks = parse_json(call(endpoint("jwks_uri"))[2])
        answer["token"] = decode_userinfo(text, jwks)
    else:
        answer["body"] = parse_json(text)
    return answer
