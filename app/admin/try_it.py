""""Try it": the admin acts as the relying party of a client, runs its flow against this OP's
real endpoints and shows what came back, each token decoded and checked.

- ``GET /admin/api/clients/<id>/try-it``: the plan: which flows can run (authorization_code,
  client_credentials), the callback URI ``{issuer}/admin/try-it/callback`` and whether the
  client registered it, or why the client cannot be tried.
- ``POST /admin/api/clients/<id>/try-it`` (``{"flow": ...}``): client_credentials asks for a
  token at once and answers the result; authorization_code keeps state, nonce and the PKCE
  verifier here, bound to the admin caller, and answers the authorization URL the window
  opens (after pushing the request, RFC 9126, when the client must use PAR).
- ``GET /admin/try-it/callback``: the redirect URI. It only records the authorization
  response against its ``state`` and sends the window back to the admin screen that started
  (``#/clients/<id>/try/<state>``): the issuer's host (``localhost``) may not be the one the
  screens run on (``127.0.0.1``), where the admin's credentials are.
- ``POST /admin/api/try-it/<state>``: the admin who started redeems the code at the token
  endpoint, calls userinfo, and gets the result (the same result when asked again).

The redirect URI is matched exactly like any other (RFC 6749 §3.1.2.2): the screen offers to
register it, the OP makes no exception for it. The client authenticates with its own method
and its stored secret, decrypted here and never sent to the browser; private_key_jwt and the
TLS methods cannot be tried (the client's private key is not ours). The token, PAR, userinfo
and JWKS requests (``try_it_client``) go to the real endpoints; the tokens are decoded and
verified against the published JWKS (``try_it_tokens``). Errors from the OP are shown as they
came.
"""

from __future__ import annotations

import base64
import hashlib
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from flask import Blueprint, Response, current_app, g, jsonify, redirect, request

from ..errors import error_response
from ..events import emit
from ..hosts import check_loopback_address
from ..oauth.endpoints.registration import SECRET_METHODS
from ..store.crypto import generate_secret
from ..store.records import ClientRecord
from . import guard
from .api import AdminError, conflict, invalid, not_found, read_json
from .try_it_client import (
    authenticate,
    call,
    client_metadata,
    endpoint,
    op_error,
    parse_json,
    token_request,
    token_result,
    userinfo,
)

bp = Blueprint("try_it", __name__)

CALLBACK_PATH = "/admin/try-it/callback"
FLOWS = ("authorization_code", "client_credentials")
LIFETIME = 900  # seconds a started code flow waits for its callback and redemption
MAX_ATTEMPTS = 200  # started flows kept at once; the oldest go first
#: Methods whose credentials this server does not hold.
UNTRIABLE_METHODS = {
    "private_key_jwt": "signs with the client's private key",
    "tls_client_auth": "presents the client's TLS certificate",
    "self_signed_tls_client_auth": "presents the client's TLS certificate",
}


@dataclass
class Attempt:
    """A started code flow: what the token request needs, and what came back."""

    client_id: str
    caller: tuple[str, str | None]
    nonce: str
    verifier: str
    return_to: str
    created: float = field(default_factory=time.time)
    response: dict[str, str] | None = None
    result: dict[str, Any] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


class Attempts:
    """Started code flows by state, in memory (a restart ends them), expiring."""

    def __init__(self):
        self._items: dict[str, Attempt] = {}
        self._lock = threading.Lock()

    def add(self, state: str, attempt: Attempt) -> None:
        with self._lock:
            self._drop_expired()
            while len(self._items) >= MAX_ATTEMPTS:
                self._items.pop(next(iter(self._items)))
            self._items[state] = attempt

    def get(self, state: str) -> Attempt | None:
        with self._lock:
            self._drop_expired()
            return self._items.get(state)

    def save_response(self, state: str, response: dict[str, str]) -> Attempt | None:
        """Record the authorization response of the live attempt ``state`` and return it;
        None when there is none or it has one already. Checked and set under one lock, so
        of two callbacks with the same state only one proceeds."""
        with self._lock:
            self._drop_expired()
            attempt = self._items.get(state)
            if attempt is None or attempt.response is not None:
                return None
            attempt.response = response
            return attempt

    def _drop_expired(self) -> None:
        limit = time.time() - LIFETIME
        for state in [s for s, a in self._items.items() if a.created < limit]:
            del self._items[state]


