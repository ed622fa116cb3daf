"""OpenID Connect Core §3.1: the authorization code flow through the real login and consent
pages, with PKCE, ID tokens checked by jwcrypto, userinfo and the SSO session."""

import time

import pytest
import requests

from tests.flows import SPA_REDIRECT, Browser, redirect_params, spa_request
from tests.tokens import header_of, verify_jwt


def redeem(server, code: str, verifier: str, redirect_uri: str = SPA_REDIRECT) -> requests.Response:
    return server.post("/token", data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
        "client_id": "demo-spa", "code_verifier": verifier})


@pytest.fixture
def signed_in(fresh_server):
    """A fresh server, a browser signed in as alice, and the first token response."""
    server = fresh_server()
    browser = Browser(server)
    params, verifier = spa_request()
    params_back = redirect_params(browser.sign_in_and_allow(**params))
    tokens = redeem(server, params_back["code"], verifier).json()
    return server, browser, params, tokens


def test_login_page_is_a_form_with_username_password_and_one_submit_button(live_server):
    page = Browser(live_server).authorize(**spa_request()[0])
    assert page.status_code == 200
    main_form = page.text.split("</form>")[0]
    assert 'name="username"' in main_form and 'name="password"' in main_form
    assert main_form.count('type="submit"') == 1


def test_consent_page_has_allow_and_deny_buttons(fresh_server):
    browser = Browser(fresh_server())
    page = browser.login(browser.authorize(**spa_request()[0]), "alice", "alice")
    assert '<button type="submit" name="decision" value="allow">' in page.text
    assert 'name="decision" value="deny"' in page.text


def test_code_is_returned_with_state_and_iss_in_the_query(fresh_server):
    server = fresh_server()
    params, _ = spa_request()
    back = redirect_params(Browser(server).sign_in_and_allow(**params))
    assert back["state"] == params["state"]
    assert back["iss"] == server.issuer
    assert back["code"]


def test_token_response_has_bearer_access_refresh_and_id_token(signed_in):
    _, _, _, tokens = signed_in
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == 3600
    assert tokens["scope"] == "openid profile email"
    assert tokens["access_token"] and tokens["refresh_token"] and tokens["id_token"]


def test_id_token_verifies_with_jwcrypto_and_carries_the_oidc_claims(signed_in):
    server, _, params, tokens = signed_in
    claims = verify_jwt(server, tokens["id_token"])
    assert header_of(tokens["id_token"])["alg"] == "RS256"
    assert claims["iss"] == server.issuer
    assert claims["aud"] == "demo-spa" and claims["azp"] == "demo-spa"
    assert claims["nonce"] == params["nonce"]
    assert claims["sub"] == server.store.get_user("alice").sub
    [session] = server.store.find_sessions()
    assert claims["amr"] == ["pwd"] and claims["sid"] == session.sid
    assert claims["iat"] <= time.time() < claims["exp"] == claims["iat"] + 3600
    assert claims["auth_time"] == int(session.auth_time)
    assert claims["email"] == "alice@example.com"


def test_at_hash_is_the_left_half_of_the_access_token_sha256(signed_in):
    import base64
    import hashlib

    server, _, _, tokens = signed_in
    digest = hashlib.sha256(tokens["access_token"].encode()).digest()[:16]
    expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    assert verify_jwt(server, tokens["id_token"])["at_hash"] == expected


def test_userinfo_returns_the_claims_of_the_granted_scopes(signed_in):
    server, _, _, tokens = signed_in
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    response = server.get("/userinfo", headers=bearer)
    assert response.status_code == 200
    claims = response.json()
    assert claims["sub"] == server.store.get_user("alice").sub
    assert claims["name"] == "Alice Adams" and claims["email_verified"] is True
    assert "address" not in claims and "phone_number" not in claims


def test_second_request_with_prompt_none_succeeds_from_the_sso_session(signed_in):
    server, browser, _, _ = signed_in
    params, _ = spa_request(prompt="none")
    back = redirect_params(browser.authorize(**params))
    assert "code" in back and back["state"] == params["state"]


def test_prompt_none_without_a_session_redirects_login_required(live_server):
    params, _ = spa_request(prompt="none")
    back = redirect_params(Browser(live_server).authorize(**params))
    assert back["error"] == "login_required"
    assert back["state"] == params["state"] and back["iss"] == live_server.issuer


