"""An admin sign-in ends after ``admin_session_idle_lifetime`` seconds without a request, not
only 12 hours after it began; each request keeps it alive. Time passes for the store (where
the sessions and their last use are kept) by a clock the test moves."""

from __future__ import annotations

import time

import pytest

import app.store.users

from .conftest import sign_in

IDLE = 600


class Clock:
    """``time`` as the store module sees it, ``offset`` seconds ahead."""

    def __init__(self):
        self.offset = 0.0

    def time(self) -> float:
        return time.time() + self.offset


@pytest.fixture
def server(fresh_server):
    from .conftest import ADMIN_PASSWORD

    server = fresh_server(admin_session_idle_lifetime=IDLE)
    server.store.save_admin_password("admin", ADMIN_PASSWORD)
    return server


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(app.store.users, "time", clock)
    return clock


def test_a_session_unused_past_the_idle_limit_is_refused(server, clock):
    api, _ = sign_in(server)
    clock.offset = IDLE + 5
    response = api.get("/session")
    assert (response.status_code, response.json()["error"]) == (401, "unauthorized")


def test_a_session_used_within_the_idle_limit_stays_signed_in(server, clock):
    api, _ = sign_in(server)
    clock.offset = IDLE - 5
    assert api.get("/session").status_code == 200
    clock.offset = 2 * IDLE - 10  # past the limit since sign-in, not since the last use
    assert api.get("/session").status_code == 200


def test_a_session_refused_for_idleness_stays_ended(server, clock):
    api, _ = sign_in(server)
    clock.offset = IDLE + 5
    api.get("/session")
    clock.offset = 0
    assert api.get("/session").status_code == 401


def test_the_idle_limit_is_a_setting_with_a_default_of_30_minutes(fresh_server):
    assert fresh_server().settings.admin_session_idle_lifetime == 1800
