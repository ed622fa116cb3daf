"""Plain ``pocket-op`` (no ``serve``) wants a window; without one it says so in one line on
stderr and serves headless, ready line first."""

from __future__ import annotations

import os
import re
import socket

import requests
from cli_helpers import READY, Running

NO_DISPLAY = "pocket-op: no display found; running headless (pocket-op serve --headless)\n"


def test_without_a_display_it_says_on_stderr_that_it_runs_headless(cli, tmp_path):
    server = Running(cli.start("--port", "0", "--data-dir", str(tmp_path / "d")))
    assert server.stop().stderr == NO_DISPLAY


def test_without_a_display_it_still_serves(cli, tmp_path):
    proc = cli.start("--port", "0", "--data-dir", str(tmp_path / "d"))
    match = READY.fullmatch(proc.stdout.readline())
    assert match
    response = requests.get(match.group(1) + "/healthz", timeout=10)
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_a_display_nothing_answers_on_gives_one_notice_and_one_ready_line(cli, tmp_path):
    number = unused_display_number()
    server = Running(cli.start("--port", "0", "--data-dir", str(tmp_path / "d"),
                               DISPLAY=f":{number}"))
    stopped = server.stop()
    assert "pocket-op listening on" not in stopped.stdout
    assert re.fullmatch(rf"pocket-op: no window \(cannot reach the X display :{number} "
                        r"\([^()]+\)\); running headless\n", stopped.stderr)


def unused_display_number() -> int:
    """An X display number no server listens on (its socket, abstract or not, refuses)."""
    for number in range(4700, 4800):
        with socket.socket(socket.AF_UNIX) as sock:
            try:
                sock.connect(f"\0/tmp/.X11-unix/X{number}")
            except OSError:
                if not os.path.exists(f"/tmp/.X11-unix/X{number}"):
                    return number
    raise AssertionError("every display number from 4700 is taken")
