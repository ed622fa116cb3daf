"""A log line per request (method, path, status, duration in ms) on stdout after the ready
line and in ``pocket-op.log`` in the log dir; never a secret."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests
from cli_helpers import read_first_start_lines

STDOUT_LINE = r"\d\d:\d\d:\d\d 127\.0\.0\.1 {method} {path} {status} \d+\.\dms"
FILE_LINE = (r"\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d,\d{{3}} INFO pocket_op\.request "
             r"127\.0\.0\.1 {method} {path} {status} \d+\.\dms")
REQUESTS = [("GET", "/healthz", 200), ("GET", "/no-such-page", 404), ("POST", "/jwks", 405)]
SECRET = re.compile(r"client_secret=(\S+)|admin account: admin / (\S+)")


def log_file(cli) -> Path:
    return Path(cli.env["POCKET_OP_LOG_DIR"]) / "pocket-op.log"


@pytest.fixture
def served_and_stopped(serve, tmp_path):
    """A first start, the requests of ``REQUESTS``, then SIGTERM: what it printed."""
    server = serve(tmp_path / "d")
    for method, path, status in REQUESTS:
        assert requests.request(method, server.url + path, timeout=10).status_code == status
    return server.stop()


def test_each_request_is_logged_on_stdout_after_the_first_start_lines(served_and_stopped):
    lines = served_and_stopped.stdout.splitlines()
    admin_line = next(i for i, line in enumerate(lines) if line.startswith("admin account:"))
    patterns = [STDOUT_LINE.format(method=method, path=re.escape(path), status=status)
                for method, path, status in REQUESTS]
    assert [[re.fullmatch(pattern, line) is not None for pattern in patterns]
            for line in lines[admin_line + 1:]] == [[True, False, False],
                                                    [False, True, False],
                                                    [False, False, True]], lines


def test_each_request_is_logged_in_the_log_file(cli, served_and_stopped):
    lines = log_file(cli).read_text().splitlines()
    for method, path, status in REQUESTS:
        pattern = FILE_LINE.format(method=method, path=re.escape(path), status=status)
        assert len([line for line in lines if re.fullmatch(pattern, line)]) == 1, lines


def secrets_of(first_start_stdout: str) -> list[str]:
    found = [a or b for a, b in SECRET.findall(first_start_stdout)]
    assert len(found) == 3  # demo-web, demo-machine, admin
    return found


def test_the_log_file_holds_no_secret_shown_at_first_start(cli, serve, tmp_path):
    server = serve(tmp_path / "d")
    assert server.get("/healthz").status_code == 200
    stopped = server.stop()
    text = log_file(cli).read_text()
    assert "GET /healthz 200" in text
    for secret in secrets_of(stopped.stdout):
        assert secret not in text


def test_secrets_sent_in_requests_stay_out_of_the_logs(cli, serve, tmp_path):
    server = serve(tmp_path / "d")
    secrets = secrets_of(read_first_start_lines(server))
    web, machine, admin = secrets
    assert server.get(f"/healthz?client_secret={web}&password={admin}").status_code == 200
    assert requests.post(server.url + "/jwks", data={"client_secret": machine},
                         auth=("demo-machine", machine), timeout=10).status_code == 405
    stopped = server.stop()
    log_lines = stopped.stdout + log_file(cli).read_text()
    assert "GET /healthz 200" in log_lines
    for secret in secrets:
        assert secret not in log_lines


def test_request_rows_still_waiting_for_their_batch_are_written_on_sigterm(serve, tmp_path):
    """The Logs screen's request rows are written in batches (app.logs); a clean stop
    writes the last, short batch instead of dropping it."""
    from app.store import Store

    server = serve(tmp_path / "d")
    discovery = "/.well-known/openid-configuration"
    assert requests.get(server.url + discovery, timeout=10).status_code == 200
    server.stop()  # at once: well before the batch's 0.5 s
    store = Store.open(tmp_path / "d")
    try:
        paths = [row.fields.get("path") for row in store.find_events(event="http.request")]
    finally:
        store.close()
    assert discovery in paths
