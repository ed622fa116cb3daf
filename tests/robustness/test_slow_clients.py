"""Slow clients: a connection that stays silent for ``request_timeout`` seconds (half a
request sent, or an idle keep-alive) is closed, so stalled clients cannot hold the server's
connections forever."""

import time

import pytest

from tests.robustness.wire import connect, read_all

TIMEOUT = 1  # seconds: request_timeout for these tests


@pytest.fixture
def server(fresh_server):
    return fresh_server(request_timeout=TIMEOUT)


def closed_after(server, raw: bytes) -> float:
    """Send ``raw`` and wait for the server to close: seconds taken, and nothing answered."""
    with connect(server, timeout=10) as sock:
        sock.sendall(raw)
        started = time.monotonic()
        assert read_all(sock) == b""
        return time.monotonic() - started


def test_half_a_request_line_is_dropped_after_the_timeout(server):
    assert TIMEOUT <= closed_after(server, b"GET /heal") < TIMEOUT + 3


def test_headers_without_their_end_are_dropped_after_the_timeout(server):
    head = b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n"
    assert TIMEOUT <= closed_after(server, head) < TIMEOUT + 3


def test_a_body_shorter_than_declared_is_dropped_after_the_timeout(server):
    raw = b"POST /token HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\ngrant_type="
    assert TIMEOUT <= closed_after(server, raw) < TIMEOUT + 3


def test_a_silent_connection_is_dropped_after_the_timeout(server):
    assert TIMEOUT <= closed_after(server, b"") < TIMEOUT + 3


def test_a_client_within_the_timeout_is_served(server):
    with connect(server) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n")
        time.sleep(TIMEOUT / 2)
        sock.sendall(b"Connection: close\r\n\r\n")
        assert read_all(sock).startswith(b"HTTP/1.1 200")
