"""The values, not only the presence, of an ID token's claims about the authentication
(OpenID Connect Core §2): ``sid`` and ``auth_time`` are the SSO session's, ``exp`` is ``iat``
plus the ID token lifetime, a session reused without a login keeps its ``auth_time``, and a
refreshed ID token (§12.2) and the token endpoint's ID token of a hybrid flow (§3.3.3.6)
repeat the claims about the authentication of the first one.

§12.2: its iss, sub, aud and azp "MUST be the same as in the ID Token issued when the
original authentication occurred"; "its iat Claim MUST represent the time that the new ID
Token is issued"; "if the ID Token contains an auth_time Claim, its value MUST represent the
time of the original authentication - not the time that the new ID token is issued".
https://openid.net/specs/openid-connect-core-1_0.html#RefreshTokenResponse
"""

from __future__ import annotations

import time

import pytest

from tests.flows import Browser, redirect_params
from tests.sessions import RP_ID, RP_REDIRECT, RP_SECRET, register_rp, sign_in
from tests.tokens import verify_jwt

#: How far back the tests move the SSO session's login, so that "now" cannot pass for it.
LOGGED_IN_AGO = 3000
AUTHENTICATION_CLAIMS = ["iss", "sub", "aud", "azp", "auth_time", "sid", "acr", "amr"]


@pytest.fixture
def server(fresh_server):
    server = fresh_server()
    register_rp(server)
    return server


def move_login_back(server, seconds: float) -> float:
    """Move the only SSO session's login ``seconds`` back; its new auth_time."""
    model = server.store.m.SsoSession
    row = model.get(model.ended_at.is_null())
    auth_time = row.auth_time - seconds
    model.update(auth_time=auth_time).where(model.sid == row.sid).execute()
    return auth_time


def test_id_token_sid_and_auth_time_are_those_of_the_sso_session(server):
    claims = verify_jwt(server, sign_in(server, Browser(server))["id_token"])
    [session] = server.store.find_sessions()
    assert claims["sid"] == session.sid
    assert claims["auth_time"] == int(session.auth_time)


def test_id_token_expires_the_id_token_lifetime_after_it_is_issued(server):
    before = int(time.time())
    claims = verify_jwt(server, sign_in(server, Browser(server))["id_token"])
    assert before <= claims["iat"] <= time.time()
    assert claims["exp"] - claims["iat"] == server.settings["id_token_lifetime"] == 3600


def test_a_reused_sso_session_keeps_its_auth_time_and_sid(server):
    browser = Browser(server)
    first = verify_jwt(server, sign_in(server, browser)["id_token"])
    auth_time = move_login_back(server, LOGGED_IN_AGO)
    again = verify_jwt(server, sign_in(server, browser)["id_token"])
    assert again["auth_time"] == int(auth_time)
    assert again["iat"] - again["auth_time"] >= LOGGED_IN_AGO
    assert again["sid"] == first["sid"]


@pytest.fixture
def refreshed(server):
    """alice's first ID token (her login moved back first) and the one a refresh gives."""
    browser = Browser(server)
    sign_in(server, browser)
    move_login_back(server, LOGGED_IN_AGO)
    tokens = sign_in(server, browser, scope="openid offline_access")
    response = server.post("/token", auth=(RP_ID, RP_SECRET), data={
        "grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]})
    assert response.status_code == 200, response.text
    return (verify_jwt(server, tokens["id_token"]),
            verify_jwt(server, response.json()["id_token"]))


@pytest.mark.parametrize("claim", AUTHENTICATION_CLAIMS)
def test_a_refreshed_id_token_repeats_the_originals_claim(refreshed, claim):
    original, new = refreshed
    assert new[claim] == original[claim]


def test_a_refreshed_id_token_is_issued_now_not_at_the_login(refreshed):
    original, new = refreshed
    assert new["iat"] >= original["iat"]
    assert new["iat"] - new["auth_time"] >= LOGGED_IN_AGO


@pytest.fixture
def hybrid(server):
    """The ID tokens of one ``code id_token`` flow: the authorization endpoint's and the
    token endpoint's (alice's login moved back first)."""
    register_rp(server, "hybrid-rp", response_types=["code id_token"],
                grant_types=["authorization_code", "implicit"])
    browser = Browser(server)
    sign_in(server, browser)
    move_login_back(server, LOGGED_IN_AGO)
    back = redirect_params(browser.sign_in_and_allow(
        client_id="hybrid-rp", response_type="code id_token", scope="openid",
        redirect_uri=RP_REDIRECT, state="s", nonce="n-hybrid"))
    response = server.post("/token", auth=("hybrid-rp", RP_SECRET), data={
        "grant_type": "authorization_code", "code": back["code"], "redirect_uri": RP_REDIRECT})
    assert response.status_code == 200, response.text
    return verify_jwt(server, back["id_token"]), verify_jwt(server, response.json()["id_token"])


@pytest.mark.parametrize("claim", [*AUTHENTICATION_CLAIMS, "nonce"])
def test_both_id_tokens_of_a_hybrid_flow_agree_on_the_claim(hybrid, claim):
    """§3.3.3.6: "iss and sub Claim Values MUST be identical in both ID Tokens. All Claims
    about the Authentication event present in either SHOULD be present in both"."""
    front, back = hybrid
    assert back[claim] == front[claim]


def test_the_hybrid_id_tokens_carry_the_sessions_auth_time_and_sid(hybrid, server):
    front, _ = hybrid
    [session] = server.store.find_sessions()
    assert (front["auth_time"], front["sid"]) == (int(session.auth_time), session.sid)
    assert front["nonce"] == "n-hybrid"