def test_prompt_none_without_consent_redirects_consent_required(fresh_server):
    server = fresh_server()
    browser = Browser(server)
    browser.login(browser.authorize(**spa_request()[0]), "alice", "alice")  # stop at consent
    back = redirect_params(browser.authorize(**spa_request(prompt="none")[0]))
    assert back["error"] == "consent_required"


def test_remembered_consent_skips_the_consent_page(signed_in):
    _, browser, _, _ = signed_in
    response = browser.authorize(**spa_request()[0])
    assert "code" in redirect_params(response)


def test_prompt_login_shows_the_login_page_despite_the_session(signed_in):
    _, browser, _, _ = signed_in
    page = browser.authorize(**spa_request(prompt="login")[0])
    assert page.status_code == 200 and 'name="password"' in page.text


def test_prompt_consent_shows_the_consent_page_despite_remembered_consent(signed_in):
    _, browser, _, _ = signed_in
    page = browser.authorize(**spa_request(prompt="consent")[0])
    assert 'name="decision"' in page.text


def test_max_age_zero_asks_for_login_again(signed_in):
    _, browser, _, _ = signed_in
    page = browser.authorize(**spa_request(max_age="0")[0])
    assert 'name="password"' in page.text


def test_denying_consent_redirects_access_denied(fresh_server):
    browser = Browser(fresh_server())
    params, _ = spa_request()
    page = browser.login(browser.authorize(**params), "alice", "alice")
    back = redirect_params(browser.consent(page, "deny"))
    assert back["error"] == "access_denied" and back["state"] == params["state"]


def test_wrong_password_shows_the_login_page_again_with_a_message(live_server):
    browser = Browser(live_server)
    page = browser.login(browser.authorize(**spa_request()[0]), "alice", "wrong")
    assert page.status_code == 401
    assert "Wrong username or password." in page.text
    assert 'name="username" value="alice"' in page.text


def test_login_gives_an_httponly_samesite_lax_session_cookie(fresh_server):
    browser = Browser(fresh_server())
    page = browser.login(browser.authorize(**spa_request()[0]), "alice", "alice")
    cookies = [c for c in page.raw.headers.getlist("Set-Cookie")
               if c.startswith("pocket_op_session=")]
    assert len(cookies) == 1, page.raw.headers.getlist("Set-Cookie")
    assert "HttpOnly" in cookies[0] and "SameSite=Lax" in cookies[0]


def test_each_login_starts_a_new_session_id(fresh_server):
    server = fresh_server()
    browser = Browser(server)
    redirect_params(browser.sign_in_and_allow(**spa_request()[0]))
    first = browser.http.cookies["pocket_op_session"]
    page = browser.authorize(**spa_request(prompt="login")[0])
    browser.login(page, "alice", "alice")
    assert browser.http.cookies["pocket_op_session"] != first
    assert len(server.store.find_sessions()) == 1


def test_form_post_response_mode_renders_an_auto_submitting_form(fresh_server):
    server = fresh_server()
    params, _ = spa_request(response_mode="form_post")
    response = Browser(server).sign_in_and_allow(**params)
    assert response.status_code == 200
    assert f'action="{SPA_REDIRECT}"' in response.text
    assert 'name="code"' in response.text and f'value="{params["state"]}"' in response.text
    assert 'name="iss"' in response.text


def test_fragment_response_mode_puts_the_code_in_the_fragment(fresh_server):
    params, _ = spa_request(response_mode="fragment")
    response = Browser(fresh_server()).sign_in_and_allow(**params)
    assert "#code=" in response.headers["Location"]


def test_persona_button_signs_in_the_demo_user(fresh_server):
    from tests.flows import form_action

    server = fresh_server()
    browser = Browser(server)
    page = browser.authorize(**spa_request()[0])
    consent = browser.post(form_action(page.text, 'name="persona"'), {"persona": "bob"})
    assert 'name="decision"' in consent.text and "bob" in consent.text


def test_login_works_when_the_issuer_has_a_path(fresh_server):
    """The interaction cookie lives below the issuer's path, where the forms post."""
    server = fresh_server(issuer="http://localhost:1/realms/dev")
    browser = Browser(server)
    params, _ = spa_request()
    page = browser.get("/realms/dev/authorize", **params)
    assert 'name="password"' in page.text
    consent = browser.login(page, "alice", "alice")
    assert 'name="decision"' in consent.text
