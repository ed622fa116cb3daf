"""What the OP fetches for a client (``jwks_uri``, ``sector_identifier_uri``, ``request_uri``,
app/oauth/fetch.py) cannot hold its workers or scan ports for the client (issue 10):

- a server trickling one byte a second fails the fetch at its deadline, not minutes later;
- at most two fetches run at once; one more fails fast while /healthz answers;
- a request_uri the client did not register, or one at the OP's own address, is not fetched;
- "connection refused" and "HTTP 401" read the same to the client; the log tells them apart.

RFC 9101 §10.4.1: https://www.rfc-editor.org/rfc/rfc9101#section-10.4.1
"""

from __future__ import annotations

import json
import socket
import threading
import time
import uuid

import pytest
import requests
from jwcrypto import jwk as jc_jwk
from jwcrypto import jwt as jc_jwt

from app.oauth.fetch import MAX_CONCURRENT, TIMEOUT
from tests.flows import redirect_params
from tests.request_objects import DocumentHost

REDIRECT = "http://127.0.0.1:7110/cb"
SECRET = "outbound-fetches-client-secret-0123456789"
#: Generous: a fetch ends at TIMEOUT; the old per-read timeout let a trickle run for minutes.
ANSWER_WITHIN = TIMEOUT + 3
GENERIC_SECTOR = "Invalid 'sector_identifier_uri': could not be fetched."


class TrickleHost:
    """A loopback HTTP server answering one byte a second, a header line that never ends;
    it counts connections and stops itself after ``lifetime`` seconds."""

    def __init__(self, lifetime: float = 30):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.1)
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.connections = 0
        self.stopping = threading.Event()
        self.ends = time.monotonic() + lifetime
        threading.Thread(target=self.serve, daemon=True).start()

    def running(self) -> bool:
        return not self.stopping.is_set() and time.monotonic() < self.ends

    def serve(self) -> None:
        with self.listener:
            while self.running():
                try:
                    conn, _ = self.listener.accept()
                except TimeoutError:
                    continue
                self.connections += 1
                threading.Thread(target=self.trickle, args=(conn,), daemon=True).start()

    def trickle(self, conn: socket.socket) -> None:
        head = b"HTTP/1.1 200 OK\r\nX-Slow: "
        with conn:
            sent = 0
            while self.running():
                try:
                    conn.sendall(head[sent:sent + 1] or b"a")
                except OSError:
                    return  # the OP gave up and closed
                sent += 1
                self.stopping.wait(1)

    def stop(self) -> None:
        self.stopping.set()


@pytest.fixture
def trickle():
    host = TrickleHost()
    yield host
    host.stop()


@pytest.fixture(scope="module")
def documents():
    host = DocumentHost()
    yield host
    host.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from tests.conftest import LiveServer

    server = LiveServer(tmp_path_factory.mktemp("fetches") / "data")
    yield server
    server.stop()


def add_client(server, **metadata) -> str:
    client_id = f"fetching-{uuid.uuid4().hex[:8]}"
    server.store.create_client(client_id, {
        "redirect_uris": [REDIRECT], "grant_types": ["authorization_code", "client_credentials"],
        "response_types": ["code"], "token_endpoint_auth_method": "client_secret_basic",
        "scope": "openid", **metadata}, secret=SECRET, trusted=True)
    return client_id


def by_reference(server, client_id: str, request_uri: str) -> dict:
    response = requests.get(server.url + "/authorize", allow_redirects=False, timeout=15, params={
        "client_id": client_id, "request_uri": request_uri, "redirect_uri": REDIRECT,
        "state": "outer"})
    return redirect_params(response)


def register_pairwise(server, sector_identifier_uri: str) -> requests.Response:
    return requests.post(server.url + "/register", timeout=15, json={
        "redirect_uris": [REDIRECT], "subject_type": "pairwise",
        "sector_identifier_uri": sector_identifier_uri})


def private_key_jwt(server, client_id: str) -> dict:
    key = jc_jwk.JWK.generate(kty="EC", crv="P-256", kid="k1")
    now = int(time.time())
    token = jc_jwt.JWT(header={"alg": "ES256", "kid": "k1"}, claims={
        "iss": client_id, "sub": client_id, "aud": server.issuer + "/token", "iat": now,
        "exp": now + 60, "jti": str(uuid.uuid4())})
    token.make_signed_token(key)
    return {"grant_type": "client_credentials", "client_assertion": token.serialize(),
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}


def timed(call, *args):
    started = time.monotonic()
    result = call(*args)
    return result, time.monotonic() - started


def refused_url() -> str:
    """A loopback URL nothing listens on: connecting is refused."""
    with socket.create_server(("127.0.0.1", 0)) as sock:
        return f"http://127.0.0.1:{sock.getsockname()[1]}/sector.json"


