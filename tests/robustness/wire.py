"""Raw HTTP over a socket, for the requests a well-behaved client library would not send:
oversized declarations, half requests, stalls."""

from __future__ import annotations

import json
import socket
from urllib.parse import urlsplit


def connect(server, timeout: float = 10) -> socket.socket:
    parts = urlsplit(server.url)
    return socket.create_connection((parts.hostname, parts.port), timeout=timeout)


def read_all(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


def exchange(server, raw: bytes, timeout: float = 10) -> tuple[int, dict, bytes]:
    """Send ``raw``, read until the server closes: (status, headers, body)."""
    with connect(server, timeout) as sock:
        sock.sendall(raw)
        return parse(read_all(sock))


def parse(response: bytes) -> tuple[int, dict, bytes]:
    head, _, body = response.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines)
    return int(status_line.split()[1]), {k.lower(): v for k, v in headers.items()}, body


def json_body(body: bytes) -> dict:
    return json.loads(body)