def attempts() -> Attempts:
    return current_app.extensions["pocket_op.try_it"]


def caller_key() -> tuple[str, str | None]:
    return g.admin.method, g.admin.session_id


def callback_uri() -> str:
    return current_app.settings.issuer + CALLBACK_PATH


# The plan: what can be tried, and why not.

def client_problem(record: ClientRecord, metadata: dict[str, Any]) -> str | None:
    """Why no flow of this client can be tried, or None."""
    method = metadata["token_endpoint_auth_method"]
    if method in UNTRIABLE_METHODS:
        return (f"The client authenticates with {method}: it {UNTRIABLE_METHODS[method]}, "
                "which this server does not hold, so Try it cannot act as this client.")
    if method in SECRET_METHODS and not record.has_secret:
        return "The client has no stored secret: regenerate it first."
    return None


def flow_problem(flow: str, record: ClientRecord, metadata: dict[str, Any]) -> str | None:
    if flow not in metadata["grant_types"]:
        return f"The client does not have the {flow} grant."
    if flow == "authorization_code":
        # The authorization endpoint shows its error page instead of redirecting for an
        # unusable client, and the window would stay there: say it here instead.
        if not record.active or (record.expires_at and record.expires_at < time.time()):
            return "The client is inactive or expired: the authorization endpoint refuses it."
        if "code" not in metadata.get("response_types", []):
            return "The client does not have the 'code' response type."
        if metadata.get("require_signed_request_object"):
            return "The client must sign its request objects with its own key."
    return None


def plan(record: ClientRecord) -> dict[str, Any]:
    metadata = client_metadata(record)
    problem = client_problem(record, metadata)
    flows = [{"flow": flow, "reason": problem or flow_problem(flow, record, metadata)}
             for flow in FLOWS if flow in metadata["grant_types"]]
    if not flows:
        problem = problem or ("Try it runs the authorization code flow or client_credentials; "
                              "the client has neither grant.")
    uri = callback_uri()
    return {"client_id": record.client_id, "flows": flows, "reason": problem,
            "redirect_uri": uri,
            "redirect_uri_registered": uri in (metadata.get("redirect_uris") or [])}


@bp.get("/clients/<client_id>/try-it")
def get_plan(client_id: str) -> Response:
    return jsonify(plan(current_app.store.get_client(client_id)))


# Starting a flow.

def choose_flow(record: ClientRecord) -> tuple[str, dict[str, Any]]:
    body = read_json() if request.get_data() else {}
    the_plan = plan(record)
    flows = {item["flow"]: item["reason"] for item in the_plan["flows"]}
    flow = body.get("flow", next(iter(flows), None))
    if flow not in FLOWS:
        raise invalid({"flow": "one of " + ", ".join(FLOWS)})
    if flow not in flows or flows[flow] or the_plan["reason"]:
        raise conflict(flows.get(flow) or the_plan["reason"]
                       or f"The client does not have the {flow} grant.")
    if flow == "authorization_code" and not the_plan["redirect_uri_registered"]:
        raise conflict(f"Register '{the_plan['redirect_uri']}' as a redirect URI of the "
                       "client first.")
    return flow, the_plan


@bp.post("/clients/<client_id>/try-it")
def start(client_id: str) -> Response:
    record = current_app.store.get_client(client_id)
    flow, _ = choose_flow(record)
    emit("client.try_it", client_id=client_id, flow=flow)
    if flow == "client_credentials":
        status, body = token_request(record, {"grant_type": "client_credentials"})
        return jsonify({"result": token_result(flow, record, status, body)})
    return jsonify(start_code_flow(record))


