"""Helpers of the session and logout tests: a relying party registered with logout URIs,
signed in through the real pages, the audit events they cause, and a loopback listener
standing in for its back-channel logout URI."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import requests

from tests.flows import Browser, basic, redirect_params

RP_ID = "logout-rp"
RP_SECRET = "logout-rp-secret"
RP_REDIRECT = "http://localhost:4000/callback"
RP_LOGGED_OUT = "http://localhost:4000/logged-out"


def register_rp(server, client_id: str = RP_ID, **metadata) -> str:
    """A trusted (no consent page) confidential client with a post_logout_redirect_uri."""
    server.store.create_client(client_id, {
        "client_name": "Logout RP", "redirect_uris": [RP_REDIRECT],
        "post_logout_redirect_uris": [RP_LOGGED_OUT],
        "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"],
        "token_endpoint_auth_method": "client_secret_basic",
        "scope": "openid profile offline_access", **metadata,
    }, secret=RP_SECRET, trusted=True)
    return client_id


def sign_in(server, browser: Browser, client_id: str = RP_ID, scope: str = "openid profile",
            username: str = "alice") -> dict:
    """Authorize ``client_id`` in ``browser`` (logging in when asked), redeem the code;
    the token response."""
    back = redirect_params(browser.sign_in_and_allow(
        username, client_id=client_id, response_type="code", scope=scope,
        redirect_uri=RP_REDIRECT, state="s", nonce="n"))
    response = server.post("/token", headers=basic(client_id, RP_SECRET), data={
        "grant_type": "authorization_code", "code": back["code"], "redirect_uri": RP_REDIRECT})
    assert response.status_code == 200, response.text
    return response.json()


def events(server, name: str) -> list[dict]:
    """The fields of every ``name`` audit event, oldest first."""
    return [event.fields for event in reversed(server.store.find_events(event=name))]


def wait_for_events(server, name: str, count: int = 1, timeout: float = 10) -> list[dict]:
    """Poll the audit log until ``count`` events named ``name`` are there."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = events(server, name)
        if len(found) >= count:
            return found
        time.sleep(0.05)
    raise AssertionError(f"{count} {name} event(s) expected, found {events(server, name)}")


@dataclass
class Received:
    path: str
    content_type: str
    form: dict[str, list[str]]


class RPListener:
    """A relying party's back-channel logout URI on 127.0.0.1: records each POST and answers
    with the next of ``statuses`` (the last one repeats), after ``delay`` seconds."""

    def __init__(self):
        self.received: list[Received] = []
        self.statuses = [200]
        self.delay = 0.0
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                listener.received.append(Received(self.path, self.headers["Content-Type"],
                                                  parse_qs(body)))
                time.sleep(listener.delay)
                status = listener.statuses[min(len(listener.received),
                                               len(listener.statuses)) - 1]
                self.send_response(status)
                self.send_header("Cache-Control", "no-store")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/backchannel"
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def logout_tokens(self) -> list[str]:
        return [item.form["logout_token"][0] for item in self.received]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def end_session(browser: Browser, **params) -> requests.Response:
    return browser.get("/end_session", **params)
