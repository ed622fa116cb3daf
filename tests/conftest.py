"""Shared fixtures: settings in a temporary data dir, the real server on 127.0.0.1:0 in
this process (Waitress on a thread), and the real command line in a child process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from app import config, create_app
from app.server import Server, bind_socket

ROOT = Path(__file__).resolve().parent.parent
#: ``browser`` and ``page`` for every folder of browser tests: one Chromium per session.
pytest_plugins = ("tests.chromium",)


def make_settings(data_dir: Path, **overrides) -> config.Settings:
    flags = {"data_dir": str(data_dir), "port": 0, **overrides}
    environ = {"POCKET_OP_LOG_DIR": str(data_dir.parent / "logs")}
    return config.load(flags, environ)


class LiveServer:
    """The real app behind Waitress on an ephemeral loopback port; ``extend(app)`` adds to
    the app before it serves (as ``pocket-op`` adds the admin screens)."""

    def __init__(self, data_dir: Path, extend=None, **overrides):
        settings = make_settings(data_dir, **overrides)
        sock = bind_socket(settings.host, settings.port)
        self.settings = settings.with_port(sock.getsockname()[1])
        self.app = create_app(self.settings)
        if extend is not None:
            extend(self.app)
        self.store = self.app.store
        self.server = Server(self.app, sock, threads=4).start()
        self.url = self.server.url
        self.issuer = self.settings.issuer

    def get(self, path: str, **kwargs) -> requests.Response:
        return requests.get(self.url + path, timeout=10, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return requests.post(self.url + path, timeout=10, **kwargs)

    def http_request(self, method: str, path: str, host: str, **kwargs) -> requests.Response:
        """A request naming ``host`` in its Host header (as a DNS-rebinding page would)."""
        return requests.request(method, self.url + path, headers={"Host": host}, timeout=10,
                                allow_redirects=False, **kwargs)

    @property
    def port(self) -> int:
        return self.settings.port

    def stop(self) -> None:
        self.server.stop()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """One server for the read-only tests of a session."""
    server = LiveServer(tmp_path_factory.mktemp("live") / "data")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def seeded_data_dir(tmp_path_factory) -> Path:
    """A data dir after its first start (keys generated, demo data seeded), to copy: a
    fresh server then costs a file copy instead of key generation."""
    server = LiveServer(tmp_path_factory.mktemp("seeded") / "data")
    server.stop()
    server.store.db.connect(reuse_if_open=True)
    server.store.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    server.store.close()
    return Path(server.settings.data_dir)


@pytest.fixture
def fresh_server(tmp_path, seeded_data_dir):
    """A server of its own (a copy of a seeded data dir), for tests that change state."""
    servers = []

    def start(**overrides) -> LiveServer:
        data_dir = tmp_path / f"data{len(servers)}"
        shutil.copytree(seeded_data_dir, data_dir)
        server = LiveServer(data_dir, **overrides)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def demo_server(fresh_server):
    """A fresh server whose demo-web and demo-machine secrets are ``flows.TEST_SECRET``."""
    from tests.flows import TEST_SECRET

    server = fresh_server()
    for client_id in ("demo-web", "demo-machine"):
        server.store.save_client_secret(client_id, TEST_SECRET)
    return server


class Cli:
    """``pocket-op`` as a child process, with its own log dir and no display."""

    def __init__(self, tmp_path: Path):
        self.tmp_path = tmp_path
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith("POCKET_OP_") and k not in ("DISPLAY", "WAYLAND_DISPLAY")}
        self.env["POCKET_OP_LOG_DIR"] = str(tmp_path / "logs")
        self.env["PYTHONUNBUFFERED"] = "1"

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "ui.main", *args]

    def run(self, *args: str, timeout: float = 20, **env: str) -> subprocess.CompletedProcess:
        return subprocess.run(self.command(*args), env={**self.env, **env}, cwd=ROOT,
                              capture_output=True, text=True, timeout=timeout)

    def start(self, *args: str, **env: str) -> subprocess.Popen:
        return subprocess.Popen(self.command(*args), env={**self.env, **env}, cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    @staticmethod
    def wait_ready(proc: subprocess.Popen, timeout: float = 20) -> str:
        """Read the first stdout line (the ready line) and return the URL it names."""
        deadline = time.monotonic() + timeout
        line = proc.stdout.readline()
        if not line:
            proc.kill()
            raise AssertionError(f"no ready line; stderr: {proc.stderr.read()}")
        assert time.monotonic() < deadline
        prefix = "pocket-op listening on "
        assert line.startswith(prefix), line
        return line[len(prefix):].strip()


@pytest.fixture
def cli(tmp_path):
    started: list[subprocess.Popen] = []
    helper = Cli(tmp_path)
    original = helper.start

    def start(*args, **env):
        proc = original(*args, **env)
        started.append(proc)
        return proc

    helper.start = start
    yield helper
    for proc in started:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        for stream in (proc.stdout, proc.stderr):
            stream.close()
