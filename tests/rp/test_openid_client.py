"""A second, independent client library against the running server: panva's certified
openid-client (npm, tests/rp/rp.mjs) drives discovery, code + PKCE, refresh, userinfo,
client_credentials, private_key_jwt and dynamic registration. Its checks are left strict
(only plain http is allowed, since the test issuer is http://localhost), so a passing test
means a certified RP accepts the server unchanged. The browser part (login, consent) is done
with tests/flows.py; the RP only sees the authorization URL and the callback URL."""

from __future__ import annotations

import json
import selectors
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import ROOT
from tests.flows import SPA_REDIRECT, Browser

RP_DIR = Path(__file__).resolve().parent
DRIVER = RP_DIR / "rp.mjs"
#: How long one command may take (discovery, a token request, key generation...).
COMMAND_TIMEOUT = 20
USER_SCOPE = "openid profile email offline_access"
#: openid-client 6 supports Node.js 20 and later.
NODE_MAJOR = 20


class Driver:
    """``node tests/rp/rp.mjs``: one JSON command per line in, one JSON result per line out."""

    def __init__(self):
        self.proc = subprocess.Popen(
            ["node", str(DRIVER.relative_to(ROOT))], cwd=ROOT, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.proc.stdout, selectors.EVENT_READ)

    def call(self, op: str, **params) -> dict:
        self.proc.stdin.write(json.dumps({"op": op, **params}) + "\n")
        self.proc.stdin.flush()
        if not self.selector.select(COMMAND_TIMEOUT):
            raise AssertionError(f"rp.mjs gave no answer to {op!r} in {COMMAND_TIMEOUT}s")
        line = self.proc.stdout.readline()
        if not line:
            self.proc.wait(5)
            raise AssertionError(f"rp.mjs exited ({self.proc.returncode}): "
                                 f"{self.proc.stderr.read()}")
        return json.loads(line)

    def ok(self, op: str, **params) -> dict:
        """Call ``op`` and fail the test with openid-client's own words if it refused."""
        result = self.call(op, **params)
        assert "error" not in result, result
        return result

    def close(self) -> None:
        self.proc.stdin.close()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        self.selector.close()
        self.proc.stdout.close()
        self.proc.stderr.close()


@pytest.fixture(scope="session")
def node_modules() -> Path:
    """openid-client installed from the committed lock file (``npm ci``) once per session."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.fail("node and npm are needed for tests/rp (openid-client); install Node.js 20+ "
                    "(build/test.sh does: apt-get install nodejs npm)")
    version = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout
    if int(version.lstrip("v").split(".")[0]) < NODE_MAJOR:
        pytest.fail(f"openid-client 6 needs Node.js {NODE_MAJOR}+, found {version.strip()}")
    installed = RP_DIR / "node_modules" / "openid-client" / "package.json"
    if not installed.exists():
        done = subprocess.run(["npm", "ci", "--prefix", str(RP_DIR), "--no-audit", "--no-fund"],
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"npm ci failed:\n{done.stdout}\n{done.stderr}"
    return installed.parent.parent


@pytest.fixture
def rp(node_modules):
    driver = Driver()
    yield driver
    driver.close()


@pytest.fixture
def server(fresh_server):
    return fresh_server()


def discover_spa(rp: Driver, server) -> dict:
    return rp.ok("discover", issuer=server.issuer, client_id="demo-spa",
                 metadata={"redirect_uris": [SPA_REDIRECT]}, auth={"method": "none"})


def callback_url(server, url: str) -> str:
    """Log in as alice and allow consent for the RP's authorization URL; the redirect back
    to the client (its Location) is what the RP's callback would receive."""
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == server.issuer, url
    browser = Browser(server)
    response = browser.http.get(f"{server.url}{parts.path}?{parts.query}",
                                allow_redirects=False, timeout=10)
    if 'name="password"' in response.text:
        response = browser.login(response, "alice", "alice")
    if 'name="decision"' in response.text:
        response = browser.consent(response)
    assert response.status_code == 302, (response.status_code, response.text[:500])
    return response.headers["Location"]


def sign_in(rp: Driver, server, scope: str = USER_SCOPE, client: str = "default",
            redirect_uri: str = SPA_REDIRECT) -> dict:
    """The whole code flow through openid-client; returns the code_grant result."""
    request = rp.ok("authorization_url", redirect_uri=redirect_uri, scope=scope, client=client)
    location = callback_url(server, request["url"])
    return rp.ok("code_grant", callback_url=location, code_verifier=request["code_verifier"],
                 state=request["state"], nonce=request["nonce"], client=client)


