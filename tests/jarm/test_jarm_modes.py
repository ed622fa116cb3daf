"""JWT Secured Authorization Response Mode (JARM) through the real authorization endpoint:
every mode delivers one ``response`` JWT that verifies with jwcrypto against /jwks and
carries iss, aud, exp and the response parameters; signed with the client's alg, encrypted
to its key when registered; errors travel the same way."""

import json
import re
import time
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from jwcrypto import jwe as jc_jwe

from tests.flows import Browser
from tests.request_objects import ENC_KEYS, public_jwks
from tests.tokens import header_of, jwks_of, verify_jwt

REDIRECT = "http://127.0.0.1:7301/cb"
SECRET = "jarm-client-secret-0123456789abcdef"
SIGNING_ALGS = ["RS256", "PS256", "ES256", "EdDSA", "Ed25519"]
ENCRYPTIONS = [("RSA-OAEP", "A128CBC-HS256"), ("RSA-OAEP-256", "A256GCM"),
               ("ECDH-ES", "A128GCM"), ("RSA-OAEP", "A256CBC-HS512")]


def add_client(server, client_id: str, **metadata) -> None:
    server.store.create_client(client_id, {
        "redirect_uris": [REDIRECT], "grant_types": ["authorization_code", "implicit"],
        "response_types": ["code", "code id_token", "id_token"],
        "token_endpoint_auth_method": "client_secret_basic", "scope": "openid profile",
        "jwks": public_jwks(), **metadata,
    }, secret=SECRET, trusted=True)


def enc_client_id(alg: str, enc: str) -> str:
    return f"jarm-{alg}-{enc}".lower()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from tests.conftest import LiveServer

    server = LiveServer(tmp_path_factory.mktemp("jarm") / "data")
    add_client(server, "jarm-app")
    for alg in SIGNING_ALGS:
        add_client(server, f"jarm-{alg.lower()}", authorization_signed_response_alg=alg)
    for alg, enc in ENCRYPTIONS:
        add_client(server, enc_client_id(alg, enc), authorization_encrypted_response_alg=alg,
                   authorization_encrypted_response_enc=enc)
    browser = Browser(server)
    browser.login(browser.authorize(client_id="jarm-app", response_type="code",
                                    redirect_uri=REDIRECT, scope="openid"), "alice", "alice")
    server.browser = browser
    yield server
    server.stop()


def authorize(browser, client_id: str = "jarm-app", **params):
    return browser.authorize(**{"client_id": client_id, "response_type": "code",
                                "redirect_uri": REDIRECT, "scope": "openid", "state": "jarm-st",
                                "nonce": "jarm-n", **params})


def delivered(response) -> tuple[str, dict[str, str]]:
    """Where the response went (query, fragment or form_post) and its parameters."""
    if response.status_code == 200:
        fields = re.findall(r'name="([^"]+)" value="([^"]*)"', response.text)
        return "form_post", {name: unescape(value) for name, value in fields}
    assert response.status_code == 302, response.text[:300]
    parts = urlsplit(response.headers["Location"])
    assert parts.geturl().startswith(REDIRECT)
    where = "fragment" if parts.fragment else "query"
    return where, {k: v[0] for k, v in parse_qs(parts.fragment or parts.query).items()}


def response_claims(server, response, client_id: str = "jarm-app") -> tuple[str, dict]:
    where, params = delivered(response)
    assert set(params) == {"response"}, params
    claims = verify_jwt(server, params["response"], algs=SIGNING_ALGS)
    assert claims["iss"] == server.issuer and claims["aud"] == client_id
    assert time.time() < claims["exp"] <= time.time() + 600 + 5
    return where, claims


MODES = [("jwt", "query"), ("query.jwt", "query"), ("fragment.jwt", "fragment"),
         ("form_post.jwt", "form_post")]


@pytest.mark.parametrize(("mode", "where"), MODES, ids=[mode for mode, _ in MODES])
def test_each_jarm_mode_delivers_a_response_jwt_with_iss_aud_exp_and_the_code(
        server, mode, where):
    delivered_in, claims = response_claims(server, authorize(server.browser, response_mode=mode))
    assert delivered_in == where
    assert claims["state"] == "jarm-st" and claims["code"]
    token = server.post("/token", auth=("jarm-app", SECRET), data={
        "grant_type": "authorization_code", "code": claims["code"], "redirect_uri": REDIRECT})
    assert token.status_code == 200, token.text


