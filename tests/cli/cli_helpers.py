"""Driving ``pocket-op`` as a child process: a free port, a started server with its
ready line, and stopping it by a signal while collecting what it printed."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from dataclasses import dataclass

import requests

READY = re.compile(r"pocket-op listening on (http://127\.0\.0\.1:(\d+))\n")


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Stopped:
    returncode: int
    seconds: float
    stdout: str  # everything after the ready line
    stderr: str


class Running:
    """A started ``pocket-op``: its URL, its ready line, and how to stop it."""

    def __init__(self, proc: subprocess.Popen):
        self.proc = proc
        self.ready_line = self.readline()
        match = READY.fullmatch(self.ready_line)
        if not match:
            proc.kill()
            _, err = proc.communicate(timeout=10)
            raise AssertionError(f"first stdout line {self.ready_line!r}; stderr: {err!r}")
        self.url, self.port = match.group(1), int(match.group(2))

    def readline(self) -> str:
        """One stdout line, read from the pipe byte by byte: nothing is left in a buffer
        that ``communicate`` (which reads the pipe itself) would miss."""
        data = b""
        while not data.endswith(b"\n"):
            byte = os.read(self.proc.stdout.fileno(), 1)
            if not byte:
                break
            data += byte
        return data.decode()

    def get(self, path: str, **kwargs) -> requests.Response:
        return requests.get(self.url + path, timeout=10, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return requests.post(self.url + path, timeout=10, **kwargs)

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 10) -> Stopped:
        """Send ``signum`` and wait for the exit, timing it."""
        started = time.monotonic()
        self.proc.send_signal(signum)
        out, err = self.proc.communicate(timeout=timeout)
        return Stopped(self.proc.returncode, time.monotonic() - started, out, err)


def read_first_start_lines(server: Running) -> str:
    """The first-start lines after the ready line, up to the admin account line, read
    while the server keeps running."""
    lines = []
    while not lines or not lines[-1].startswith("admin account:"):
        line = server.readline()
        assert line, f"no admin account line after {lines!r}"
        lines.append(line)
    return "".join(lines)
