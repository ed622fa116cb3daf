"""Plain ``pocket-op`` (no ``serve``) wants a window; without one it says so in one line on
stderr and serves headless, ready line first."""

from __future__ import annotations

import importlib.util
import sys

import pytest
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


@pytest.mark.skipif(sys.platform != "linux"
                    or any(importlib.util.find_spec(name) for name in ("gi", "qtpy")),
                    reason="a Linux GUI toolkit is installed (or this is not Linux)")
def test_with_a_display_but_no_gui_toolkit_it_prints_one_ready_line_and_one_notice(cli,
                                                                                  tmp_path):
    server = Running(cli.start("--port", "0", "--data-dir", str(tmp_path / "d"),
                               DISPLAY=":99"))
    stopped = server.stop()
    assert "pocket-op listening on" not in stopped.stdout
    assert stopped.stderr == (
        "pocket-op: no window (You must have either QT or GTK with Python extensions installed "
        "in order to use pywebview.); running headless\n")