def test_jwt_mode_for_a_response_type_with_tokens_is_fragment_jwt(server):
    where, claims = response_claims(server, authorize(
        server.browser, response_type="code id_token", response_mode="jwt"))
    assert where == "fragment"
    assert claims["code"] and verify_jwt(server, claims["id_token"])["nonce"] == "jarm-n"


def test_query_jwt_with_a_response_type_with_tokens_is_refused_unless_encrypted(server):
    where, claims = response_claims(server, authorize(
        server.browser, response_type="id_token", response_mode="query.jwt"))
    assert where == "query" and claims["error"] == "invalid_request"
    assert "id_token" not in claims
    client_id = enc_client_id("RSA-OAEP", "A128CBC-HS256")
    where, params = delivered(authorize(server.browser, client_id, response_type="id_token",
                                        response_mode="query.jwt"))
    assert where == "query" and "id_token" in decrypted_claims(server, params["response"],
                                                              client_id)


def test_errors_after_the_redirect_uri_is_verified_travel_inside_the_response_jwt(server):
    response = authorize(Browser(server), response_mode="query.jwt", prompt="none")
    where, claims = response_claims(server, response)
    assert where == "query"
    assert claims["error"] == "login_required" and claims["state"] == "jarm-st"
    assert "code" not in claims


def test_errors_before_the_redirect_uri_is_verified_are_an_error_page(server):
    page = authorize(Browser(server), response_mode="jwt", redirect_uri="http://evil.example/")
    assert page.status_code == 400 and "Location" not in page.headers


@pytest.mark.parametrize("alg", SIGNING_ALGS)
def test_response_jwt_is_signed_with_the_clients_registered_alg(server, alg):
    client_id = f"jarm-{alg.lower()}"
    response = authorize(server.browser, client_id, response_mode="query.jwt")
    _, claims = response_claims(server, response, client_id)
    assert header_of(delivered(response)[1]["response"])["alg"] == alg and claims["code"]


def decrypted_claims(server, token: str, client_id: str) -> dict:
    header = header_of(token)
    key = ENC_KEYS["EC" if header["alg"].startswith("ECDH") else "RSA"]
    message = jc_jwe.JWE()
    message.deserialize(token, key=key)
    inner = message.payload.decode()
    claims = verify_jwt(server, inner, algs=SIGNING_ALGS)
    assert claims["iss"] == server.issuer and claims["aud"] == client_id
    return claims


@pytest.mark.parametrize(("alg", "enc"), ENCRYPTIONS, ids=[f"{a}-{e}" for a, e in ENCRYPTIONS])
def test_encrypted_response_jwt_decrypts_with_the_clients_key(server, alg, enc):
    client_id = enc_client_id(alg, enc)
    where, params = delivered(authorize(server.browser, client_id, response_mode="jwt"))
    header = header_of(params["response"])
    assert where == "query" and (header["alg"], header["enc"]) == (alg, enc)
    assert header["cty"] == "JWT"
    claims = decrypted_claims(server, params["response"], client_id)
    assert claims["state"] == "jarm-st" and claims["code"]


def test_discovery_advertises_the_jarm_modes_and_algs(server):
    document = server.get("/.well-known/openid-configuration").json()
    assert {"jwt", "query.jwt", "fragment.jwt", "form_post.jwt"} <= set(
        document["response_modes_supported"])
    assert document["authorization_signing_alg_values_supported"] == SIGNING_ALGS
    assert document["authorization_encryption_alg_values_supported"] == [
        "RSA-OAEP", "RSA-OAEP-256", "ECDH-ES"]
    assert set(document["authorization_encryption_enc_values_supported"]) == {
        enc for _, enc in ENCRYPTIONS}


def test_response_jwt_verifies_against_the_published_keys_only(server):
    _, params = delivered(authorize(server.browser, response_mode="query.jwt"))
    kid = header_of(params["response"])["kid"]
    assert kid in {json.loads(key.export_public())["kid"] for key in jwks_of(server)}


def test_response_jwt_is_delivered_after_the_login_page(server):
    browser = Browser(server)
    page = authorize(browser, response_mode="form_post.jwt")
    assert 'name="password"' in page.text
    where, claims = response_claims(server, browser.login(page, "bob", "bob"))
    assert where == "form_post" and claims["state"] == "jarm-st" and claims["code"]
