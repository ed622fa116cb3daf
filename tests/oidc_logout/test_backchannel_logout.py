"""OpenID Connect Back-Channel Logout 1.0 over HTTP: when a session ends, each of its clients
with a backchannel_logout_uri receives a signed logout_token (verified here with jwcrypto
against /jwks), from a background thread, with a bounded retry; the outcome is the audit
event ``logout.backchannel``. Ending a session from the app (the admin screens) does the
same."""

from __future__ import annotations

import time

import pytest

from app.oauth.sessions.logout import end_sso_session
from app.store import NotFound
from tests.flows import Browser
from tests.sessions import (
    RP_ID,
    end_session,
    register_rp,
    sign_in,
    wait_for_events,
)
from tests.tokens import header_of, verify_jwt

LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout"


@pytest.fixture
def rp(fresh_server, rp_listener):
    """A fresh server, the RP with its back-channel logout URI on the listener (sid
    required), alice signed in to it, her tokens and the ID token's claims."""
    server = fresh_server()
    register_rp(server, backchannel_logout_uri=rp_listener.url,
                backchannel_logout_session_required=True)
    browser = Browser(server)
    tokens = sign_in(server, browser)
    return server, browser, tokens, verify_jwt(server, tokens["id_token"])


def log_out(server, browser, tokens) -> dict:
    """RP-initiated logout, then the back-channel outcome once recorded."""
    end_session(browser, id_token_hint=tokens["id_token"])
    [outcome] = wait_for_events(server, "logout.backchannel")
    return outcome


def test_back_channel_logout_is_advertised_with_session_support(live_server):
    document = live_server.get("/.well-known/openid-configuration").json()
    assert document["backchannel_logout_supported"] is True
    assert document["backchannel_logout_session_supported"] is True


def test_logout_posts_a_form_encoded_logout_token_to_the_client(rp, rp_listener):
    server, browser, tokens, _ = rp
    log_out(server, browser, tokens)
    [received] = rp_listener.received
    assert received.path == "/backchannel"
    assert received.content_type == "application/x-www-form-urlencoded"
    assert list(received.form) == ["logout_token"]


def test_the_logout_token_verifies_against_the_jwks_and_names_the_session(rp, rp_listener):
    server, browser, tokens, id_claims = rp
    log_out(server, browser, tokens)
    [token] = rp_listener.logout_tokens()
    claims = verify_jwt(server, token)
    assert claims["iss"] == server.issuer
    assert claims["aud"] == RP_ID
    assert claims["sid"] == id_claims["sid"]
    assert claims["sub"] == id_claims["sub"]
    assert claims["events"] == {LOGOUT_EVENT: {}}


def test_the_logout_token_is_typed_logout_jwt_and_lives_two_minutes(rp, rp_listener):
    server, browser, tokens, _ = rp
    log_out(server, browser, tokens)
    [token] = rp_listener.logout_tokens()
    claims = verify_jwt(server, token)
    assert header_of(token)["typ"] == "logout+jwt"
    assert claims["exp"] - claims["iat"] == 120
    assert abs(claims["iat"] - time.time()) < 30
    assert claims["jti"]


def test_the_logout_token_has_no_nonce(rp, rp_listener):
    server, browser, tokens, id_claims = rp
    assert id_claims["nonce"] == "n"
    log_out(server, browser, tokens)
    assert "nonce" not in verify_jwt(server, rp_listener.logout_tokens()[0])


def test_without_session_required_the_logout_token_carries_sub_and_no_sid(
        fresh_server, rp_listener):
    server = fresh_server()
    register_rp(server, backchannel_logout_uri=rp_listener.url)
    browser = Browser(server)
    tokens = sign_in(server, browser)
    log_out(server, browser, tokens)
    claims = verify_jwt(server, rp_listener.logout_tokens()[0])
    assert claims["sub"] == verify_jwt(server, tokens["id_token"])["sub"]
    assert "sid" not in claims


def test_a_pairwise_client_gets_its_pairwise_sub_in_the_logout_token(fresh_server, rp_listener):
    """§2.4: sub is "the Subject Identifier ... as in the ID Token" the client received:
    for a pairwise client (OIDC Core §8), the pairwise one."""
    server = fresh_server()
    register_rp(server, backchannel_logout_uri=rp_listener.url, subject_type="pairwise")
    browser = Browser(server)
    tokens = sign_in(server, browser)
    id_token_sub = verify_jwt(server, tokens["id_token"])["sub"]
    log_out(server, browser, tokens)
    claims = verify_jwt(server, rp_listener.logout_tokens()[0])
    assert claims["sub"] == id_token_sub != server.store.get_user("alice").sub


def test_the_logout_token_is_signed_with_the_clients_id_token_alg(fresh_server, rp_listener):
    server = fresh_server()
    register_rp(server, backchannel_logout_uri=rp_listener.url,
                id_token_signed_response_alg="ES256")
    browser = Browser(server)
    tokens = sign_in(server, browser)
    log_out(server, browser, tokens)
    assert header_of(rp_listener.logout_tokens()[0])["alg"] == "ES256"


