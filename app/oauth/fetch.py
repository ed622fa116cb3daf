"""Fetching what a client registered by reference (``jwks_uri``, ``sector_identifier_uri``,
``request_uri``): only from loopback hosts or hosts the ``fetch_allowed_hosts`` setting
names, never from the OP itself, within one deadline for the whole fetch, with a size cap
and at most MAX_CONCURRENT fetches at once, so a client can neither make the OP reach
anywhere nor hold its worker threads.

RFC 9101 §10.4.1 (DDoS attack on the authorization server through request_uri): check that
the URI "does not point to an unexpected location", "implement a time-out for obtaining
the content of request_uri", "not perform recursive GET": https://www.rfc-editor.org/rfc/rfc9101

What reaches the client is one generic sentence (or a fact about the URL it sent itself):
telling "connection refused" from "HTTP 401" would make the OP a port scanner of whatever
it can reach. What happened goes to the event ``fetch.failed`` (the log and Logs screen).
"""

from __future__ import annotations

import http.client
import io
import ipaddress
import json
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from typing import Any
from urllib.parse import SplitResult, urlsplit

from flask import current_app

from ..events import emit

#: Seconds for the whole fetch: connect, TLS handshake, request, headers and body.
TIMEOUT = 3.0
#: Largest body accepted.
MAX_BYTES = 256 * 1024
#: Fetches under way at once, process-wide: well below the worker threads (8 by default).
MAX_CONCURRENT = 2
#: Seconds a fetch waits for one of the MAX_CONCURRENT slots before it fails.
SLOT_WAIT = 0.5
#: All a client is told when the far side failed, whatever the reason.
GENERIC = "could not be fetched"

SLOTS = threading.BoundedSemaphore(MAX_CONCURRENT)


class FetchError(Exception):
    """The document could not be fetched. ``str()`` is what a client may read; ``reason``
    is what happened, for the developer (the ``fetch.failed`` event)."""

    def __init__(self, message: str, reason: str | None = None):
        super().__init__(message)
        self.reason = reason or message


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts() -> set[str]:
    value = current_app.settings.get("fetch_allowed_hosts", "") or ""
    return {host.strip().lower() for host in value.split(",") if host.strip()}


def port_of(parts: SplitResult) -> int | None:
    """The URL's port, its scheme's default when it names none; None when invalid."""
    try:
        return parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return None


def check_own_address(host: str, port: int | None) -> bool:
    """Whether ``host:port`` is this OP: its issuer's host and port, or the address it
    listens on (any loopback name for a loopback or wildcard listener). Fetching ourselves
    would hold one worker thread waiting for another."""
    settings = current_app.settings
    issuer = urlsplit(settings.issuer)
    if (host, port) == ((issuer.hostname or "").lower(), port_of(issuer)):
        return True
    listen = str(settings.host).strip("[]").lower()
    wildcard = listen in ("0.0.0.0", "::", "")
    return port == settings.port and (host == listen or wildcard
                                      or (is_loopback(host) and is_loopback(listen)))


