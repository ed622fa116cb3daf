"""OIDC Core §10.2: a client that registered encrypted ID tokens or userinfo but whose key
cannot be had (its ``jwks_uri`` does not answer) gets ``invalid_client_metadata`` naming the
problem, as node-oidc-provider answers, never a server error. Found by tests/fuzz."""

import pytest

from tests.flows import Browser, pkce_pair, redirect_params

REDIRECT = "http://127.0.0.1:7003/cb"
SECRET = "enc-secret"
UNREACHABLE = "http://127.0.0.1:9/jwks"  # the discard port: nothing listens


def make_client(server, client_id: str, **metadata):
    server.store.create_client(client_id, {
        "redirect_uris": [REDIRECT], "response_types": ["code", "id_token"],
        "grant_types": ["authorization_code", "implicit"], "jwks_uri": UNREACHABLE,
        "token_endpoint_auth_method": "client_secret_basic", "scope": "openid email",
        **metadata}, secret=SECRET, trusted=True)


def authorize(server, client_id: str, **params):
    _, challenge = pkce_pair()
    return Browser(server).sign_in_and_allow(
        client_id=client_id, redirect_uri=REDIRECT, scope="openid email", nonce="n",
        state="s", code_challenge=challenge, code_challenge_method="S256", **params)


def redeem(server, client_id: str):
    verifier, challenge = pkce_pair()
    back = redirect_params(Browser(server).sign_in_and_allow(
        client_id=client_id, redirect_uri=REDIRECT, scope="openid email", nonce="n",
        state="s", response_type="code", code_challenge=challenge,
        code_challenge_method="S256"))
    return server.post("/token", auth=(client_id, SECRET), data={
        "grant_type": "authorization_code", "code": back["code"], "redirect_uri": REDIRECT,
        "code_verifier": verifier})


@pytest.fixture
def server(fresh_server):
    return fresh_server()


def test_token_request_of_a_client_whose_encryption_key_cannot_be_fetched_is_refused(server):
    make_client(server, "c1", id_token_encrypted_response_alg="RSA-OAEP")
    response = redeem(server, "c1")
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_client_metadata",
                               "error_description": "The client's 'jwks_uri' cannot be fetched."}


def test_userinfo_of_a_client_whose_encryption_key_cannot_be_fetched_is_refused(server):
    make_client(server, "c1", userinfo_encrypted_response_alg="RSA-OAEP-256")
    token = redeem(server, "c1").json()["access_token"]
    response = server.get("/userinfo", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 400 and response.json()["error"] == "invalid_client_metadata"


def test_implicit_id_token_without_a_usable_key_is_an_error_redirected_to_the_client(server):
    make_client(server, "c1", id_token_encrypted_response_alg="RSA-OAEP")
    back = redirect_params(authorize(server, "c1", response_type="id_token"))
    assert back["error"] == "invalid_client_metadata" and "id_token" not in back
