"""``/admin/api/sessions``: the live SSO sessions, revoking one or all of a user's; a revoked
session signs no one in (the next ``prompt=none`` gets ``login_required``)."""

from __future__ import annotations

import pytest

from tests.flows import Browser, redirect_params, spa_request


@pytest.fixture
def browser(server) -> Browser:
    """alice signed in at demo-spa (one SSO session)."""
    browser = Browser(server)
    redirect_params(browser.sign_in_and_allow(**spa_request()[0]))
    return browser


def sessions(api, **params) -> list[dict]:
    response = api.get("/sessions", params=params)
    assert response.status_code == 200, response.text
    return response.json()["sessions"]


def silent_authorize(browser: Browser) -> dict:
    return redirect_params(browser.authorize(**spa_request(prompt="none")[0]))


def test_list_shows_the_session_with_user_clients_times_acr_ip_and_user_agent(api, server,
                                                                                browser):
    [session] = sessions(api)
    assert session["username"] == "alice"
    assert session["sub"] == server.store.get_user("alice").sub
    assert session["clients"] == ["demo-spa"]
    assert session["ip"] == "127.0.0.1"
    assert session["user_agent"].startswith("python-requests")
    assert session["acr"] == "1" and session["amr"] == ["pwd"]
    assert session["created_at"] <= session["last_used_at"]
    assert session["expired"] is False


def test_list_with_sub_keeps_one_users_sessions(api, server, browser):
    Browser(server).sign_in_and_allow("bob", **spa_request()[0])
    bob = server.store.get_user("bob").sub
    assert [s["username"] for s in sessions(api, sub=bob)] == ["bob"]


def test_get_returns_one_session_and_404_for_an_unknown_sid(api, browser):
    [session] = sessions(api)
    assert api.get(f"/sessions/{session['sid']}").json()["sid"] == session["sid"]
    assert api.get("/sessions/nope").status_code == 404


def test_revoking_a_session_makes_the_next_prompt_none_fail_with_login_required(api,
                                                                               browser):
    assert "code" in silent_authorize(browser)
    [session] = sessions(api)
    assert api.delete(f"/sessions/{session['sid']}").status_code == 204
    assert sessions(api) == []
    assert silent_authorize(browser)["error"] == "login_required"


def test_revoking_an_ended_or_unknown_session_is_404(api, browser):
    [session] = sessions(api)
    api.delete(f"/sessions/{session['sid']}")
    assert api.delete(f"/sessions/{session['sid']}").status_code == 404
    assert api.delete("/sessions/nope").status_code == 404


def test_revoking_all_of_a_users_sessions_keeps_the_others(api, server, browser):
    second = Browser(server)
    second.sign_in_and_allow(**spa_request()[0])
    Browser(server).sign_in_and_allow("bob", **spa_request()[0])
    alice = server.store.get_user("alice").sub
    response = api.delete("/sessions", params={"sub": alice})
    assert response.status_code == 200 and response.json() == {"revoked": 2}
    assert [s["username"] for s in sessions(api)] == ["bob"]
    assert silent_authorize(second)["error"] == "login_required"


def test_revoking_all_without_a_sub_names_the_field(api, browser):
    response = api.delete("/sessions")
    assert response.status_code == 400
    assert response.json()["fields"] == {"sub": "required"}
    assert len(sessions(api)) == 1


def test_revoking_emits_session_revoked_with_the_sid_and_sub(api, browser):
    [session] = sessions(api)
    api.delete(f"/sessions/{session['sid']}")
    assert api.events("session.revoked")[0]["fields"] == {"sid": session["sid"],
                                                          "sub": session["sub"]}
