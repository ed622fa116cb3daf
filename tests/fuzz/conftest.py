"""One live server for the whole fuzz session (state the fuzz changes is its own), with the
clients, tokens, SSO session and registration the strategies aim at; and the log of server
errors, so a 5xx fails with the server's own traceback."""

from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from hypothesis.configuration import set_hypothesis_home_dir

from tests.conftest import LiveServer
from tests.flows import TEST_SECRET, Browser, spa_request, web_tokens
from tests.fuzz.strategies import HMAC_SECRET, RSA_KEY
from tests.fuzz.wire import Wire

# Hypothesis caches what it learns from the source under ``.hypothesis/`` in the working
# directory, even with no example database: keep that out of the repo.
if not os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
    set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "pocket-op-hypothesis")

LOOPBACK = ["http://127.0.0.1/callback"]


class ServerErrors(logging.Handler):
    """Tracebacks the server logged (``handle_unexpected``), attached to a failing reply."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(logging.Formatter().format(record))


@dataclass
class Target:
    """What the fuzz tests aim at on the shared server."""

    server: LiveServer
    wire: Wire
    tokens: dict = field(default_factory=dict)
    session_cookie: str = ""
    registered: dict = field(default_factory=dict)

    def placeholders(self) -> dict[bytes, bytes]:
        """Real values for the strategies' placeholders (see ``strategies.fill``)."""
        return {b"@access": self.tokens["access_token"].encode(),
                b"@refresh": self.tokens["refresh_token"].encode(),
                b"@id_token": self.tokens["id_token"].encode(),
                b"@reg_token": self.registered["registration_access_token"].encode(),
                b"@reg_client": self.registered["client_id"].encode(),
                b"@secret": TEST_SECRET.encode()}

    def renew_tokens(self) -> None:
        """Fresh tokens, for a test that should not see those an earlier one revoked."""
        self.tokens = web_tokens(self.server)

    def new_code(self) -> tuple[str, str]:
        """(code, verifier) for demo-spa: alice's SSO session and remembered consent mean one
        authorization request, no page."""
        params, verifier = spa_request()
        reply = self.wire.send("GET", "/authorize?" + urlencode(params), [
            (b"Cookie", b"pocket_op_session=" + self.session_cookie.encode())])
        location = urlsplit(reply.headers.get("Location", ""))
        code = parse_qs(location.query).get("code")
        assert code, reply.describe()
        return code[0], verifier

    def new_refresh_token(self, client_id: str = "demo-web") -> str:
        """A refresh token of alice's, saved straight into the store (no login to pay for)."""
        raw = secrets.token_urlsafe(32)
        self.server.store.save_token(
            raw, "refresh", client_id=client_id, scope="openid offline_access",
            family=str(uuid.uuid4()), expires_at=time.time() + 600,
            sub=self.server.store.get_user("alice").sub)
        return raw


def add_clients(server: LiveServer) -> None:
    store = server.store
    for client_id in ("demo-web", "demo-machine"):
        store.save_client_secret(client_id, TEST_SECRET)
    common = {"response_types": [], "scope": "api.read api.write"}
    store.create_client("fuzz-hmac", {**common, "grant_types": ["client_credentials"],
                                      "token_endpoint_auth_method": "client_secret_jwt"},
                        secret=HMAC_SECRET)
    store.create_client("fuzz-pkjwt", {
        **common, "grant_types": ["client_credentials"],
        "token_endpoint_auth_method": "private_key_jwt",
        "jwks": {"keys": [json.loads(RSA_KEY.export_public())]}})
    store.create_client("fuzz-password", {
        "grant_types": ["password", "refresh_token"], "response_types": [],
        "token_endpoint_auth_method": "client_secret_post", "scope": "openid profile"},
        secret=TEST_SECRET)
    store.create_client("fuzz-jwt-at", {**common, "grant_types": ["client_credentials"],
                                        "access_token_as_jwt": True}, secret=TEST_SECRET)
    store.create_client("fuzz-hybrid", {
        "grant_types": ["authorization_code", "implicit"], "redirect_uris": LOOPBACK,
        "response_types": ["code", "token", "id_token", "id_token token", "code id_token",
                           "code token", "code id_token token", "none"],
        "token_endpoint_auth_method": "none", "scope": "openid profile email"})


@pytest.fixture(scope="session")
def fuzz_errors():
    handler = ServerErrors()
    logger = logging.getLogger("pocket_op")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


@pytest.fixture(scope="session")
def target(tmp_path_factory, seeded_data_dir, fuzz_errors) -> Target:
    data_dir = tmp_path_factory.mktemp("fuzz") / "data"
    shutil.copytree(seeded_data_dir, data_dir)
    server = LiveServer(data_dir)
    add_clients(server)
    target = Target(server, Wire(server, fuzz_errors))
    target.tokens = web_tokens(server)
    browser = Browser(server)
    params, _ = spa_request()
    browser.sign_in_and_allow(**params)
    target.session_cookie = browser.http.cookies["pocket_op_session"]
    registered = server.post("/register", json={"redirect_uris": LOOPBACK,
                                                "client_name": "fuzzed registration"})
    assert registered.status_code == 201, registered.text
    target.registered = registered.json()
    yield target
    server.stop()


def pytest_sessionfinish(session, exitstatus):
    """The long mode asks for a count of the requests checked (POCKET_OP_FUZZ_REPORT)."""
    report = os.environ.get("POCKET_OP_FUZZ_REPORT")
    if report:
        Path(report).write_text(json.dumps({"requests": Wire.count, "finished": time.time(),
                                            "exitstatus": int(exitstatus)}))


def pytest_collection_modifyitems(items):
    """A falsifying example may be large (64 KiB of fuzz): Hypothesis warns when it prints
    it, which ``-W error`` would turn into an error hiding the real failure."""
    for item in items:
        if "/fuzz/" in str(item.fspath):
            item.add_marker(pytest.mark.filterwarnings(
                "ignore:Generating overly large repr:hypothesis.errors.HypothesisWarning"))
