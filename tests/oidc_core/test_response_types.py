"""OAuth 2.0 Multiple Response Type Encoding Practices and OpenID Connect Core §3.2-3.3:
every response type in every response mode, through the real endpoints, each token
verified with jwcrypto."""

import base64
import hashlib
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.flows import Browser, pkce_pair
from tests.tokens import verify_jwt

REDIRECT = "http://127.0.0.1:7001/cb"
SECRET = "hybrid-secret"
TYPES = ["code", "id_token", "id_token token", "code id_token", "code token",
         "code id_token token", "token", "none"]
MODES = ["query", "fragment", "form_post"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from tests.conftest import LiveServer

    server = LiveServer(tmp_path_factory.mktemp("rt") / "data")
    server.store.create_client("hybrid-app", {
        "client_name": "Every response type", "redirect_uris": [REDIRECT],
        "response_types": TYPES, "grant_types": ["authorization_code", "implicit"],
        "token_endpoint_auth_method": "client_secret_basic", "scope": "openid profile email",
    }, secret=SECRET, trusted=True)
    browser = Browser(server)
    page = browser.authorize(client_id="hybrid-app", response_type="code", redirect_uri=REDIRECT,
                             scope="openid", nonce="n", code_challenge=pkce_pair()[1],
                             code_challenge_method="S256")
    browser.login(page, "alice", "alice")
    server.browser = browser
    yield server
    server.stop()


def response_params(response) -> dict[str, str]:
    if response.status_code == 200:  # form_post
        fields = re.findall(r'name="([^"]+)" value="([^"]*)"', response.text)
        return {name: unescape(value) for name, value in fields}
    parts = urlsplit(response.headers["Location"])
    raw = parts.fragment or parts.query
    return {k: v[0] for k, v in parse_qs(raw).items()}


def where(response) -> str:
    if response.status_code == 200:
        return "form_post"
    return "fragment" if urlsplit(response.headers["Location"]).fragment else "query"


def half(value: str) -> str:
    digest = hashlib.sha256(value.encode()).digest()[:16]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def request(server, response_type: str, mode: str):
    verifier, challenge = pkce_pair()
    params = {"client_id": "hybrid-app", "response_type": response_type, "redirect_uri": REDIRECT,
              "scope": "openid profile", "state": "s-1", "nonce": "n-1", "response_mode": mode,
              "code_challenge": challenge, "code_challenge_method": "S256"}
    return server.browser.authorize(**params), verifier


VALID = [(t, m) for t in TYPES for m in MODES
         if not (m == "query" and t not in ("code", "none"))]


@pytest.mark.parametrize(("response_type", "mode"), VALID,
                         ids=[f"{t.replace(' ', '+')}-{m}" for t, m in VALID])
def test_response_type_in_response_mode(server, response_type, mode):
    response, verifier = request(server, response_type, mode)
    params = response_params(response)
    assert where(response) == mode
    assert params["state"] == "s-1" and params["iss"] == server.issuer
    if mode == "fragment":  # RFC 6749 §4.2.2: every response parameter in the fragment
        assert urlsplit(response.headers["Location"]).query == ""
    types = set(response_type.split())
    assert ("code" in params) == ("code" in types)
    assert ("access_token" in params) == ("token" in types)
    assert ("id_token" in params) == ("id_token" in types)
    if "id_token" in params:
        claims = verify_jwt(server, params["id_token"])
        assert claims["nonce"] == "n-1" and claims["aud"] == "hybrid-app"
        if "access_token" in params:
            assert claims["at_hash"] == half(params["access_token"])
        if "code" in params:
            assert claims["c_hash"] == half(params["code"])
    if "access_token" in params:
        assert params["token_type"] == "Bearer"
        userinfo = server.get("/userinfo",
                              headers={"Authorization": f"Bearer {params['access_token']}"})
        assert userinfo.status_code == 200
    if "code" in params:
        token = server.post("/token", auth=("hybrid-app", SECRET), data={
            "grant_type": "authorization_code", "code": params["code"],
            "redirect_uri": REDIRECT, "code_verifier": verifier})
        assert token.status_code == 200
        assert verify_jwt(server, token.json()["id_token"])["nonce"] == "n-1"


TOKEN_TYPES = [t for t in TYPES if t not in ("code", "none")]


@pytest.mark.parametrize("response_type", TOKEN_TYPES,
                         ids=[t.replace(" ", "+") for t in TOKEN_TYPES])
def test_query_mode_is_refused_for_response_types_that_carry_tokens(server, response_type):
    response, _ = request(server, response_type, "query")
    params = response_params(response)
    assert where(response) == "fragment"
    assert params["error"] == "invalid_request" and params["state"] == "s-1"


@pytest.mark.parametrize("response_type", ["id_token", "id_token token", "code id_token"])
def test_nonce_is_required_when_an_id_token_comes_from_the_authorization_endpoint(
        server, response_type):
    params = {"client_id": "hybrid-app", "response_type": response_type,
              "redirect_uri": REDIRECT, "scope": "openid", "state": "s-2",
              "code_challenge": pkce_pair()[1], "code_challenge_method": "S256"}
    back = response_params(server.browser.authorize(**params))
    assert back["error"] == "invalid_request" and back["state"] == "s-2"


def test_none_response_type_returns_only_state_and_iss(server):
    response, _ = request(server, "none", "query")
    assert response_params(response) == {"state": "s-1", "iss": server.issuer}