@pytest.mark.parametrize("algorithm", ["oidc", "oauth2"],
                         ids=["openid-configuration", "rfc8414-oauth-authorization-server"])
def test_discovery_document_is_accepted(rp, live_server, algorithm):
    result = rp.ok("discover", issuer=live_server.issuer, client_id="demo-spa",
                   auth={"method": "none"}, algorithm=algorithm)
    assert result["server_metadata"]["issuer"] == live_server.issuer


def test_code_flow_with_pkce_passes_id_token_validation(rp, server):
    discover_spa(rp, server)
    result = sign_in(rp, server)
    claims = result["claims"]
    assert claims["iss"] == server.issuer
    assert claims["aud"] in ("demo-spa", ["demo-spa"])
    assert claims["sub"] == server.store.get_user("alice").sub
    assert result["tokens"]["token_type"].lower() == "bearer"


def test_refresh_token_grant_is_accepted(rp, server):
    discover_spa(rp, server)
    first = sign_in(rp, server)
    refreshed = rp.ok("refresh", refresh_token=first["tokens"]["refresh_token"])
    assert refreshed["tokens"]["access_token"] != first["tokens"]["access_token"]
    assert refreshed["tokens"]["refresh_token"] != first["tokens"]["refresh_token"]


def test_userinfo_is_accepted_for_the_id_token_subject(rp, server):
    discover_spa(rp, server)
    tokens = sign_in(rp, server)
    sub = tokens["claims"]["sub"]
    result = rp.ok("userinfo", access_token=tokens["tokens"]["access_token"], sub=sub)
    assert result["userinfo"]["sub"] == sub
    assert result["userinfo"]["email"] == "alice@example.com"


def test_client_credentials_with_client_secret_basic(rp, server):
    server.store.save_client_secret("demo-machine", "secret")
    rp.ok("discover", issuer=server.issuer, client_id="demo-machine",
          auth={"method": "client_secret_basic", "secret": "secret"})
    result = rp.ok("client_credentials", scope="api.read")
    assert result["tokens"]["access_token"]
    assert result["tokens"]["scope"].split() == ["api.read"]


def test_client_credentials_with_private_key_jwt(rp, server):
    jwk = rp.ok("generate_key", name="pk-app")["jwk"]
    server.store.create_client("pk-app", {
        "grant_types": ["client_credentials"], "response_types": [],
        "token_endpoint_auth_method": "private_key_jwt", "scope": "api.read",
        "jwks": {"keys": [jwk]}})
    rp.ok("discover", issuer=server.issuer, client_id="pk-app",
          auth={"method": "private_key_jwt", "key": "pk-app"})
    result = rp.ok("client_credentials", scope="api.read")
    assert result["tokens"]["access_token"]


REGISTRATIONS = {
    "public-native": {"application_type": "native", "token_endpoint_auth_method": "none"},
    "confidential-web": {"application_type": "web",
                         "token_endpoint_auth_method": "client_secret_basic"},
}


@pytest.mark.parametrize("metadata", REGISTRATIONS.values(), ids=REGISTRATIONS.keys())
def test_registered_client_completes_a_code_flow(rp, server, metadata):
    """openid-client registers (RFC 7591), then uses the issued client_id (and, for the
    confidential client, the issued client_secret) for a whole code flow."""
    redirect_uri = "http://127.0.0.1:9876/cb"
    registered = rp.ok("register", issuer=server.issuer, client="registered", metadata={
        "redirect_uris": [redirect_uri], "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"], "scope": USER_SCOPE, **metadata,
    }, auth={"method": metadata["token_endpoint_auth_method"]})
    client_id = registered["client_metadata"]["client_id"]
    result = sign_in(rp, server, client="registered", redirect_uri=redirect_uri)
    assert result["claims"]["aud"] in (client_id, [client_id])


def test_tampered_state_is_rejected_by_the_rp(rp, server):
    discover_spa(rp, server)
    request = rp.ok("authorization_url", redirect_uri=SPA_REDIRECT, scope="openid")
    location = callback_url(server, request["url"])
    result = rp.call("code_grant", callback_url=location, code_verifier=request["code_verifier"],
                     state=request["state"] + "x", nonce=request["nonce"])
    assert result["error"] == "ClientError"
    assert result["code"] == "OAUTH_INVALID_RESPONSE"
    assert result["cause"]["message"] == 'unexpected "state" response parameter value'