def latest_fetch_failure(server) -> dict:
    return server.store.find_events(event="fetch.failed", limit=1)[0].fields


def test_a_trickling_jwks_uri_fails_client_authentication_within_the_deadline(server, trickle):
    client_id = add_client(server, token_endpoint_auth_method="private_key_jwt",
                           jwks_uri=trickle.url + "/jwks")
    response, seconds = timed(lambda: requests.post(server.url + "/token", timeout=15,
                                                    data=private_key_jwt(server, client_id)))
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"
    assert seconds < ANSWER_WITHIN


def test_a_trickling_sector_identifier_uri_fails_registration_within_the_deadline(
        server, trickle):
    response, seconds = timed(register_pairwise, server, trickle.url + "/sector.json")
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_client_metadata",
                               "error_description": GENERIC_SECTOR}
    assert seconds < ANSWER_WITHIN


def test_a_trickling_request_uri_is_invalid_request_uri_within_the_deadline(server, trickle):
    uri = trickle.url + "/request.jwt"
    back, seconds = timed(by_reference, server, add_client(server, request_uris=[uri]), uri)
    assert back["error"] == "invalid_request_uri" and back["state"] == "outer"
    assert seconds < ANSWER_WITHIN


def test_a_fetch_beyond_the_concurrent_limit_fails_fast_while_healthz_answers(server, trickle):
    held = [threading.Thread(target=register_pairwise, args=(server, trickle.url + "/s"),
                             daemon=True) for _ in range(MAX_CONCURRENT)]
    for thread in held:
        thread.start()
    for _ in range(50):
        if trickle.connections == MAX_CONCURRENT:
            break
        time.sleep(0.1)
    assert trickle.connections == MAX_CONCURRENT
    response, seconds = timed(register_pairwise, server, trickle.url + "/one-more")
    assert response.json()["error_description"] == GENERIC_SECTOR
    assert seconds < TIMEOUT - 1  # failed waiting for a slot, not at a fetch's deadline
    assert trickle.connections == MAX_CONCURRENT
    assert requests.get(server.url + "/healthz", timeout=5).status_code == 200
    for thread in held:
        thread.join(ANSWER_WITHIN + 5)


def test_a_request_uri_the_client_did_not_register_is_refused_without_a_connection(
        server, trickle):
    back = by_reference(server, add_client(server), trickle.url + "/request.jwt")
    assert back["error"] == "invalid_request_uri" and back["state"] == "outer"
    assert trickle.connections == 0


def test_a_request_uri_at_the_issuers_origin_is_refused_without_a_connection(
        fresh_server, trickle):
    """The issuer names the OP's public origin (e.g. a proxy in front of it)."""
    server = fresh_server(issuer=trickle.url)
    uri = trickle.url + "/request.jwt"
    back = by_reference(server, add_client(server, request_uris=[uri]), uri)
    assert back["error"] == "invalid_request_uri"
    assert trickle.connections == 0
    assert "this OP itself" in latest_fetch_failure(server)["reason"]


def test_a_request_uri_at_the_ops_listening_address_is_not_fetched(server):
    uri = server.url + "/.well-known/openid-configuration"
    back = by_reference(server, add_client(server, request_uris=[uri]), uri)
    # Fetched, the discovery document would be invalid_request_object (not a JWT).
    assert back["error"] == "invalid_request_uri"
    assert "this OP itself" in latest_fetch_failure(server)["reason"]


def test_connection_refused_and_http_401_read_the_same_to_the_client(server, documents):
    refused = register_pairwise(server, refused_url())
    unauthorized = register_pairwise(server, documents.put("/sector-401.json", "[]", status=401,
                                                           content_type="application/json"))
    assert refused.status_code == unauthorized.status_code == 400
    assert refused.json() == unauthorized.json() == {
        "error": "invalid_client_metadata", "error_description": GENERIC_SECTOR}


def test_why_a_fetch_failed_is_in_the_fetch_failed_event(server, documents):
    url = documents.put("/sector-403.json", json.dumps([REDIRECT]), status=403,
                        content_type="application/json")
    register_pairwise(server, url)
    assert latest_fetch_failure(server) == {"url": url, "reason": "HTTP 403 Forbidden"}
    url = refused_url()
    register_pairwise(server, url)
    assert "ConnectionRefusedError" in latest_fetch_failure(server)["reason"]


@pytest.mark.parametrize("uri", ['https://a"b.example/s.json', "https://x\\y.example/s.json"],
                         ids=["quote", "backslash"])
def test_a_url_the_op_will_not_fetch_is_refused_without_quoting_it(server, uri):
    """RFC 6749 §5.2: error_description excludes '"' and '\\'; quoting the host was a 500."""
    response = register_pairwise(server, uri)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_client_metadata"
