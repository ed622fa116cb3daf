"""RFC 6750 at the real userinfo endpoint (OIDC Core §5.3): the token in the header or the
form body, and the §3.1 errors with their WWW-Authenticate challenges."""

import pytest

from tests.flows import SPA_REDIRECT, Browser, redirect_params, spa_request

SECRET = "ui-secret"


@pytest.fixture(scope="module")
def tokens(tmp_path_factory):
    from tests.conftest import LiveServer

    server = LiveServer(tmp_path_factory.mktemp("bearer") / "data")
    params, verifier = spa_request(scope="openid email")
    code = redirect_params(Browser(server).sign_in_and_allow(**params))["code"]
    user_tokens = server.post("/token", data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": SPA_REDIRECT,
        "client_id": "demo-spa", "code_verifier": verifier}).json()
    server.store.save_client_secret("demo-machine", SECRET)
    machine = server.post("/token", data={"grant_type": "client_credentials"},
                          auth=("demo-machine", SECRET)).json()
    yield server, user_tokens, machine
    server.stop()


def test_token_in_the_authorization_header_works_with_get(tokens):
    server, user, _ = tokens
    response = server.get("/userinfo", headers={"Authorization": f"Bearer {user['access_token']}"})
    assert response.status_code == 200 and response.json()["email"] == "alice@example.com"


def test_token_in_the_form_body_works_with_post(tokens):
    server, user, _ = tokens
    response = server.post("/userinfo", data={"access_token": user["access_token"]})
    assert response.status_code == 200
    assert response.json()["sub"] == server.store.get_user("alice").sub


def test_no_token_is_401_with_a_bare_bearer_challenge(tokens):
    server, _, _ = tokens
    response = server.get("/userinfo")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="pocket-op"'


def test_unknown_token_is_401_invalid_token(tokens):
    server, _, _ = tokens
    response = server.get("/userinfo", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401 and response.json()["error"] == "invalid_token"
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_refresh_token_is_not_accepted_as_an_access_token(tokens):
    server, user, _ = tokens
    response = server.get("/userinfo",
                          headers={"Authorization": f"Bearer {user['refresh_token']}"})
    assert response.status_code == 401 and response.json()["error"] == "invalid_token"


def test_client_credentials_token_has_no_user_so_it_is_invalid_token(tokens):
    server, _, machine = tokens
    response = server.get("/userinfo",
                          headers={"Authorization": f"Bearer {machine['access_token']}"})
    assert response.status_code == 401 and response.json()["error"] == "invalid_token"


def test_token_without_openid_scope_is_403_insufficient_scope(tokens):
    server, _, _ = tokens
    params, verifier = spa_request(scope="profile")
    code = redirect_params(Browser(server).sign_in_and_allow(**params))["code"]
    plain = server.post("/token", data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": SPA_REDIRECT,
        "client_id": "demo-spa", "code_verifier": verifier}).json()
    response = server.get("/userinfo", headers={"Authorization": f"Bearer {plain['access_token']}"})
    assert response.status_code == 403 and response.json()["error"] == "insufficient_scope"
    assert 'error="insufficient_scope"' in response.headers["WWW-Authenticate"]


def test_token_in_both_header_and_body_is_400_invalid_request(tokens):
    server, user, _ = tokens
    response = server.post("/userinfo", data={"access_token": user["access_token"]},
                           headers={"Authorization": f"Bearer {user['access_token']}"})
    assert response.status_code == 400 and response.json()["error"] == "invalid_request"