def start_code_flow(record: ClientRecord) -> dict[str, Any]:
    """OIDC Core §3.1.2.1 with PKCE (RFC 7636 §4.2, S256); pushed first when required."""
    state, verifier = generate_secret(24), generate_secret(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    params = {"response_type": "code", "client_id": record.client_id,
              "redirect_uri": callback_uri(), "state": state, "nonce": generate_secret(16),
              "code_challenge": challenge.decode().rstrip("="), "code_challenge_method": "S256"}
    metadata = client_metadata(record)
    if metadata.get("scope"):
        params["scope"] = metadata["scope"]
    attempt = Attempt(record.client_id, caller_key(), params["nonce"], verifier,
                      request.url_root.rstrip("/") + "/admin")
    if metadata.get("require_pushed_authorization_requests") or metadata.get("require_par"):
        url = endpoint("pushed_authorization_request_endpoint")
        form = dict(params)
        headers = authenticate(record, form, current_app.settings.issuer)
        status, _, text, _ = call(url, "POST", data=form, headers=headers)
        pushed = parse_json(text)
        if status != 201 or not isinstance(pushed, dict) or "request_uri" not in pushed:
            error = op_error(pushed) or {"error": "invalid_response",
                                         "error_description": f"PAR answered {status}."}
            return {"result": {"flow": "authorization_code", "client_id": record.client_id,
                               "par_response": {"status": status, "body": pushed},
                               "error": error}}
        params = {"client_id": record.client_id, "request_uri": pushed["request_uri"]}
    attempts().add(state, attempt)
    return {"state": state, "authorization_url": endpoint("authorization_endpoint") + "?"
            + urlencode(params)}


# The callback and the redemption.

def callback() -> Response:
    """``{issuer}/admin/try-it/callback``: record the authorization response (RFC 6749
    §4.1.2, §4.1.2.1) and send the window back to the screen that started the flow."""
    settings = current_app.settings
    if not settings.get("admin_remote_access", False) and not (
            check_loopback_address(request.remote_addr)
            and guard.check_host(request.host, settings.issuer)):
        return error_response(403, "forbidden", "Try it answers loopback callers only.")
    params = request.args.to_dict()
    attempt = attempts().save_response(params.get("state", ""), params)
    if attempt is None:
        return error_response(400, "invalid_request", "Unknown, expired or used 'state': "
                              "start Try it again from the client's page.")
    target = f"{attempt.return_to}#/clients/{quote(attempt.client_id, safe='')}/try/" \
             f"{params['state']}"
    return redirect(target, 303)


@bp.post("/try-it/<state>")
def finish(state: str) -> Response:
    attempt = attempts().get(state)
    if attempt is None or attempt.caller != caller_key():
        raise not_found("Try it run (it expired, or another admin sign-in started it)")
    if attempt.response is None:
        raise AdminError(409, "conflict", "The authorization response has not come back yet.")
    with attempt.lock:
        if attempt.result is None:
            attempt.result = redeem(attempt)
    return jsonify(attempt.result)


def redeem(attempt: Attempt) -> dict[str, Any]:
    """RFC 6749 §4.1.3 token request with the PKCE verifier; then OIDC Core §5.3 userinfo."""
    store, response = current_app.store, attempt.response or {}
    record = store.get_client(attempt.client_id)
    issuer = current_app.settings.issuer
    checks = [{"name": "iss of the authorization response (RFC 9207)",
               "ok": response.get("iss") == issuer,
               "detail": response.get("iss", "(absent)")}]
    error = op_error(response)
    if error or "code" not in response:
        return {"flow": "authorization_code", "client_id": record.client_id,
                "authorization_response": response, "checks": checks,
                "error": error or {"error": "invalid_response",
                                   "error_description": "The response has no 'code'."}}
    status, body = token_request(record, {
        "grant_type": "authorization_code", "code": response["code"],
        "redirect_uri": callback_uri(), "code_verifier": attempt.verifier})
    result = token_result("authorization_code", record, status, body, attempt.nonce)
    result["authorization_response"] = response
    result["checks"] = checks + result.get("checks", [])
    access_token = body.get("access_token") if isinstance(body, dict) else None
    scopes = str(body.get("scope", "")).split() if isinstance(body, dict) else []
    if access_token and "error" not in result and ("openid" in scopes or "id_token" in body):
        result["userinfo"] = userinfo(access_token)
    return result


def init(state) -> None:
    """Blueprint setup: the attempts store, and the callback outside ``/admin/api`` (the
    window arrives there without the admin's credentials: see the module docstring)."""
    state.app.extensions["pocket_op.try_it"] = Attempts()
    state.app.add_url_rule(CALLBACK_PATH, "try_it_callback", callback, methods=["GET"])


bp.record_once(init)
