"""Raw HTTP for the fuzz tests, and the invariants every response must hold.

Requests are written byte by byte on a fresh socket (``requests`` and ``http.client`` refuse
invalid bytes in URLs and headers, which is exactly what a fuzzer wants to send); the reply
is parsed with ``http.client``. Each reply is then checked: never a 5xx, never a stack trace
or an internal path, the spec's error shape (JSON ``error`` and ``error_description``, or an
HTML page) and, for redirects, a target the client registered.
"""

from __future__ import annotations

import http.client
import json
import re
import socket
from dataclasses import dataclass
from urllib.parse import quote_from_bytes, urlsplit

from app.server import SERVER_ERROR, WAITRESS_ERRORS

#: Words that only appear in a response when Python's internals leak into it.
LEAKS = ("Traceback", 'File "', "/work/", "site-packages", "dist-packages", "/usr/lib/python",
         "<class '", " object at 0x", "binascii", "werkzeug.", "authlib.", "joserfc.",
         "peewee.", "sqlite3.")
#: Python exception class names (``ValueError``, ``JoseError``, ``InvalidRequestError``...).
EXCEPTION_NAME = re.compile(r"\b(?:[A-Z][a-z0-9]+)+(?:Error|Exception|Warning)\b")
#: Redirect targets the fuzzed clients registered: (scheme, host, port or None=any, path).
REDIRECT_TARGETS = {("http", "localhost", 3000, "/callback"),
                    ("http", "127.0.0.1", None, "/callback"), ("http", "::1", None, "/callback")}
#: The JSON errors Waitress writes itself (``app.server``), before the app sees the request.
WAITRESS_BODIES = {json.dumps({"error": error, "error_description": description}).encode()
                   for error, description in (*WAITRESS_ERRORS.values(), SERVER_ERROR)}
TIMEOUT = 20.0


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    sent: bytes
    method: str
    target: bytes
    host: bytes = b""
    server_log: str = ""

    @property
    def mimetype(self) -> str:
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()

    def describe(self) -> str:
        return (f"{self.method} {self.target[:300]!r} -> {self.status} {self.mimetype}\n"
                f"request: {self.sent[:1500]!r}\nbody: {self.body[:1500]!r}"
                + (f"\nserver log:\n{self.server_log}" if self.server_log else ""))


class Wire:
    """Sends raw requests to one live server and counts them (for the long mode's report)."""

    count = 0  # requests checked in this process, over every Wire

    def __init__(self, server, errors=None):
        self.server = server
        self.errors = errors  # a handler holding the tracebacks the server logged
        self.host = f"{server.server.host}:{server.server.port}".encode()

    def send(self, method: str, target: bytes | str, headers: list[tuple[bytes, bytes]] = (),
             body: bytes = b"", host: bytes | None = None) -> Reply:
        """One request on its own connection (Connection: close); Content-Length is always
        the body's real length, so the server never waits for bytes that do not come."""
        if isinstance(target, str):
            target = target.encode()
        lines = [method.encode() + b" " + target + b" HTTP/1.1",
                 b"Host: " + (self.host if host is None else host)]
        lines += [name + b": " + value for name, value in headers]
        if body or method in ("POST", "PUT", "PATCH"):
            lines.append(b"Content-Length: " + str(len(body)).encode())
        lines.append(b"Connection: close")
        raw = b"\r\n".join(lines) + b"\r\n\r\n" + body
        sock = socket.create_connection((self.server.server.host, self.server.server.port),
                                        timeout=TIMEOUT)
        try:
            sock.sendall(raw)
            response = http.client.HTTPResponse(sock, method=method)
            response.begin()
            reply = Reply(response.status, response.headers, response.read(), raw, method,
                          target, self.host if host is None else host)
        finally:
            sock.close()
        if reply.status >= 500 and self.errors is not None:
            reply.server_log = "\n".join(self.errors.records[-1:])
        Wire.count += 1
        return reply


# Encoding parameters, as a browser would (quote) or as nobody should (raw bytes).

def encode_pairs(pairs: list[tuple[bytes, bytes, str]]) -> bytes:
    """``key=value&...`` where each pair says how to encode itself: ``quote`` (proper
    percent-encoding), ``raw`` (bytes as they are, only the separators escaped) or
    ``bare`` (a key without ``=``)."""
    out = []
    for key, value, mode in pairs:
        if mode == "quote":
            out.append(quote_from_bytes(key, safe="") + "=" + quote_from_bytes(value, safe=""))
            continue
        key_raw, value_raw = escape_separators(key), escape_separators(value)
        out.append((key_raw if mode == "bare" else key_raw + b"=" + value_raw).decode("latin-1"))
    return "&".join(out).encode("latin-1")


