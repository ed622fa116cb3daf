"""Per-client token options through the real server: the claims parameter (OIDC Core §5.5),
pairwise subjects (§8), id_token_hint, acr_values and max_age (§3.1.2.1), encrypted ID
tokens and signed or encrypted userinfo (§10), signing algs, lifetimes, require_pkce."""

import json
import time

import pytest
from jwcrypto import jwe as jc_jwe
from jwcrypto import jwk as jc_jwk

from tests.flows import Browser, pkce_pair, redirect_params
from tests.tokens import header_of, verify_jwt

REDIRECT = "http://127.0.0.1:7002/cb"
SECRET = "opt-secret"


def make_client(server, client_id: str, **metadata):
    base = {"redirect_uris": [REDIRECT], "response_types": ["code"],
            "grant_types": ["authorization_code", "refresh_token"],
            "token_endpoint_auth_method": "client_secret_basic",
            "scope": "openid profile email address phone"}
    server.store.create_client(client_id, {**base, **metadata}, secret=SECRET, trusted=True)


def tokens_for(server, client_id: str, browser=None, username="alice", **params):
    browser = browser or Browser(server)
    verifier, challenge = pkce_pair()
    request = {"client_id": client_id, "response_type": "code", "redirect_uri": REDIRECT,
               "scope": "openid", "nonce": "n", "state": "s", "code_challenge": challenge,
               "code_challenge_method": "S256", **params}
    back = redirect_params(browser.sign_in_and_allow(username, **request))
    response = server.post("/token", auth=(client_id, SECRET), data={
        "grant_type": "authorization_code", "code": back["code"], "redirect_uri": REDIRECT,
        "code_verifier": verifier})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def server(fresh_server):
    return fresh_server()


