"""Fixtures of the desktop tests: an X server (Xvfb on a free display number, started and
stopped by its PID), and ``pocket-op`` as a child process on that display, from
the source tree or from a bundle. Each child is bounded by a timeout and killed by PID."""

from __future__ import annotations

import importlib.util
import json
import os
import select
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

SCREENSHOTS = ROOT / "tests" / "ui" / "screenshots"  # git-ignored, kept for review
PROBE_TIMEOUT = 90  # seconds a child may take at most


def qt_missing() -> str | None:
    if importlib.util.find_spec("PyQt6") is None or importlib.util.find_spec(
            "PyQt6.QtWebEngineWidgets") is None:
        return "PyQt6-WebEngine is not installed (pip install -e .[test])"
    if shutil.which("Xvfb") is None:
        return "Xvfb is not installed (build/test.sh installs it)"
    return None


@pytest.fixture(scope="session")
def xdisplay():
    """An Xvfb display for the session: ':N'."""
    missing = qt_missing()
    if missing:
        pytest.skip(missing)
    proc, display, pipe = start_xvfb()
    yield display
    assert proc.poll() is None, f"Xvfb {display} ended early with {proc.returncode}"
    proc.terminate()
    proc.wait(10)
    os.close(pipe)


def read_line(fd: int, timeout: float) -> str:
    data, deadline = b"", time.monotonic() + timeout
    while not data.endswith(b"\n") and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], max(0, deadline - time.monotonic()))
        chunk = os.read(fd, 32) if ready else b""
        if not chunk:
            break
        data += chunk
    return data.decode().strip()


def start_xvfb() -> tuple[subprocess.Popen, str, int]:
    """Xvfb on a free display number away from the usual ones (:0, :99): (process, ':N', the
    pipe it reported on). The pipe stays open while Xvfb runs: Xvfb ends when it cannot
    write there (it writes the number and the newline apart, and again after a reset)."""
    first = 200 + os.getpid() % 500
    for number in range(first, first + 50):
        if os.path.exists(f"/tmp/.X{number}-lock") or answers(str(number)):
            continue
        read_end, write_end = os.pipe()
        proc = subprocess.Popen(
            ["Xvfb", f":{number}", "-displayfd", str(write_end), "-screen", "0", "1280x800x24",
             "-nolisten", "tcp"],
            pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write_end)
        if read_line(read_end, 30) == str(number) and answers(str(number)):
            return proc, f":{number}", read_end
        proc.kill()
        proc.wait(10)
        os.close(read_end)
    raise AssertionError(f"Xvfb did not start on any display from :{first}")


def answers(number: str) -> bool:
    """Whether X display ``number`` accepts connections on its unix socket."""
    with socket.socket(socket.AF_UNIX) as sock:
        try:
            sock.connect(f"/tmp/.X11-unix/X{number}")
        except OSError:
            return False
    return True


def parse_probe(stdout: str) -> dict:
    lines = [line for line in stdout.splitlines() if line.startswith("PROBE ")]
    assert len(lines) == 1, stdout
    return json.loads(lines[0][len("PROBE "):])


class Desktop:
    """``pocket-op`` in a child process with ``display`` (None: no display at all)."""

    def __init__(self, tmp_path: Path, display: str | None, command: list[str] | None = None):
        self.tmp_path = tmp_path
        self.command = command or [sys.executable, "-m", "ui.main"]
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("POCKET_OP_", "QT_")) and k not in (
                        "DISPLAY", "WAYLAND_DISPLAY", "QTWEBENGINE_DISABLE_SANDBOX")}
        self.env["POCKET_OP_LOG_DIR"] = str(tmp_path / "logs")
        self.env["PYTHONUNBUFFERED"] = "1"
        if display:
            self.env["DISPLAY"] = display
        self.started: list[subprocess.Popen] = []

    def run(self, *args: str, timeout: float = PROBE_TIMEOUT, cwd: Path = ROOT,
            **env: str) -> subprocess.CompletedProcess:
        return subprocess.run([*self.command, *args], env={**self.env, **env}, cwd=cwd,
                              capture_output=True, text=True, timeout=timeout)

    def start(self, *args: str, **env: str) -> subprocess.Popen:
        proc = subprocess.Popen([*self.command, *args], env={**self.env, **env}, cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.started.append(proc)
        return proc

    def probe(self, data_dir: Path, *args: str, **env: str) -> tuple[int, str, dict, str]:
        """``pocket-op --probe``: (exit code, URL of the ready line, PROBE json, stderr)."""
        done = self.run("--probe", "--port", "0", "--data-dir", str(data_dir), *args, **env)
        first = done.stdout.splitlines()[0] if done.stdout else ""
        url = first.removeprefix("pocket-op listening on ")
        return done.returncode, url, parse_probe(done.stdout), done.stderr

    def stop_all(self) -> None:
        for proc in self.started:
            if proc.poll() is None:
                proc.kill()
                proc.wait(10)
            for stream in (proc.stdout, proc.stderr):
                if stream:
                    stream.close()


@pytest.fixture
def desktop(tmp_path, xdisplay):
    helper = Desktop(tmp_path, xdisplay)
    yield helper
    helper.stop_all()


@pytest.fixture
def no_display(tmp_path):
    helper = Desktop(tmp_path, None)
    yield helper
    helper.stop_all()


def read_ready_line(proc: subprocess.Popen) -> str:
    """The URL of the first stdout line (the ready line), read without buffering."""
    data = b""
    while not data.endswith(b"\n"):
        byte = os.read(proc.stdout.fileno(), 1)
        if not byte:
            break
        data += byte
    line = data.decode()
    prefix = "pocket-op listening on "
    assert line.startswith(prefix), (line, proc.poll())
    return line[len(prefix):].strip()


def wait_for(check, timeout: float = 30, what: str = "the condition"):
    """Poll ``check()`` until it returns something truthy (bounded)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"{what} did not happen within {timeout} s")


def lock_of(data_dir: Path) -> dict:
    try:
        return json.loads((data_dir / "pocket-op.lock").read_text())
    except (OSError, ValueError):
        return {}


def port_closed(url: str) -> bool:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname, parts.port), timeout=2).close()
    except OSError:
        return True
    return False
