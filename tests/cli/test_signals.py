"""SIGTERM and SIGINT end ``pocket-op serve --headless`` cleanly: exit code 0 within 5 s,
nothing on stderr, requests in flight answered."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from cli_helpers import Running

ROOT = Path(__file__).resolve().parents[2]
SIGNALS = [pytest.param(signal.SIGTERM, id="SIGTERM"), pytest.param(signal.SIGINT, id="SIGINT")]


@pytest.mark.parametrize("signum", SIGNALS)
def test_a_signal_while_serving_exits_0_within_5_seconds(serve, tmp_path, signum):
    server = serve(tmp_path / "d")
    assert server.get("/healthz").status_code == 200
    stopped = server.stop(signum)
    assert stopped.returncode == 0
    assert stopped.seconds < 5


@pytest.mark.parametrize("signum", SIGNALS)
def test_a_signal_while_serving_prints_nothing_on_stderr(serve, tmp_path, signum):
    server = serve(tmp_path / "d")
    assert server.get("/healthz").status_code == 200
    assert server.stop(signum).stderr == ""


@pytest.mark.parametrize("signum", SIGNALS)
def test_a_signal_sent_as_soon_as_the_ready_line_appears_exits_0(serve, tmp_path, signum):
    server = serve(tmp_path / "d")
    stopped = server.stop(signum)
    assert (stopped.returncode, stopped.stderr) == (0, "")


def test_a_signal_sent_as_soon_as_the_ready_line_appears_still_lets_the_secrets_print(
        serve, tmp_path):
    # The demo client secrets and the admin password are shown only once.
    stopped = serve(tmp_path / "d").stop(signal.SIGTERM)
    assert stopped.stdout.splitlines()[-1].startswith("admin account: admin / ")


SLOW_ROUTE = """
import sys, time
import app.health
@app.health.bp.get("/slow")
def slow():
    time.sleep(1.0)
    return {"slow": "done"}
from ui.main import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_request_in_flight_when_sigterm_arrives_still_completes(cli, tmp_path):
    # The real command line, with one extra route that takes a second to answer.
    args = ["serve", "--headless", "--port", "0", "--data-dir", str(tmp_path / "d")]
    proc = subprocess.Popen([sys.executable, "-c", SLOW_ROUTE, *args], env=cli.env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        server = Running(proc)
        answers = []

        def ask() -> None:
            try:
                response = requests.get(server.url + "/slow", timeout=10)
                answers.append((response.status_code, response.json()))
            except requests.RequestException as exc:
                answers.append(exc)

        client = threading.Thread(target=ask)
        client.start()
        time.sleep(0.4)  # the request is being handled
        stopped = server.stop(signal.SIGTERM)
        client.join(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=10)
    assert answers == [(200, {"slow": "done"})]
    assert stopped.returncode == 0
