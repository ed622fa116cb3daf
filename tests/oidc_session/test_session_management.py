"""OpenID Connect Session Management 1.0 over HTTP: session_state in every successful
authentication response, computed from the OP browser-state cookie (readable by the
check_session_iframe's script, SameSite=Lax), which changes on every login and logout.
The iframe's postMessage protocol itself runs in Chromium: tests/browser/test_logout.py."""

from __future__ import annotations

import hashlib
from http.cookies import SimpleCookie

from tests.flows import SPA_REDIRECT, Browser, redirect_params, spa_request
from tests.sessions import RP_REDIRECT, end_session, register_rp, sign_in

BROWSER_STATE = "pocket_op_browser_state"


def expected_session_state(client_id: str, origin: str, browser_state: str, salt: str) -> str:
    """Session Management §4.2's example computation."""
    text = f"{client_id} {origin} {browser_state} {salt}"
    return hashlib.sha256(text.encode()).hexdigest() + "." + salt


def set_cookie(response, name: str) -> str:
    """The Set-Cookie header of ``response`` for cookie ``name``."""
    for header in response.raw.headers.getlist("Set-Cookie"):
        if header.startswith(name + "="):
            return header
    raise AssertionError(f"no Set-Cookie for {name}")


def test_check_session_iframe_is_advertised(live_server):
    document = live_server.get("/.well-known/openid-configuration").json()
    assert document["check_session_iframe"] == live_server.issuer + "/check_session"


def test_check_session_iframe_is_an_html_page_that_may_be_framed(live_server):
    response = live_server.get("/check_session")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert "X-Frame-Options" not in response.headers
    assert "addEventListener(\"message\"" in response.text


def test_the_authentication_response_carries_session_state(fresh_server):
    server = fresh_server()
    browser = Browser(server)
    back = redirect_params(browser.sign_in_and_allow(**spa_request()[0]))
    digest, salt = back["session_state"].split(".")
    assert len(digest) == 64 and salt and " " not in back["session_state"]


def test_session_state_is_computed_from_client_origin_browser_state_and_salt(fresh_server):
    server = fresh_server()
    browser = Browser(server)
    back = redirect_params(browser.sign_in_and_allow(**spa_request()[0]))
    salt = back["session_state"].split(".")[1]
    state = browser.http.cookies[BROWSER_STATE]
    origin = "http://127.0.0.1:8765"  # SPA_REDIRECT's origin
    assert SPA_REDIRECT.startswith(origin + "/")
    assert back["session_state"] == expected_session_state("demo-spa", origin, state, salt)


def test_the_origin_in_session_state_leaves_out_a_default_port(fresh_server):
    server = fresh_server()
    register_rp(server, redirect_uris=["http://localhost:80/cb"])
    browser = Browser(server)
    back = redirect_params(browser.sign_in_and_allow(
        client_id="logout-rp", response_type="code", scope="openid",
        redirect_uri="http://localhost:80/cb", state="s"))
    salt = back["session_state"].split(".")[1]
    state = browser.http.cookies[BROWSER_STATE]
    assert back["session_state"] == expected_session_state(
        "logout-rp", "http://localhost", state, salt)


def test_session_state_is_in_implicit_responses_too(fresh_server):
    server = fresh_server()
    register_rp(server, response_types=["id_token"], grant_types=["implicit"])
    back = redirect_params(Browser(server).sign_in_and_allow(
        client_id="logout-rp", response_type="id_token", scope="openid",
        redirect_uri=RP_REDIRECT, state="s", nonce="n"))
    assert back["id_token"] and back["session_state"]


def test_a_response_without_the_openid_scope_has_no_session_state(fresh_server):
    server = fresh_server()
    back = redirect_params(Browser(server).sign_in_and_allow(**spa_request(scope="profile")[0]))
    assert back["code"] and "session_state" not in back


def test_an_error_response_has_no_session_state(fresh_server):
    server = fresh_server()
    back = redirect_params(Browser(server).authorize(**spa_request(prompt="none")[0]))
    assert back["error"] == "login_required" and "session_state" not in back


def test_each_response_gets_a_fresh_salt(fresh_server):
    server = fresh_server()
    browser = Browser(server)
    first = redirect_params(browser.sign_in_and_allow(**spa_request()[0]))
    second = redirect_params(browser.authorize(**spa_request()[0]))
    assert first["session_state"] != second["session_state"]


def test_the_browser_state_cookie_is_readable_by_script_and_same_site_lax(fresh_server):
    server = fresh_server()
    browser = Browser(server)
    page = browser.authorize(**spa_request()[0])
    response = browser.login(page, "alice", "alice")
    header = set_cookie(response, BROWSER_STATE)
    assert "HttpOnly" not in header
    assert "SameSite=Lax" in header
    assert "Path=/" in header


def test_the_browser_state_cookie_expires_with_the_session(fresh_server):
    server = fresh_server(session_idle_lifetime=600)
    browser = Browser(server)
    page = browser.authorize(**spa_request()[0])
    page = browser.login(page, "alice", "alice")
    response = browser.consent(page)
    cookie = SimpleCookie(set_cookie(response, BROWSER_STATE))
    assert cookie[BROWSER_STATE]["max-age"] == "600"


def test_the_browser_state_changes_at_each_login(fresh_server):
    server = fresh_server()
    browser = Browser(server)
    browser.sign_in_and_allow(**spa_request()[0])
    first = browser.http.cookies[BROWSER_STATE]
    browser.sign_in_and_allow(**spa_request(prompt="login")[0])
    assert browser.http.cookies[BROWSER_STATE] != first


def test_the_browser_state_changes_at_logout(fresh_server):
    server = fresh_server()
    register_rp(server)
    browser = Browser(server)
    tokens = sign_in(server, browser)
    before = browser.http.cookies[BROWSER_STATE]
    end_session(browser, id_token_hint=tokens["id_token"])
    assert browser.http.cookies[BROWSER_STATE] != before


def test_the_browser_state_is_kept_while_a_logout_awaits_confirmation(fresh_server):
    server = fresh_server()
    register_rp(server)
    browser = Browser(server)
    sign_in(server, browser)
    before = browser.http.cookies[BROWSER_STATE]
    page = end_session(browser, client_id="logout-rp")
    assert 'name="logout" value="yes"' in page.text
    assert browser.http.cookies[BROWSER_STATE] == before
