"""Try it's callback records an authorization response once per ``state``: the check that the
attempt has none yet and the recording are one step, so of two callbacks racing with the
same state exactly one proceeds (303 to the screen) and the other is refused (400)."""

from __future__ import annotations

import threading
import time

import pytest

from app.admin.try_it import Attempt

from .conftest import AdminApi
from .test_try_it import CALLBACK, register_callback

PAUSE = 0.4  # seconds the first reader of the attempt's response is held up


class SlowFirstRead(Attempt):
    """An attempt whose first reader of ``response`` is held up after reading it: the
    window between a check and a set, made wide enough for a second request to enter."""

    @property
    def response(self):
        value = self.__dict__["response"]
        if not self.__dict__.setdefault("held", False):
            self.__dict__["held"] = True
            time.sleep(PAUSE)
        return value

    @response.setter
    def response(self, value):
        self.__dict__["response"] = value


@pytest.fixture
def server(demo_server):
    return demo_server


def start_code_flow(server) -> str:
    api = AdminApi(server, server.app.admin_launch_token)
    register_callback(api, "demo-web")
    started = api.post("/clients/demo-web/try-it", json={"flow": "authorization_code"})
    assert started.status_code == 200, started.text
    return started.json()["state"]


def test_two_concurrent_callbacks_with_one_state_let_one_through(server):
    state = start_code_flow(server)
    attempt = server.app.extensions["pocket_op.try_it"].get(state)
    attempt.__class__ = SlowFirstRead
    statuses: list[int] = []

    def callback(code: str) -> None:
        response = server.get(CALLBACK, params={"state": state, "code": code},
                              allow_redirects=False)
        statuses.append(response.status_code)

    first = threading.Thread(target=callback, args=("first",))
    second = threading.Thread(target=callback, args=("second",))
    first.start()
    time.sleep(PAUSE / 4)  # the first request is inside its check now
    second.start()
    first.join(10)
    second.join(10)
    assert sorted(statuses) == [303, 400]


def test_a_second_callback_with_a_used_state_is_refused(server):
    state = start_code_flow(server)
    first = server.get(CALLBACK, params={"state": state, "code": "a"}, allow_redirects=False)
    again = server.get(CALLBACK, params={"state": state, "code": "b"}, allow_redirects=False)
    assert (first.status_code, again.status_code, again.json()["error"]) == (
        303, 400, "invalid_request")
