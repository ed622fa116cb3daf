"""The login and consent pages driven in Chromium: code + PKCE, implicit and hybrid (fragment
and form_post), the SSO session answering prompt=none without a page, and the error paths a
person sees. The client's redirect_uri is the loopback ``catcher`` (see conftest), not an RP."""

from __future__ import annotations

import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import expect

from tests.flows import pkce_pair
from tests.tokens import verify_jwt

HYBRID_SECRET = "browser-hybrid-secret"
PASSWORD_FORM = "form:has(input[name=password])"


# -- helpers ---------------------------------------------------------------------------------

def parse(raw: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(raw).items()}


def wait_for_redirect(page, redirect_uri: str) -> dict[str, str]:
    """Wait until the browser is at the redirect_uri; the response parameters it carries
    (fragment, else query)."""
    page.wait_for_url(lambda url: url.startswith(redirect_uri))
    parts = urlsplit(page.url)
    return parse(parts.fragment or parts.query)


def spa_params(redirect_uri: str, **overrides) -> tuple[dict[str, str], str]:
    verifier, challenge = pkce_pair()
    params = {"client_id": "demo-spa", "response_type": "code", "scope": "openid profile email",
              "redirect_uri": redirect_uri, "state": secrets.token_urlsafe(8),
              "nonce": secrets.token_urlsafe(8), "code_challenge": challenge,
              "code_challenge_method": "S256", **overrides}
    return params, verifier


def open_authorize(page, server, params: dict[str, str]):
    return page.goto(f"{server.url}/authorize?{urlencode(params)}")


def sign_in(page, username: str, password: str) -> None:
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click(f"{PASSWORD_FORM} button[type=submit]")


def decide(page, decision: str) -> None:
    page.click(f"button[name=decision][value={decision}]")


def redeem(server, code: str, verifier: str, redirect_uri: str) -> dict:
    response = server.post("/token", data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
        "client_id": "demo-spa", "code_verifier": verifier})
    assert response.status_code == 200, response.text
    return response.json()


def sign_in_to_spa(page, server, redirect_uri: str) -> tuple[dict, dict, str]:
    """Authorize demo-spa, sign in as alice and allow; the request, the redirect's
    parameters and the PKCE verifier."""
    params, verifier = spa_params(redirect_uri)
    open_authorize(page, server, params)
    sign_in(page, "alice", "alice")
    decide(page, "allow")
    return params, wait_for_redirect(page, redirect_uri), verifier


@pytest.fixture
def spa_redirect(catcher) -> str:
    return catcher.url + "/callback"  # demo-spa: http://127.0.0.1/callback, any port


@pytest.fixture
def hybrid(fresh_server, catcher):
    """A fresh server with an untrusted client allowed every response type, redirecting to
    the catcher."""
    server = fresh_server()
    server.redirect_uri = catcher.url + "/cb"
    server.store.create_client("browser-hybrid", {
        "client_name": "Browser hybrid app", "redirect_uris": [server.redirect_uri],
        "response_types": ["code", "id_token", "id_token token", "code id_token",
                           "code token", "code id_token token"],
        "grant_types": ["authorization_code", "implicit"],
        "token_endpoint_auth_method": "client_secret_basic", "scope": "openid profile email",
    }, secret=HYBRID_SECRET, trusted=False)
    return server


def authorize_hybrid(page, server, response_type: str, **overrides) -> None:
    open_authorize(page, server, {
        "client_id": "browser-hybrid", "response_type": response_type,
        "redirect_uri": server.redirect_uri, "scope": "openid profile", "state": "s-browser",
        "nonce": "n-browser", **overrides})
    sign_in(page, "alice", "alice")
    decide(page, "allow")


# -- code + PKCE -----------------------------------------------------------------------------

def test_code_flow_with_pkce_signs_in_consents_and_returns_code_state_and_iss(
        page, fresh_server, spa_redirect):
    server = fresh_server()
    params, back, verifier = sign_in_to_spa(page, server, spa_redirect)
    assert back["code"] and back["state"] == params["state"] and back["iss"] == server.issuer
    tokens = redeem(server, back["code"], verifier, spa_redirect)
    claims = verify_jwt(server, tokens["id_token"])
    assert claims["nonce"] == params["nonce"] and claims["aud"] == "demo-spa"
    assert claims["sub"] == server.store.get_user("alice").sub


# -- implicit and hybrid ---------------------------------------------------------------------

def test_implicit_id_token_token_arrives_in_the_fragment(page, hybrid):
    authorize_hybrid(page, hybrid, "id_token token")
    back = wait_for_redirect(page, hybrid.redirect_uri)
    assert "access_token" not in parse(urlsplit(page.url).query)
    assert back["access_token"] and back["token_type"] == "Bearer"
    assert back["state"] == "s-browser" and "code" not in back
    claims = verify_jwt(hybrid, back["id_token"])
    assert claims["nonce"] == "n-browser" and claims["aud"] == "browser-hybrid"
    assert "at_hash" in claims