def escape_separators(data: bytes) -> bytes:
    """Raw bytes, but never ones that would end the request line or split a pair."""
    # Stray and broken percent-escapes stay: they are part of the fuzz.
    for byte in (b"&", b"=", b"#", b" ", b"\r", b"\n"):
        data = data.replace(byte, b"%" + byte.hex().upper().encode())
    return data


# The invariants.

def check_no_leak(reply: Reply) -> None:
    assert reply.status < 500, reply.describe()
    text = reply.body.decode("utf-8", "replace")
    sent = reply.sent.decode("utf-8", "replace")
    for marker in LEAKS:
        # A marker the request itself carried may come back escaped or reflected: not a leak.
        assert marker not in text or marker in sent, f"{marker!r} leaked\n{reply.describe()}"
    for name in EXCEPTION_NAME.findall(text):
        assert name in sent, f"exception name {name!r} leaked\n{reply.describe()}"


def by_waitress(reply: Reply) -> bool:
    """Waitress refused the bytes before the app saw them (its own JSON error)."""
    return reply.body in WAITRESS_BODIES


def check_json_error(reply: Reply) -> None:
    """STYLE.md / RFC 6749 §5.2: one JSON error shape, ``error`` and ``error_description``."""
    assert reply.mimetype == "application/json", reply.describe()
    body = json.loads(reply.body)
    assert isinstance(body, dict), reply.describe()
    assert isinstance(body.get("error"), str) and body["error"], reply.describe()
    assert isinstance(body.get("error_description"), str), reply.describe()
    # RFC 6749 §5.2: error and error_description are limited to %x20-21 / %x23-5B / %x5D-7E.
    for key in ("error", "error_description"):
        assert all(0x20 <= ord(c) <= 0x7E and c not in '"\\' for c in body[key]), \
            f"{key} has characters outside RFC 6749's set\n{reply.describe()}"


def check_json_endpoint(reply: Reply) -> None:
    check_no_leak(reply)
    if reply.method == "HEAD":
        return
    if 400 <= reply.status < 500:
        check_json_error(reply)
    assert not 300 <= reply.status < 400, reply.describe()


def check_html(reply: Reply) -> None:
    assert reply.mimetype == "text/html", reply.describe()
    assert reply.body.lstrip().lower().startswith(b"<!doctype html"), reply.describe()


def redirect_target(uri: str) -> tuple:
    """(scheme, host, port, path), the port None for loopback IPs (RFC 8252 §7.3)."""
    parts = urlsplit(uri)
    loopback = parts.hostname in ("127.0.0.1", "::1")
    return parts.scheme, parts.hostname, None if loopback else parts.port, parts.path


def check_redirect(reply: Reply, registered: tuple[str, ...] = ()) -> None:
    """RFC 9700 §4.11: a redirect only ever goes to a URI the client registered (the demo
    clients' or ``registered``), or stays on the server (e.g. Werkzeug's canonical-path
    redirect for ``//`` in a path)."""
    location = reply.headers.get("Location", "")
    parts = urlsplit(location)
    if not parts.scheme and not parts.netloc and location.startswith("/"):
        return
    if parts.netloc.encode("latin-1", "replace") == reply.host:
        return
    allowed = REDIRECT_TARGETS | {redirect_target(uri) for uri in registered}
    assert redirect_target(location) in allowed, \
        f"redirect to an unregistered target\n{reply.describe()}\nLocation: {location}"


def check_page(reply: Reply, registered: tuple[str, ...] = ()) -> None:
    """Interactive endpoints (authorization, login, consent): an HTML page, a redirect to
    a registered redirect URI, or (for HTTP-level refusals such as 405 and 413) the JSON
    error shape."""
    check_no_leak(reply)
    if reply.method == "HEAD" or reply.status == 204:
        return
    if reply.method == "OPTIONS" and reply.status == 200 and not reply.body:
        return  # Flask's automatic answer: the allowed methods, no body
    if 300 <= reply.status < 400:
        check_redirect(reply, registered)
    elif reply.mimetype == "application/json":
        assert reply.status >= 400, reply.describe()
        check_json_error(reply)
    else:
        check_html(reply)
