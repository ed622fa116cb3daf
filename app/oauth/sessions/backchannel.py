"""Back-channel logout: a signed ``logout_token`` POSTed to each client's
``backchannel_logout_uri`` when a session it received tokens in ends.

OpenID Connect Back-Channel Logout 1.0: https://openid.net/specs/openid-connect-backchannel-1_0.html

Delivery runs on a background thread (the user's logout does not wait for the clients), to
loopback or ``fetch_allowed_hosts`` hosts only (as ``fetch.py``), with a timeout and a
bounded retry; each outcome is the audit event ``logout.backchannel``.
"""

from __future__ import annotations

import logging
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

from flask import Flask, current_app

from ...events import emit
from ...store import NotFound
from ...store.records import SessionRecord
from ..claims import subject_for
from ..fetch import FetchError, NoRedirect, check_fetchable
from ..tokens import sign

log = logging.getLogger("pocket_op.backchannel")

#: §2.4: the member of ``events`` that makes a JWT a Logout Token.
LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout"
TOKEN_LIFETIME = 120  # seconds; §2.4 recommends "a few minutes" at most
TIMEOUT = 3.0  # seconds per attempt
BACKOFF = (0.5, 1.5)  # seconds before the second and third (last) attempt


@dataclass(frozen=True)
class Delivery:
    client_id: str
    uri: str
    logout_token: str
    sid: str


def create_logout_token(client, session: SessionRecord) -> str:
    """§2.4 Logout Token: iss, aud, iat, exp, jti and events REQUIRED; "A Logout Token MUST
    contain either a sub or a sid Claim"; sid whenever the client registered
    ``backchannel_logout_session_required`` (§2.2); "A Logout Token MUST NOT contain a nonce
    Claim". Signed as the client's ID tokens, explicitly typed ``logout+jwt``."""
    now = int(time.time())
    claims = {"iss": current_app.settings.issuer, "aud": client.client_id, "iat": now,
              "exp": now + TOKEN_LIFETIME, "jti": str(uuid.uuid4()),
              "events": {LOGOUT_EVENT: {}}}
    try:
        claims["sub"] = subject_for(client, current_app.store.get_user_by_sub(session.sub))
    except NotFound:
        pass  # the user was deleted: the sid alone names the session
    if client.get("backchannel_logout_session_required") or "sub" not in claims:
        claims["sid"] = session.sid
    alg = client.get("id_token_signed_response_alg") or "RS256"
    return sign(claims, alg, typ="logout+jwt")


def send_logouts(session: SessionRecord, clients: list) -> None:
    """§2.5: POST a Logout Token to every client of the session that registered a
    ``backchannel_logout_uri``, each on its own background thread."""
    for client in clients:
        uri = client.get("backchannel_logout_uri")
        if not uri:
            continue
        try:
            check_fetchable(uri)
        except FetchError as exc:
            emit("logout.backchannel", client_id=client.client_id, sid=session.sid, uri=uri,
                 outcome="refused", attempts=0, status=None, detail=str(exc))
            continue
        delivery = Delivery(client.client_id, uri, create_logout_token(client, session),
                            session.sid)
        app = current_app._get_current_object()
        threading.Thread(target=deliver, args=(app, delivery), daemon=True,
                         name=f"backchannel-logout-{client.client_id}").start()


def post_logout_token(delivery: Delivery) -> tuple[int | None, str]:
    """One attempt: §2.5 "The OP uses an HTTP POST to the registered back-channel logout URI"
    with the form-encoded ``logout_token``. Returns (HTTP status or None, detail)."""
    body = urlencode({"logout_token": delivery.logout_token}).encode()
    outgoing = urllib.request.Request(
        delivery.uri, data=body, method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.build_opener(NoRedirect).open(outgoing, timeout=TIMEOUT) as answer:
            return answer.status, ""
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return None, str(getattr(exc, "reason", exc))


def deliver(app: Flask, delivery: Delivery) -> None:
    """§2.8: the RP answers 200 (or 204) on success and 400 when the request failed; a 4xx
    is final, a 5xx or a network failure is retried (up to ``len(BACKOFF) + 1`` attempts)."""
    try:
        attempts, status, detail = 0, None, ""
        for pause in (0, *BACKOFF):
            time.sleep(pause)
            attempts += 1
            status, detail = post_logout_token(delivery)
            if status is not None and status < 500:
                break
        outcome = "delivered" if status is not None and 200 <= status < 300 else "failed"
        with app.app_context():
            emit("logout.backchannel", client_id=delivery.client_id, sid=delivery.sid,
                 uri=delivery.uri, outcome=outcome, attempts=attempts, status=status,
                 detail=detail)
    except Exception:
        log.exception("back-channel logout to %s failed unexpectedly", delivery.client_id)
    finally:
        app.store.db.close()  # this thread's connection, if it opened one