def test_hybrid_code_id_token_arrives_in_the_fragment(page, hybrid):
    authorize_hybrid(page, hybrid, "code id_token")
    back = wait_for_redirect(page, hybrid.redirect_uri)
    assert "code" not in parse(urlsplit(page.url).query)
    assert back["code"] and back["state"] == "s-browser" and "access_token" not in back
    claims = verify_jwt(hybrid, back["id_token"])
    assert claims["nonce"] == "n-browser" and claims["aud"] == "browser-hybrid"
    assert "c_hash" in claims


def test_hybrid_code_id_token_token_is_posted_with_form_post(page, hybrid, catcher):
    authorize_hybrid(page, hybrid, "code id_token token", response_mode="form_post")
    wait_for_redirect(page, hybrid.redirect_uri)
    assert len(catcher.posted) == 1
    back = parse(catcher.posted[0])
    assert back["code"] and back["access_token"] and back["token_type"] == "Bearer"
    assert back["state"] == "s-browser" and back["iss"] == hybrid.issuer
    claims = verify_jwt(hybrid, back["id_token"])
    assert claims["nonce"] == "n-browser" and claims["aud"] == "browser-hybrid"
    assert "c_hash" in claims and "at_hash" in claims


# -- the SSO session -------------------------------------------------------------------------

def test_prompt_none_after_a_login_redirects_with_a_code_without_rendering_a_page(
        page, fresh_server, spa_redirect):
    server = fresh_server()
    sign_in_to_spa(page, server, spa_redirect)
    ours = []
    page.on("response", lambda r: ours.append(r.status) if r.url.startswith(server.url) else None)
    params, _ = spa_params(spa_redirect, prompt="none")
    open_authorize(page, server, params)
    back = wait_for_redirect(page, spa_redirect)
    assert back["code"] and back["state"] == params["state"]
    assert ours == [302]
    assert page.locator("input[name=password]").count() == 0


# -- what a person sees when things go wrong --------------------------------------------------

def test_deny_on_the_consent_page_redirects_with_access_denied(page, fresh_server, spa_redirect):
    server = fresh_server()
    params, _ = spa_params(spa_redirect)
    open_authorize(page, server, params)
    sign_in(page, "alice", "alice")
    decide(page, "deny")
    back = wait_for_redirect(page, spa_redirect)
    assert back["error"] == "access_denied" and back["state"] == params["state"]
    assert "code" not in back


def test_wrong_password_shows_the_login_page_again_with_an_error(page, live_server, spa_redirect):
    open_authorize(page, live_server, spa_params(spa_redirect)[0])
    sign_in(page, "alice", "not-alices-password")
    expect(page.get_by_role("alert")).to_have_text("Wrong username or password.")
    expect(page.locator("input[name=password]")).to_be_visible()
    assert page.url.startswith(live_server.url)


def test_persona_button_signs_bob_in(page, fresh_server, spa_redirect):
    server = fresh_server()
    params, verifier = spa_params(spa_redirect)
    open_authorize(page, server, params)
    page.click("button[name=persona][value=bob]")
    decide(page, "allow")
    back = wait_for_redirect(page, spa_redirect)
    claims = verify_jwt(server, redeem(server, back["code"], verifier, spa_redirect)["id_token"])
    assert claims["sub"] == server.store.get_user("bob").sub


def test_unknown_client_id_shows_the_error_page_naming_it(page, live_server, spa_redirect):
    response = open_authorize(page, live_server,
                              spa_params(spa_redirect, client_id="no-such-client")[0])
    assert response.status == 400
    assert page.url.startswith(live_server.url)
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator("dd", has_text="no-such-client")).to_be_visible()


# -- the pages render --------------------------------------------------------------------------

def test_login_page_renders_to_a_non_empty_screenshot(page, live_server, spa_redirect, tmp_path):
    open_authorize(page, live_server, spa_params(spa_redirect)[0])
    page.screenshot(path=tmp_path / "login.png", full_page=True)
    assert (tmp_path / "login.png").stat().st_size > 0


def test_consent_page_renders_to_a_non_empty_screenshot(page, live_server, spa_redirect,
                                                         tmp_path):
    open_authorize(page, live_server, spa_params(spa_redirect)[0])
    sign_in(page, "alice", "alice")
    expect(page.locator("button[name=decision][value=allow]")).to_be_visible()
    page.screenshot(path=tmp_path / "consent.png", full_page=True)
    assert (tmp_path / "consent.png").stat().st_size > 0
