"""A client's regular expression cannot freeze the server (issue 10): ``redirect_uris_regex``
is matched by RE2 in time linear in the input, so a pattern that backtracks polynomially or
exponentially in Python's ``re`` answers at once, and /healthz keeps answering meanwhile.

The server is ``pocket-op serve`` in a child process: a backtracking ``re`` match holds the
GIL, so in this process it would freeze the test itself (and pytest-timeout with it)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time

import pytest
import requests

from tests.conftest import ROOT

#: Polynomial (.*)^8 and exponential (nested or ambiguous repetition) shapes.
PATTERNS = {"polynomial": ".*.*.*.*.*.*.*.*!", "nested-plus": "(a+)+!",
            "nested-star": "(.*)*!", "alternation": "(a|aa)+!"}
#: A ~1,900-character redirect_uri none of the patterns matches (no "!").
LONG_REDIRECT = "http://127.0.0.1/cb/" + "a" * 1880
#: Generous bounds: with RE2 both answers take milliseconds; with ``re`` they never come.
HEALTHZ_SECONDS = 5
AUTHORIZE_SECONDS = 10


@pytest.fixture(scope="module")
def server_url(tmp_path_factory, seeded_data_dir):
    data_dir = tmp_path_factory.mktemp("redos") / "data"
    shutil.copytree(seeded_data_dir, data_dir)
    proc = subprocess.Popen([sys.executable, "-m", "ui.main", "serve", "--headless", "--port",
                             "0", "--data-dir", str(data_dir)], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        line = proc.stdout.readline()
        assert line.startswith("pocket-op listening on "), line
        yield line.split()[-1]
    finally:
        proc.kill()  # a frozen server does not stop on SIGTERM
        proc.wait(10)
        proc.stdout.close()


def register(url: str, pattern: str) -> str:
    response = requests.post(url + "/register", timeout=10, json={
        "redirect_uris": ["http://127.0.0.1/cb"], "redirect_uris_regex": pattern})
    assert response.status_code == 201, response.text
    return response.json()["client_id"]


def authorize_in_background(url: str, client_id: str) -> tuple[threading.Thread, dict]:
    outcome: dict = {}

    def run():
        started = time.monotonic()
        try:
            outcome["response"] = requests.get(url + "/authorize", timeout=AUTHORIZE_SECONDS,
                                               params={"client_id": client_id,
                                                       "response_type": "code",
                                                       "scope": "openid",
                                                       "redirect_uri": LONG_REDIRECT})
        except requests.RequestException as exc:
            outcome["error"] = exc
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


@pytest.mark.parametrize("pattern", PATTERNS.values(), ids=PATTERNS.keys())
def test_healthz_answers_while_a_backtracking_redirect_regex_is_matched(server_url, pattern):
    thread, _ = authorize_in_background(server_url, register(server_url, pattern))
    time.sleep(0.3)  # the match is under way (or, with RE2, long over)
    health = requests.get(server_url + "/healthz", timeout=HEALTHZ_SECONDS)
    assert health.status_code == 200
    thread.join(AUTHORIZE_SECONDS + 5)


@pytest.mark.parametrize("pattern", PATTERNS.values(), ids=PATTERNS.keys())
def test_a_long_redirect_uri_against_a_backtracking_regex_gets_an_error_page_at_once(
        server_url, pattern):
    thread, outcome = authorize_in_background(server_url, register(server_url, pattern))
    thread.join(AUTHORIZE_SECONDS + 5)
    assert "error" not in outcome, outcome
    assert outcome["response"].status_code == 400
    assert outcome["seconds"] < AUTHORIZE_SECONDS
