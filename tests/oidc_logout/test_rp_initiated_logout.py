"""OpenID Connect RP-Initiated Logout 1.0 over HTTP: the end_session_endpoint validates the
id_token_hint, client_id and post_logout_redirect_uri (an error page, never a redirect, when
they fail), asks the user when the request is not tied to the session, ends the SSO session
and its non-offline grants, and returns to the registered URI with ``state``."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest

from app.oauth.tokens import sign
from tests.flows import Browser, basic, form_action, redirect_params, spa_request
from tests.sessions import (
    RP_ID,
    RP_LOGGED_OUT,
    RP_REDIRECT,
    RP_SECRET,
    end_session,
    events,
    register_rp,
    sign_in,
)
from tests.tokens import verify_jwt

CONFIRM_BUTTON = '<button type="submit" name="logout" value="yes">'


@pytest.fixture
def rp(fresh_server):
    """A fresh server, the logout RP, alice signed in to it in a browser, her tokens."""
    server = fresh_server()
    register_rp(server)
    browser = Browser(server)
    tokens = sign_in(server, browser)
    return server, browser, tokens


def prompt_none(browser: Browser) -> dict[str, str]:
    return redirect_params(browser.authorize(
        client_id=RP_ID, response_type="code", scope="openid", redirect_uri=RP_REDIRECT,
        state="silent", prompt="none"))


def refresh(server, refresh_token: str):
    return server.post("/token", headers=basic(RP_ID, RP_SECRET), data={
        "grant_type": "refresh_token", "refresh_token": refresh_token})


def confirm(browser: Browser, page, answer: str = "yes"):
    return browser.post(form_action(page.text, 'name="logout"'), {"logout": answer})


def query_of(response) -> dict[str, list[str]]:
    return parse_qs(urlsplit(response.headers["Location"]).query)


# -- discovery -------------------------------------------------------------------------------

def test_end_session_endpoint_is_advertised(live_server):
    document = live_server.get("/.well-known/openid-configuration").json()
    assert document["end_session_endpoint"] == live_server.issuer + "/end_session"


# -- redirection after logout (§3) -----------------------------------------------------------

def test_logout_with_id_token_hint_redirects_to_the_registered_uri_with_state(rp):
    _, browser, tokens = rp
    response = end_session(browser, id_token_hint=tokens["id_token"],
                           post_logout_redirect_uri=RP_LOGGED_OUT, state="bye-123")
    assert response.status_code == 302
    assert response.headers["Location"] == RP_LOGGED_OUT + "?state=bye-123"


def test_logout_without_state_redirects_to_the_registered_uri_unchanged(rp):
    _, browser, tokens = rp
    response = end_session(browser, id_token_hint=tokens["id_token"],
                           post_logout_redirect_uri=RP_LOGGED_OUT)
    assert response.headers["Location"] == RP_LOGGED_OUT


def test_logout_by_form_post_redirects_like_a_get(rp):
    _, browser, tokens = rp
    response = browser.post("/end_session", {"id_token_hint": tokens["id_token"],
                                             "post_logout_redirect_uri": RP_LOGGED_OUT,
                                             "state": "posted"})
    assert response.status_code == 302
    assert query_of(response) == {"state": ["posted"]}


def test_a_query_in_the_registered_uri_is_kept_and_state_added(fresh_server):
    server = fresh_server()
    register_rp(server, post_logout_redirect_uris=["http://localhost:4000/out?tab=2"])
    browser = Browser(server)
    tokens = sign_in(server, browser)
    response = end_session(browser, id_token_hint=tokens["id_token"],
                           post_logout_redirect_uri="http://localhost:4000/out?tab=2", state="x")
    assert response.headers["Location"] == "http://localhost:4000/out?tab=2&state=x"


def test_logout_without_a_session_redirects_straight_to_the_registered_uri(rp):
    server, _, tokens = rp
    response = end_session(Browser(server), id_token_hint=tokens["id_token"],
                           post_logout_redirect_uri=RP_LOGGED_OUT, state="none-left")
    assert response.headers["Location"] == RP_LOGGED_OUT + "?state=none-left"


def test_client_id_alone_identifies_the_client_for_the_redirect(rp):
    server, _, _ = rp
    response = end_session(Browser(server), client_id=RP_ID,
                           post_logout_redirect_uri=RP_LOGGED_OUT, state="by-id")
    assert response.headers["Location"] == RP_LOGGED_OUT + "?state=by-id"


def test_an_expired_id_token_hint_is_accepted(rp):
    server, browser, tokens = rp
    claims = parse_claims(server, tokens["id_token"])
    with server.app.app_context():
        expired = sign({**claims, "iat": claims["iat"] - 7200, "exp": int(time.time()) - 3600},
                       "RS256")
    response = end_session(browser, id_token_hint=expired,
                           post_logout_redirect_uri=RP_LOGGED_OUT, state="late")
    assert response.headers["Location"] == RP_LOGGED_OUT + "?state=late"
    assert prompt_none(browser)["error"] == "login_required"


def parse_claims(server, token: str) -> dict:
    return verify_jwt(server, token)


# -- refused requests: an error page, never a redirect (§3, §4) ------------------------------

REFUSED = [
    ("unregistered-uri", {"post_logout_redirect_uri": "http://localhost:4000/elsewhere"},
     "invalid_request: Invalid 'post_logout_redirect_uri' in request."),
    ("uri-differing-by-a-slash", {"post_logout_redirect_uri": RP_LOGGED_OUT + "/"},
     "invalid_request: Invalid 'post_logout_redirect_uri' in request."),
    ("another-clients-uri", {"post_logout_redirect_uri": "http://localhost:3000/"},
     "invalid_request: Invalid 'post_logout_redirect_uri' in request."),
    ("client-id-not-the-audience", {"client_id": "demo-web"},
     "invalid_request: 'client_id' does not match the 'id_token_hint'."),
]


@pytest.mark.parametrize(("changes", "message"), [case[1:] for case in REFUSED],
                         ids=[case[0] for case in REFUSED])
def test_a_refused_logout_request_gets_an_error_page_and_no_redirect(rp, changes, message):
    _, browser, tokens = rp
    params = {"id_token_hint": tokens["id_token"], "state": "s", **changes}
    response = end_session(browser, **params)
    assert response.status_code == 400
    assert "Location" not in response.headers
    assert message.replace("'", "&#39;") in response.text


def test_a_refused_logout_request_leaves_the_session_alone(rp):
    _, browser, tokens = rp
    end_session(browser, id_token_hint=tokens["id_token"],
                post_logout_redirect_uri="http://localhost:4000/elsewhere")
    assert "code" in prompt_none(browser)


def test_the_error_page_names_the_registered_post_logout_redirect_uris(rp):
    _, browser, _ = rp
    response = end_session(browser, client_id=RP_ID,
                           post_logout_redirect_uri="http://localhost:4000/elsewhere")
    assert RP_LOGGED_OUT in response.text


def test_a_post_logout_redirect_uri_without_client_id_or_hint_gets_an_error_page(rp):
    _, browser, _ = rp
    response = end_session(browser, post_logout_redirect_uri=RP_LOGGED_OUT)
    assert response.status_code == 400
    assert ("&#39;post_logout_redirect_uri&#39; needs &#39;client_id&#39; or "
            "&#39;id_token_hint&#39;.") in response.text


def test_an_id_token_hint_we_did_not_sign_gets_an_error_page(rp):
    _, browser, tokens = rp
    head, payload, signature = tokens["id_token"].split(".")
    forged = ".".join([head, payload, signature[::-1]])
    response = end_session(browser, id_token_hint=forged)
    assert response.status_code == 400
    assert "Invalid &#39;id_token_hint&#39; in request." in response.text


def test_an_unknown_client_id_gets_an_error_page(rp):
    _, browser, _ = rp
    response = end_session(browser, client_id="nobody",
                           post_logout_redirect_uri=RP_LOGGED_OUT)
    assert response.status_code == 400
    assert "Invalid &#39;client_id&#39; in request." in response.text


def test_a_repeated_parameter_gets_an_error_page(rp):
    server, browser, _ = rp
    response = browser.http.get(server.url + "/end_session?state=a&state=b",
                                allow_redirects=False, timeout=10)
    assert response.status_code == 400
    assert "Multiple &#39;state&#39; in request." in response.text


def test_a_refused_request_is_recorded_with_what_was_sent(rp):
    server, browser, _ = rp
    end_session(browser, client_id=RP_ID, post_logout_redirect_uri="http://localhost:4000/x")
    [event] = events(server, "logout.error")
    assert event["post_logout_redirect_uri"] == "http://localhost:4000/x"
    assert event["error"] == "invalid_request"


# -- asking the user (§2) --------------------------------------------------------------------

def test_a_request_without_id_token_hint_asks_for_confirmation(rp):
    _, browser, _ = rp
    page = end_session(browser, client_id=RP_ID, post_logout_redirect_uri=RP_LOGGED_OUT)
    assert page.status_code == 200
    assert CONFIRM_BUTTON in page.text
    assert "code" in prompt_none(browser)  # nothing ended yet


def test_an_id_token_hint_of_another_session_asks_for_confirmation(rp):
    server, _, tokens = rp
    other = Browser(server)
    sign_in(server, other)
    page = end_session(other, id_token_hint=tokens["id_token"])
    assert CONFIRM_BUTTON in page.text


def test_an_id_token_hint_of_another_user_asks_for_confirmation(rp):
    server, _, tokens = rp
    bobs = Browser(server)
    sign_in(server, bobs, username="bob")
    assert CONFIRM_BUTTON in end_session(bobs, id_token_hint=tokens["id_token"]).text


def test_the_id_token_hint_of_a_pairwise_client_logs_out_at_once(fresh_server):
    """§2: the hint names the user by the client's pairwise sub (OIDC Core §8), which is
    still "the currently logged in End-User"."""
    server = fresh_server()
    register_rp(server, subject_type="pairwise")
    browser = Browser(server)
    tokens = sign_in(server, browser)
    assert verify_jwt(server, tokens["id_token"])["sub"] != server.store.get_user("alice").sub
    response = end_session(browser, id_token_hint=tokens["id_token"],
                           post_logout_redirect_uri=RP_LOGGED_OUT)
    assert (response.status_code, response.headers["Location"]) == (302, RP_LOGGED_OUT)
    assert server.store.find_sessions() == []


def test_a_logout_hint_naming_someone_else_asks_for_confirmation(rp):
    _, browser, tokens = rp
    page = end_session(browser, id_token_hint=tokens["id_token"], logout_hint="bob")
    assert CONFIRM_BUTTON in page.text


def test_a_logout_hint_naming_the_user_logs_out_at_once(rp):
    _, browser, tokens = rp
    response = end_session(browser, id_token_hint=tokens["id_token"], logout_hint="alice",
                           ui_locales="fr-CA en", post_logout_redirect_uri=RP_LOGGED_OUT)
    assert response.status_code == 302


def test_confirming_logs_out_and_redirects_with_state(rp):
    _, browser, _ = rp
    page = end_session(browser, client_id=RP_ID, post_logout_redirect_uri=RP_LOGGED_OUT,
                       state="confirmed")
    response = confirm(browser, page)
    assert response.headers["Location"] == RP_LOGGED_OUT + "?state=confirmed"
    assert prompt_none(browser)["error"] == "login_required"


def test_declining_keeps_the_session_and_still_returns_to_the_client(rp):
    _, browser, _ = rp
    page = end_session(browser, client_id=RP_ID, post_logout_redirect_uri=RP_LOGGED_OUT,
                       state="stay")
    response = confirm(browser, page, "no")
    assert response.headers["Location"] == RP_LOGGED_OUT + "?state=stay"
    assert "code" in prompt_none(browser)


def test_the_confirmation_cannot_be_answered_from_another_browser(rp):
    server, browser, _ = rp
    page = end_session(browser, client_id=RP_ID)
    attacker = Browser(server)
    response = attacker.post(form_action(page.text, 'name="logout"'), {"logout": "yes"})
    assert response.status_code == 400
    assert "Sign-out expired" in response.text
    assert "code" in prompt_none(browser)


def test_the_confirmation_can_be_answered_once(rp):
    _, browser, _ = rp
    page = end_session(browser, client_id=RP_ID)
    confirm(browser, page)
    assert confirm(browser, page).status_code == 400


def test_the_confirmation_cookie_is_http_only_and_same_site_lax(rp):
    _, browser, _ = rp
    page = end_session(browser, client_id=RP_ID)
    cookie = page.headers["Set-Cookie"]
    assert cookie.startswith("pocket_op_logout=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/end_session" in cookie


def test_without_a_session_nothing_is_asked(rp):
    server, _, _ = rp
    page = end_session(Browser(server))
    assert page.status_code == 200
    assert "You are signed out" in page.text


# -- what logging out does -------------------------------------------------------------------

def test_after_logout_prompt_none_gives_login_required(rp):
    _, browser, tokens = rp
    end_session(browser, id_token_hint=tokens["id_token"])
    assert prompt_none(browser)["error"] == "login_required"


def test_after_logout_the_old_session_cookie_no_longer_signs_in(rp):
    server, browser, tokens = rp
    cookie = browser.http.cookies["pocket_op_session"]
    end_session(browser, id_token_hint=tokens["id_token"])
    replay = Browser(server)
    replay.http.cookies.set("pocket_op_session", cookie)
    assert prompt_none(replay)["error"] == "login_required"


def test_logout_clears_the_session_cookie(rp):
    _, browser, tokens = rp
    end_session(browser, id_token_hint=tokens["id_token"])
    assert "pocket_op_session" not in browser.http.cookies


def test_logout_revokes_the_sessions_refresh_tokens(rp):
    server, browser, tokens = rp
    end_session(browser, id_token_hint=tokens["id_token"])
    response = refresh(server, tokens["refresh_token"])
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_logout_revokes_the_sessions_access_tokens_with_their_grant(rp):
    server, browser, tokens = rp
    end_session(browser, id_token_hint=tokens["id_token"])
    response = server.get("/userinfo",
                          headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert response.status_code == 401


def test_logout_keeps_offline_access_refresh_tokens(rp):
    server, browser, _ = rp
    offline = sign_in(server, browser, scope="openid offline_access")
    end_session(browser, id_token_hint=offline["id_token"])
    assert refresh(server, offline["refresh_token"]).status_code == 200


def test_logout_records_the_ended_session(rp):
    server, browser, tokens = rp
    claims = parse_claims(server, tokens["id_token"])
    end_session(browser, id_token_hint=tokens["id_token"])
    [event] = events(server, "session.ended")
    assert event == {"sid": claims["sid"], "sub": claims["sub"], "reason": "rp_initiated",
                     "tokens_revoked": 2, "clients": [RP_ID]}


def test_logout_ends_the_session_in_the_store(rp):
    server, browser, tokens = rp
    sid = parse_claims(server, tokens["id_token"])["sid"]
    end_session(browser, id_token_hint=tokens["id_token"])
    assert server.store.get_session(sid).ended_at is not None


def test_logout_of_a_public_client_works_with_its_id_token(fresh_server):
    server = fresh_server()
    browser = Browser(server)
    params, verifier = spa_request()
    code = redirect_params(browser.sign_in_and_allow(**params))["code"]
    tokens = server.post("/token", data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": params["redirect_uri"],
        "client_id": "demo-spa", "code_verifier": verifier}).json()
    response = end_session(browser, id_token_hint=tokens["id_token"])
    assert "You are signed out" in response.text
    silent = redirect_params(browser.authorize(**spa_request(prompt="none")[0]))
    assert silent["error"] == "login_required"