def test_each_client_of_the_session_gets_its_own_logout_token(rp, rp_listener):
    server, browser, tokens, _ = rp
    register_rp(server, "second-rp", backchannel_logout_uri=rp_listener.url + "/second")
    sign_in(server, browser, client_id="second-rp")
    end_session(browser, id_token_hint=tokens["id_token"])
    wait_for_events(server, "logout.backchannel", count=2)
    audiences = sorted(verify_jwt(server, token)["aud"] for token in rp_listener.logout_tokens())
    assert audiences == [RP_ID, "second-rp"]
    assert len({verify_jwt(server, t)["jti"] for t in rp_listener.logout_tokens()}) == 2


def test_a_delivered_logout_is_recorded(rp, rp_listener):
    server, browser, tokens, id_claims = rp
    outcome = log_out(server, browser, tokens)
    assert outcome == {"client_id": RP_ID, "sid": id_claims["sid"], "uri": rp_listener.url,
                       "outcome": "delivered", "attempts": 1, "status": 200, "detail": ""}


def test_a_server_error_is_retried_until_delivered(rp, rp_listener):
    server, browser, tokens, _ = rp
    rp_listener.statuses = [503, 200]
    outcome = log_out(server, browser, tokens)
    assert (outcome["outcome"], outcome["attempts"], outcome["status"]) == ("delivered", 2, 200)


def test_retries_stop_after_three_attempts(rp, rp_listener):
    server, browser, tokens, _ = rp
    rp_listener.statuses = [500]
    outcome = log_out(server, browser, tokens)
    assert (outcome["outcome"], outcome["attempts"], outcome["status"]) == ("failed", 3, 500)
    assert len(rp_listener.received) == 3


def test_a_400_answer_is_final(rp, rp_listener):
    server, browser, tokens, _ = rp
    rp_listener.statuses = [400]
    outcome = log_out(server, browser, tokens)
    assert (outcome["outcome"], outcome["attempts"], outcome["status"]) == ("failed", 1, 400)


def test_an_unreachable_client_is_recorded_as_failed(fresh_server, rp_listener):
    server = fresh_server()
    url = rp_listener.url
    rp_listener.stop()  # nothing listens there any more
    register_rp(server, backchannel_logout_uri=url)
    browser = Browser(server)
    tokens = sign_in(server, browser)
    outcome = log_out(server, browser, tokens)
    assert (outcome["outcome"], outcome["attempts"], outcome["status"]) == ("failed", 3, None)


def test_a_uri_off_loopback_and_off_the_allowed_hosts_is_never_contacted(fresh_server):
    server = fresh_server()
    register_rp(server, backchannel_logout_uri="https://rp.example/backchannel")
    browser = Browser(server)
    tokens = sign_in(server, browser)
    outcome = log_out(server, browser, tokens)
    assert (outcome["outcome"], outcome["attempts"]) == ("refused", 0)
    assert "fetch_allowed_hosts" in outcome["detail"]


def test_the_users_logout_does_not_wait_for_the_client(rp, rp_listener):
    server, browser, tokens, _ = rp
    rp_listener.delay = 2.0
    started = time.monotonic()
    response = end_session(browser, id_token_hint=tokens["id_token"])
    assert response.status_code == 200
    assert time.monotonic() - started < 1.5
    wait_for_events(server, "logout.backchannel")


def test_ending_a_session_from_the_app_sends_the_logout_token(rp, rp_listener):
    server, _, _, id_claims = rp
    with server.app.app_context():
        assert end_sso_session(id_claims["sid"], reason="admin") == []
    [outcome] = wait_for_events(server, "logout.backchannel")
    assert outcome["outcome"] == "delivered"
    assert verify_jwt(server, rp_listener.logout_tokens()[0])["sid"] == id_claims["sid"]


def test_ending_a_session_from_the_app_signs_the_browser_out(rp):
    server, browser, _, id_claims = rp
    with server.app.app_context():
        end_sso_session(id_claims["sid"], reason="admin")
    wait_for_events(server, "logout.backchannel")
    silent = browser.authorize(client_id=RP_ID, response_type="code", scope="openid",
                               redirect_uri="http://localhost:4000/callback", prompt="none")
    assert "error=login_required" in silent.headers["Location"]


def test_ending_a_session_from_the_app_records_the_reason(rp):
    server, _, _, id_claims = rp
    with server.app.app_context():
        end_sso_session(id_claims["sid"], reason="admin")
    wait_for_events(server, "logout.backchannel")
    [ended] = wait_for_events(server, "session.ended")
    assert (ended["sid"], ended["reason"]) == (id_claims["sid"], "admin")


def test_ending_an_ended_session_from_the_app_raises_not_found(rp):
    server, _, _, id_claims = rp
    with server.app.app_context():
        end_sso_session(id_claims["sid"], reason="admin")
        with pytest.raises(NotFound):
            end_sso_session(id_claims["sid"], reason="admin")
    wait_for_events(server, "logout.backchannel")
