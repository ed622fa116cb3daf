"""The data and log dirs are the user's alone: dirs 0700, files 0600, whatever the umask,
and modes an older version left open are repaired at the next start (issue 10)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():
    """The test starts the server under umask 022 (group and others may read)."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def run_once(serve, cli, data_dir: Path) -> None:
    server = serve(data_dir)
    assert server.post("/token", data={"grant_type": "client_credentials"}).status_code == 401
    server.stop()


def test_a_new_data_dir_and_its_files_are_private(serve, cli, tmp_path, open_umask):
    data_dir = tmp_path / "d"
    server = serve(data_dir)
    server.get("/.well-known/openid-configuration")
    files = {path.name: mode(path) for path in data_dir.iterdir()}
    log_dir = Path(cli.env["POCKET_OP_LOG_DIR"])
    log_files = {path.name: mode(path) for path in log_dir.iterdir()}
    server.stop()
    assert mode(data_dir) == 0o700
    assert mode(log_dir) == 0o700
    assert "pocket-op.db-wal" in files
    assert files and all(value == 0o600 for value in files.values()), files
    assert "pocket-op.log" in log_files
    assert all(value == 0o600 for value in log_files.values()), log_files


def test_modes_left_open_are_repaired_at_the_next_start(serve, cli, tmp_path, open_umask):
    data_dir = tmp_path / "d"
    run_once(serve, cli, data_dir)
    log_dir = Path(cli.env["POCKET_OP_LOG_DIR"])
    for path in (data_dir, log_dir):
        path.chmod(0o755)
    for path in [*data_dir.iterdir(), *log_dir.iterdir()]:
        path.chmod(0o644)
    run_once(serve, cli, data_dir)
    assert mode(data_dir) == 0o700 and mode(log_dir) == 0o700
    opened = {path.name: mode(path) for path in [*data_dir.iterdir(), *log_dir.iterdir()]}
    assert all(value == 0o600 for value in opened.values()), opened
