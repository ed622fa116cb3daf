"""Server-side SSO sessions over HTTP: each records the user, the authentication, the user
agent and address and the clients that received tokens in it; a session unused for
``session_idle_lifetime`` or older than ``session_absolute_lifetime`` no longer signs in."""

from __future__ import annotations

import pytest

from tests.flows import Browser, redirect_params, spa_request
from tests.sessions import RP_ID, RP_REDIRECT, register_rp, sign_in
from tests.tokens import verify_jwt


def signed_in_sid(server, browser: Browser) -> str:
    tokens = sign_in(server, browser)
    return verify_jwt(server, tokens["id_token"])["sid"]


def age_session(server, sid: str, idle: float = 0, age: float = 0) -> None:
    """Move the session's last use ``idle`` and its creation ``age`` seconds back."""
    model = server.store.m.SsoSession
    row = model.get(model.sid == sid)
    (model.update(last_used_at=row.last_used_at - idle, created_at=row.created_at - age,
                  auth_time=row.auth_time - age)
     .where(model.sid == sid).execute())


def silent(browser: Browser) -> dict[str, str]:
    """prompt=none for the (trusted, so consent-free) RP."""
    return redirect_params(browser.authorize(
        client_id=RP_ID, response_type="code", scope="openid", redirect_uri=RP_REDIRECT,
        prompt="none"))


@pytest.fixture
def rp_server(fresh_server):
    def start(**settings):
        server = fresh_server(**settings)
        register_rp(server)
        return server

    return start


def test_the_session_records_the_user_agent_and_address(rp_server):
    server = rp_server()
    browser = Browser(server)
    browser.http.headers["User-Agent"] = "SessionTest/1.0"
    session = server.store.get_session(signed_in_sid(server, browser))
    assert (session.user_agent, session.ip) == ("SessionTest/1.0", "127.0.0.1")
    assert session.sub == server.store.get_user("alice").sub
    assert session.amr == ["pwd"]


def test_the_session_records_each_client_that_received_tokens(rp_server):
    server = rp_server()
    browser = Browser(server)
    sid = signed_in_sid(server, browser)
    browser.sign_in_and_allow(**spa_request()[0])
    assert server.store.find_session_clients(sid) == ["logout-rp", "demo-spa"]


def test_a_client_signing_in_again_is_recorded_once(rp_server):
    server = rp_server()
    browser = Browser(server)
    sid = signed_in_sid(server, browser)
    sign_in(server, browser)
    assert server.store.find_session_clients(sid) == ["logout-rp"]


def test_each_login_gets_a_new_sid(rp_server):
    server = rp_server()
    browser = Browser(server)
    first = signed_in_sid(server, browser)
    browser.sign_in_and_allow(**spa_request(prompt="login")[0])
    second = signed_in_sid(server, browser)
    assert first != second
    assert server.store.get_session(first).ended_at is not None


def test_a_session_within_both_lifetimes_signs_in_silently(rp_server):
    server = rp_server(session_idle_lifetime=600, session_absolute_lifetime=3600)
    browser = Browser(server)
    age_session(server, signed_in_sid(server, browser), idle=500, age=3000)
    assert "code" in silent(browser)


def test_a_session_idle_past_session_idle_lifetime_no_longer_signs_in(rp_server):
    server = rp_server(session_idle_lifetime=600)
    browser = Browser(server)
    age_session(server, signed_in_sid(server, browser), idle=601)
    assert silent(browser)["error"] == "login_required"


def test_a_session_older_than_session_absolute_lifetime_no_longer_signs_in(rp_server):
    server = rp_server(session_idle_lifetime=600, session_absolute_lifetime=3600)
    browser = Browser(server)
    age_session(server, signed_in_sid(server, browser), age=3601)
    assert silent(browser)["error"] == "login_required"


def test_using_a_session_keeps_it_from_idling_out(rp_server):
    server = rp_server(session_idle_lifetime=600)
    browser = Browser(server)
    sid = signed_in_sid(server, browser)
    age_session(server, sid, idle=500)
    assert "code" in silent(browser)
    age_session(server, sid, idle=200)
    assert "code" in silent(browser)


def test_an_expired_session_shows_the_login_page(rp_server):
    server = rp_server(session_idle_lifetime=600)
    browser = Browser(server)
    age_session(server, signed_in_sid(server, browser), idle=601)
    page = browser.authorize(**spa_request()[0])
    assert 'name="password"' in page.text


def test_the_lifetime_defaults_are_a_day_idle_and_thirty_days_in_all(live_server):
    settings = live_server.app.settings
    assert (settings.session_idle_lifetime, settings.session_absolute_lifetime) == (
        86400, 86400 * 30)
