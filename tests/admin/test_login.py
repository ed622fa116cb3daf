"""The admin sign-in, ``/admin/api/session`` (``app/admin/login.py``): signing in with the
``admin`` password (JSON or the login form's fields) sets the cookie and returns the CSRF
token, wrong credentials are refused and throttled, ``GET`` tells who is signed in, signing out
ends the session for good, and the password never reaches the audit log.

A sign-in ends after ``admin_session_idle_lifetime`` seconds without a request, not only 12
hours after it began; each request keeps it alive. Time passes for the store (where the
sessions and their last use are kept) by a clock the test moves."""

from __future__ import annotations

import json
import time

import pytest

import app.store.users
from app.admin import guard

from .conftest import ADMIN_PASSWORD, AdminApi, sign_in

IDLE = 600


def test_signing_in_with_the_admin_password_returns_a_csrf_token_and_lets_in(server):
    admin, csrf = sign_in(server)
    assert len(csrf) >= 32
    assert admin.get("/clients").status_code == 200


def test_signing_in_with_the_login_form_fields_works_too(server):
    admin = AdminApi(server)
    response = admin.post("/session", data={"username": "admin", "password": ADMIN_PASSWORD})
    assert response.status_code == 200
    assert admin.get("/clients").status_code == 200


@pytest.mark.parametrize(("username", "password"), [
    ("admin", "wrong"),
    ("alice", "alice"),
], ids=["wrong-password", "end-user"])
def test_signing_in_with_wrong_credentials_is_refused_with_401(server, username, password):
    response = AdminApi(server).post("/session", json={"username": username,
                                                       "password": password})
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"
    assert "set-cookie" not in response.headers


def test_signing_in_without_a_password_names_the_field(server):
    response = AdminApi(server).post("/session", json={"username": "admin"})
    assert response.status_code == 400
    assert response.json()["fields"] == {"password": "required"}


def test_a_sixth_failed_sign_in_within_a_minute_is_refused_with_429_even_if_right(server):
    admin = AdminApi(server)
    for _ in range(5):
        assert admin.post("/session", json={"username": "admin",
                                            "password": "wrong"}).status_code == 401
    response = admin.post("/session", json={"username": "admin", "password": ADMIN_PASSWORD})
    assert response.status_code == 429
    assert response.json()["error"] == "too_many_requests"
    assert 1 <= int(response.headers["Retry-After"]) <= 60


def test_the_session_cookie_is_httponly_samesite_strict_and_scoped_to_admin(server):
    response = AdminApi(server).post("/session", json={"username": "admin",
                                                       "password": ADMIN_PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"{guard.COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/admin" in cookie


def test_get_session_returns_the_csrf_token_of_the_cookie_session(server):
    admin, csrf = sign_in(server)
    body = admin.get("/session").json()
    assert body == {"username": "admin", "method": "cookie", "csrf_token": csrf}


def test_get_session_with_the_launch_token_says_so_without_csrf_token(api):
    assert api.get("/session").json() == {"username": "admin", "method": "launch_token",
                                          "csrf_token": None}


def test_signing_out_ends_the_session_even_for_a_kept_copy_of_the_cookie(server):
    admin, csrf = sign_in(server)
    cookie = admin.http.cookies.get(guard.COOKIE)
    response = admin.delete("/session", headers={"X-CSRF-Token": csrf})
    assert response.status_code == 204
    assert admin.get("/clients").status_code == 401
    replay = AdminApi(server).get("/clients", headers={"Cookie": f"{guard.COOKIE}={cookie}"})
    assert replay.status_code == 401


def test_the_admin_password_never_reaches_the_audit_log(server):
    AdminApi(server).post("/session", json={"username": "admin", "password": "Wr0ng-Pa55"})
    sign_in(server)
    events = json.dumps([e.fields for e in server.store.find_events(limit=50)])
    assert "Wr0ng-Pa55" not in events and ADMIN_PASSWORD not in events
    assert [e.event for e in server.store.find_events(limit=2)] == ["admin.login",
                                                                    "admin.login_failed"]


# Idle limit


class Clock:
    """``time`` as the store module sees it, ``offset`` seconds ahead."""

    def __init__(self):
        self.offset = 0.0

    def time(self) -> float:
        return time.time() + self.offset


@pytest.fixture
def idle_server(fresh_server):
    """A server whose admin sign-ins end after IDLE seconds unused."""
    server = fresh_server(admin_session_idle_lifetime=IDLE)
    server.store.save_admin_password("admin", ADMIN_PASSWORD)
    return server


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(app.store.users, "time", clock)
    return clock


def test_a_session_unused_past_the_idle_limit_is_refused(idle_server, clock):
    api, _ = sign_in(idle_server)
    clock.offset = IDLE + 5
    response = api.get("/session")
    assert (response.status_code, response.json()["error"]) == (401, "unauthorized")


def test_a_session_used_within_the_idle_limit_stays_signed_in(idle_server, clock):
    api, _ = sign_in(idle_server)
    clock.offset = IDLE - 5
    assert api.get("/session").status_code == 200
    clock.offset = 2 * IDLE - 10  # past the limit since sign-in, not since the last use
    assert api.get("/session").status_code == 200


def test_a_session_refused_for_idleness_stays_ended(idle_server, clock):
    api, _ = sign_in(idle_server)
    clock.offset = IDLE + 5
    api.get("/session")
    clock.offset = 0
    assert api.get("/session").status_code == 401


def test_the_idle_limit_is_a_setting_with_a_default_of_30_minutes(fresh_server):
    assert fresh_server().settings.admin_session_idle_lifetime == 1800
