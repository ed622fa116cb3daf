"""Each response of the login and consent steps sets each cookie once (RFC 6265 §4.1.1:
"Servers SHOULD NOT include more than one Set-Cookie header field in the same response with
the same cookie-name"): the SSO session, the OP browser state and the interaction cookie."""

from __future__ import annotations

from collections import Counter

import pytest
import requests

from tests.flows import WEB_REDIRECT, Browser, redirect_params, spa_request


def cookie_names(response: requests.Response) -> list[str]:
    """The cookie name of each raw Set-Cookie header field of the response."""
    return [field.split("=", 1)[0].strip() for field in response.raw.headers.getlist("Set-Cookie")]


def repeated(response: requests.Response) -> list[str]:
    return [name for name, count in Counter(cookie_names(response)).items() if count > 1]


def web_request() -> dict:
    return {"client_id": "demo-web", "response_type": "code", "scope": "openid",
            "redirect_uri": WEB_REDIRECT, "state": "st", "nonce": "n"}


def test_the_login_that_shows_the_consent_page_sets_each_cookie_once(fresh_server):
    browser = Browser(fresh_server())
    page = browser.authorize(**spa_request()[0])
    consent = browser.login(page, "alice", "alice")
    assert 'name="decision"' in consent.text
    assert "pocket_op_session" in cookie_names(consent)
    assert repeated(consent) == []


def test_the_login_that_answers_the_client_sets_each_cookie_once(fresh_server):
    """A trusted client asks no consent: the login's response is the redirect with the code."""
    server = fresh_server()
    server.store.update_client("demo-web", trusted=True)
    browser = Browser(server)
    back = browser.login(browser.authorize(**web_request()), "alice", "alice")
    assert "code" in redirect_params(back)
    assert "pocket_op_session" in cookie_names(back)
    assert repeated(back) == []


@pytest.mark.parametrize("step", ["authorize", "consent"])
def test_the_other_steps_of_a_code_flow_set_each_cookie_once(fresh_server, step):
    browser = Browser(fresh_server())
    page = browser.authorize(**spa_request()[0])
    consent = browser.login(page, "alice", "alice")
    back = browser.consent(consent)
    assert "code" in redirect_params(back)
    assert repeated({"authorize": page, "consent": back}[step]) == []