def test_claims_parameter_adds_requested_claims_to_id_token_and_userinfo(server):
    make_client(server, "c1")
    claims = {"id_token": {"email": {"essential": True}},
              "userinfo": {"phone_number": None, "address": None}}
    tokens = tokens_for(server, "c1", claims=json.dumps(claims))
    assert verify_jwt(server, tokens["id_token"])["email"] == "alice@example.com"
    info = server.get("/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert info.json()["phone_number"] == "+1 555 010 0001"
    assert info.json()["address"]["locality"] == "Springfield"
    assert "email" not in info.json()


def test_malformed_claims_parameter_is_invalid_request(server):
    make_client(server, "c1")
    params = {"client_id": "c1", "response_type": "code", "redirect_uri": REDIRECT,
              "scope": "openid", "state": "s", "claims": "{not json",
              "code_challenge": pkce_pair()[1], "code_challenge_method": "S256"}
    back = redirect_params(Browser(server).authorize(**params))
    assert back["error"] == "invalid_request" and back["state"] == "s"


def test_pairwise_clients_get_a_different_stable_sub_than_public_ones(server):
    make_client(server, "pub")
    make_client(server, "pw", subject_type="pairwise")
    browser = Browser(server)
    public_sub = verify_jwt(server, tokens_for(server, "pub", browser)["id_token"])["sub"]
    pairwise = tokens_for(server, "pw", browser)
    pairwise_sub = verify_jwt(server, pairwise["id_token"])["sub"]
    assert public_sub == server.store.get_user("alice").sub
    assert pairwise_sub != public_sub
    again = verify_jwt(server, tokens_for(server, "pw", browser)["id_token"])["sub"]
    assert again == pairwise_sub
    info = server.get("/userinfo", headers={"Authorization": f"Bearer {pairwise['access_token']}"})
    assert info.json()["sub"] == pairwise_sub


def test_id_token_hint_of_another_user_asks_for_login_again(server):
    make_client(server, "c1")
    alice_browser, bob_browser = Browser(server), Browser(server)
    tokens_for(server, "c1", alice_browser)
    bob_token = tokens_for(server, "c1", bob_browser, username="bob")["id_token"]
    params = {"client_id": "c1", "response_type": "code", "redirect_uri": REDIRECT,
              "scope": "openid", "state": "s", "prompt": "none", "id_token_hint": bob_token,
              "code_challenge": pkce_pair()[1], "code_challenge_method": "S256"}
    assert redirect_params(alice_browser.authorize(**params))["error"] == "login_required"


def test_garbage_id_token_hint_is_invalid_request(server):
    make_client(server, "c1")
    browser = Browser(server)
    tokens_for(server, "c1", browser)
    params = {"client_id": "c1", "response_type": "code", "redirect_uri": REDIRECT,
              "scope": "openid", "state": "s", "id_token_hint": "not.a.jwt",
              "code_challenge": pkce_pair()[1], "code_challenge_method": "S256"}
    assert redirect_params(browser.authorize(**params))["error"] == "invalid_request"


def test_acr_is_1_after_a_login_and_0_when_the_session_is_reused(server):
    make_client(server, "c1")
    browser = Browser(server)
    first = verify_jwt(server, tokens_for(server, "c1", browser)["id_token"])
    second = verify_jwt(server, tokens_for(server, "c1", browser)["id_token"])
    assert (first["acr"], second["acr"]) == ("1", "0")


def test_acr_values_above_the_sessions_level_force_a_fresh_login(server):
    make_client(server, "c1")
    browser = Browser(server)
    tokens_for(server, "c1", browser)
    page = browser.authorize(client_id="c1", response_type="code", redirect_uri=REDIRECT,
                             scope="openid", acr_values="urn:pocket-op:mfa",
                             code_challenge=pkce_pair()[1], code_challenge_method="S256")
    assert 'name="password"' in page.text


def test_default_max_age_of_the_client_forces_login_when_exceeded(server):
    make_client(server, "c1", default_max_age=1)
    browser = Browser(server)
    tokens_for(server, "c1", browser)
    time.sleep(2.1)
    page = browser.authorize(client_id="c1", response_type="code", redirect_uri=REDIRECT,
                             scope="openid", code_challenge=pkce_pair()[1],
                             code_challenge_method="S256")
    assert 'name="password"' in page.text


@pytest.mark.parametrize("alg", ["RS256", "PS256", "ES256", "EdDSA", "Ed25519"])
def test_id_token_is_signed_with_the_clients_registered_alg(server, alg):
    make_client(server, "c1", id_token_signed_response_alg=alg)
    token = tokens_for(server, "c1")["id_token"]
    assert header_of(token)["alg"] == alg
    assert verify_jwt(server, token, algs=[alg])["aud"] == "c1"


@pytest.mark.parametrize("alg", ["RSA-OAEP", "RSA-OAEP-256"])
def test_id_token_is_encrypted_to_the_clients_key_when_registered(server, alg):
    private = jc_jwk.JWK.generate(kty="RSA", size=2048, kid="client-enc", use="enc")
    make_client(server, "c1", jwks={"keys": [json.loads(private.export_public())]},
                id_token_encrypted_response_alg=alg,
                id_token_encrypted_response_enc="A256GCM")
    token = tokens_for(server, "c1")["id_token"]
    assert header_of(token)["alg"] == alg and header_of(token)["enc"] == "A256GCM"
    envelope = jc_jwe.JWE()
    envelope.deserialize(token, key=private)
    assert verify_jwt(server, envelope.payload.decode())["aud"] == "c1"


def test_id_token_is_encrypted_to_the_key_marked_for_encryption_not_one_without_use(server):
    """RFC 7517 §4.2: a JWKS holding a key without "use" (e.g. the client's signing key)
    before one with "use": "enc" gets the token encrypted to the latter."""
    unmarked = jc_jwk.JWK.generate(kty="RSA", size=2048, kid="client-any")
    private = jc_jwk.JWK.generate(kty="RSA", size=2048, kid="client-enc", use="enc")
    make_client(server, "c1", jwks={"keys": [json.loads(unmarked.export_public()),
                                             json.loads(private.export_public())]},
                id_token_encrypted_response_alg="RSA-OAEP")
    token = tokens_for(server, "c1")["id_token"]
    assert header_of(token)["kid"] == "client-enc"
    envelope = jc_jwe.JWE()
    envelope.deserialize(token, key=private)
    assert verify_jwt(server, envelope.payload.decode())["aud"] == "c1"


def test_id_token_is_encrypted_with_ecdh_es_to_an_ec_client_key(server):
    private = jc_jwk.JWK.generate(kty="EC", crv="P-256", kid="ec-enc", use="enc")
    make_client(server, "c1", jwks={"keys": [json.loads(private.export_public())]},
                id_token_encrypted_response_alg="ECDH-ES")
    token = tokens_for(server, "c1")["id_token"]
    assert header_of(token)["enc"] == "A128CBC-HS256"
    envelope = jc_jwe.JWE()
    envelope.deserialize(token, key=private)
    assert verify_jwt(server, envelope.payload.decode())["aud"] == "c1"


def test_userinfo_is_encrypted_json_when_only_encryption_is_registered(server):
    private = jc_jwk.JWK.generate(kty="RSA", size=2048, kid="ui-enc", use="enc")
    make_client(server, "c1", jwks={"keys": [json.loads(private.export_public())]},
                userinfo_encrypted_response_alg="RSA-OAEP-256")
    tokens = tokens_for(server, "c1", scope="openid email")
    info = server.get("/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    envelope = jc_jwe.JWE()
    envelope.deserialize(info.text, key=private)
    assert json.loads(envelope.payload)["email"] == "alice@example.com"


def test_prompt_none_for_a_client_that_always_wants_login_is_interaction_required(server):
    make_client(server, "c1")
    browser = Browser(server)
    tokens_for(server, "c1", browser)
    metadata = {**server.store.get_client("c1").metadata, "default_prompt_login": True}
    server.store.update_client("c1", metadata=metadata)
    params = {"client_id": "c1", "response_type": "code", "redirect_uri": REDIRECT,
              "scope": "openid", "state": "s", "prompt": "none",
              "code_challenge": pkce_pair()[1], "code_challenge_method": "S256"}
    assert redirect_params(browser.authorize(**params))["error"] == "interaction_required"


def test_userinfo_is_a_signed_jwt_when_the_client_registered_an_alg(server):
    make_client(server, "c1", userinfo_signed_response_alg="ES256")
    tokens = tokens_for(server, "c1", scope="openid email")
    info = server.get("/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert info.headers["Content-Type"] == "application/jwt"
    claims = verify_jwt(server, info.text, algs=["ES256"])
    assert claims["email"] == "alice@example.com"
    assert claims["iss"] == server.issuer and claims["aud"] == "c1"


def test_per_client_access_token_lifetime_overrides_the_server_default(server):
    make_client(server, "c1", access_token_lifetime=120)
    assert tokens_for(server, "c1")["expires_in"] == 120


def test_require_pkce_setting_applies_to_confidential_clients(fresh_server):
    server = fresh_server(require_pkce=True)
    params = {"client_id": "demo-web", "response_type": "code",
              "redirect_uri": "http://localhost:3000/callback", "scope": "openid", "state": "s"}
    back = redirect_params(Browser(server).authorize(**params))
    assert back["error"] == "invalid_request"


def test_confidential_client_may_skip_pkce_by_default(live_server):
    params = {"client_id": "demo-web", "response_type": "code", "prompt": "none",
              "redirect_uri": "http://localhost:3000/callback", "scope": "openid", "state": "s"}
    assert redirect_params(Browser(live_server).authorize(**params))["error"] == "login_required"