def check_fetchable(url: str) -> None:
    """Raise FetchError unless ``url`` is http(s) on a loopback or allowed host, not this
    OP. The messages are facts about the URL alone, fine for the client to read; they do not
    quote it (RFC 6749 §5.2 error_description excludes '"' and '\\')."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if (parts.scheme not in ("http", "https") or not host or port_of(parts) is None
            or not url.isascii() or any(c <= " " or c == "\x7f" for c in url)):
        raise FetchError("not an http(s) URL", f"{url!r} is not an http(s) URL")
    if not (is_loopback(host) or host in allowed_hosts()):
        raise FetchError("the host is neither loopback nor in the fetch_allowed_hosts setting",
                         f"{host} is neither loopback nor in the fetch_allowed_hosts setting")
    if check_own_address(host, port_of(parts)):
        raise FetchError("the URL points at this OP itself", f"{url} points at this OP itself")


def remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchError(GENERIC, f"no complete answer within {TIMEOUT:g} s")
    return left


def connect(parts: SplitResult, deadline: float) -> socket.socket:
    """A socket to the URL's host, TLS for https, refused if it reached this OP after all
    (a name of an allowed host resolving to our address)."""
    sock = socket.create_connection((parts.hostname, port_of(parts)), remaining(deadline))
    try:
        peer_host, peer_port = sock.getpeername()[:2]
        if check_own_address(peer_host.lower(), peer_port):
            raise FetchError(GENERIC, f"{parts.hostname} resolves to this OP itself")
        if parts.scheme == "https":
            context = ssl.create_default_context()
            sock = context.wrap_socket(sock, server_hostname=parts.hostname,
                                       do_handshake_on_connect=False)
            sock.settimeout(remaining(deadline))  # CPython bounds the whole handshake by it
            sock.do_handshake()
    except BaseException:
        sock.close()
        raise
    return sock


class DeadlineReader(io.RawIOBase):
    """The socket as http.client reads it (status line, headers, body): each read may
    wait only for what is left of the fetch's deadline, so trickling bytes buys nothing."""

    def __init__(self, sock: socket.socket, deadline: float):
        super().__init__()
        self.sock, self.deadline = sock, deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        self.sock.settimeout(remaining(self.deadline))
        return self.sock.recv_into(buffer)

    def makefile(self, mode: str = "rb") -> io.BufferedReader:
        return io.BufferedReader(self)


def request_bytes(parts: SplitResult, accept: str) -> bytes:
    """One GET, the connection closed after it."""
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    host = parts.netloc.rpartition("@")[2]
    return (f"GET {target} HTTP/1.1\r\nHost: {host}\r\nAccept: {accept}\r\n"
            "User-Agent: pocket-op\r\nConnection: close\r\n\r\n").encode("ascii")


def download(url: str, accept: str) -> bytes:
    """GET ``url``: no redirects, done within TIMEOUT in all, at most MAX_BYTES of body."""
    parts, deadline = urlsplit(url), time.monotonic() + TIMEOUT
    try:
        with connect(parts, deadline) as sock:
            sock.settimeout(remaining(deadline))
            sock.sendall(request_bytes(parts, accept))
            with http.client.HTTPResponse(DeadlineReader(sock, deadline),
                                          method="GET") as response:
                response.begin()
                if not 200 <= response.status < 300:  # a redirect is not followed either
                    raise FetchError(GENERIC, f"HTTP {response.status} {response.reason}")
                body = response.read(MAX_BYTES + 1)
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise FetchError(GENERIC, f"{type(exc).__name__}: {exc}") from None
    if len(body) > MAX_BYTES:
        raise FetchError(GENERIC, f"larger than {MAX_BYTES} bytes")
    return body


@contextmanager
def reported(url: str):
    """A FetchError raised inside becomes the event ``fetch.failed`` with its reason."""
    try:
        yield
    except FetchError as exc:
        emit("fetch.failed", url=url, reason=exc.reason)
        raise


def fetch_bytes(url: str, accept: str) -> bytes:
    """GET ``url`` in one of the MAX_CONCURRENT slots, failing fast when none frees up."""
    with reported(url):
        check_fetchable(url)
        if not SLOTS.acquire(timeout=SLOT_WAIT):
            raise FetchError(GENERIC, f"{MAX_CONCURRENT} fetches already under way")
        try:
            return download(url, accept)
        finally:
            SLOTS.release()


def fetch_json(url: str) -> Any:
    """GET ``url`` and parse it as JSON."""
    body = fetch_bytes(url, "application/json")
    with reported(url):
        try:
            return json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise FetchError(GENERIC, "the body is not JSON") from None


def fetch_text(url: str, accept: str) -> str:
    """GET ``url`` and return its body as (ASCII or UTF-8) text, surrounding blanks removed."""
    body = fetch_bytes(url, accept)
    with reported(url):
        try:
            return body.decode("utf-8").strip()
        except UnicodeDecodeError:
            raise FetchError(GENERIC, "the body is not UTF-8 text") from None


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect could lead off the allowed hosts: refuse it (backchannel.py's POSTs)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise urllib.error.URLError(f"redirect to {newurl} refused")
