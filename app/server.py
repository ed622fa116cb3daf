"""Serving with Waitress: bind first (so a busy port fails before anything is written),
then build the app, print the ready line, serve until SIGINT/SIGTERM, shut down cleanly.

Limits: a request body over ``MAX_REQUEST_BODY`` or a request line plus headers over
``MAX_REQUEST_HEADERS`` is refused by Waitress (Flask's 1 MB ``MAX_CONTENT_LENGTH`` answers
bodies first); a connection silent for ``request_timeout`` seconds (half a request, or idle
keep-alive) is closed. Waitress' own errors use the one JSON error shape."""

from __future__ import annotations

import errno
import json
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable

from flask import Flask
from waitress import wasyncore
from waitress.server import create_server

from .channel import KeepAliveChannel, OneSendErrorTask
from .errors import StartupError
from .logs import PENDING, flush_request_rows

MAX_REQUEST_BODY = 1_048_576  # bytes Waitress reads of a body at most
MAX_REQUEST_HEADERS = 65_536  # bytes of request line (query string included) and headers
CLEANUP_INTERVAL = 10  # seconds between two sweeps for silent connections, at most
LINGER_BYTES = 32 * 1_048_576  # bytes of a refused request read and dropped before closing

#: Waitress' own errors (the request never reaches the app): status -> (error, description).
WAITRESS_ERRORS = {
    400: ("invalid_request", "The request is malformed."),
    413: ("request_too_large", "The request body is too large."),
    431: ("invalid_request", "The request line and headers are too large."),
    501: ("invalid_request", "The request's 'Transfer-Encoding' is not supported."),
}
SERVER_ERROR = ("server_error", "The server hit an unexpected condition.")


def url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, or StartupError naming the port and the fix."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(1024)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise StartupError(f"port {port} on {host} is already in use",
                               "stop the program using it, or pick another with --port "
                               "(--port 0 takes a free one)") from None
        if exc.errno == errno.EADDRNOTAVAIL:
            raise StartupError(f"cannot listen on {host}: no such local address",
                               "use --host 127.0.0.1") from None
        raise StartupError(f"cannot listen on {host}:{port} ({exc.strerror})",
                           "pick another --host or --port") from None
    return sock


class JsonErrorTask(OneSendErrorTask):
    """Waitress' error response in the JSON error shape instead of its plain text; the
    connection is closed after it, as Waitress does."""

    def execute(self):
        error = self.request.error
        code, description = WAITRESS_ERRORS.get(error.code, SERVER_ERROR)
        body = json.dumps({"error": code, "error_description": description}).encode()
        self.status = f"{error.code} {error.reason}"
        self.response_headers.extend([("Content-Type", "application/json"),
                                      ("Cache-Control", "no-store")])
        self.set_close_on_finish()
        self.channel.linger_after_error = True
        self.content_length = len(body)
        self.write(body)


class JsonErrorChannel(KeepAliveChannel):
    """Waitress refuses a request (body or headers too large) before reading all of it, and
    closing a socket with unread input makes the kernel reset the connection, which can
    destroy the error response before the client reads it. So after an error response the
    channel only half-closes and drops what still arrives, until the client closes, goes
    silent for ``request_timeout`` or has sent ``LINGER_BYTES`` more (Apache's lingering
    close)."""

    error_task_class = JsonErrorTask
    linger_after_error = False
    lingering = False
    dropped = 0

    def handle_close(self):
        if self.linger_after_error and not self.lingering and self.connected:
            self.lingering, self.will_close = True, False
            self.last_activity = time.time()
            try:
                self.socket.shutdown(socket.SHUT_WR)
                return
            except OSError:
                pass
        super().handle_close()

    def received(self, data):
        if not self.lingering:
            return super().received(data)
        self.dropped += len(data)
        if self.dropped > LINGER_BYTES:
            super().handle_close()
        return True


class Server:
    """A Waitress server over an already bound socket."""

    channel_class = JsonErrorChannel

    def __init__(self, app: Flask, sock: socket.socket, threads: int = 8, lock=None):
        self.app = app
        self.lock = lock  # the data dir's InstanceLock (app.cli), released once closed
        self.host, self.port = sock.getsockname()[:2]
        timeout = app.settings.request_timeout
        self.waitress = create_server(
            app, sockets=[sock], threads=threads, ident="pocket-op",
            channel_timeout=timeout, cleanup_interval=min(CLEANUP_INTERVAL, timeout),
            connection_limit=1000, max_request_body_size=MAX_REQUEST_BODY,
            max_request_header_size=MAX_REQUEST_HEADERS, expose_tracebacks=False,
        )
        self.waitress.channel_class = self.channel_class
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{url_host(self.host)}:{self.port}"

    def run(self, on_ready: Callable[[], None] = lambda: None) -> None:
        """Serve in this (main) thread until SIGINT or SIGTERM, then shut down: stop
        accepting, let in-flight requests finish (up to 5 s), close the database.

        ``on_ready`` (the ready line and the once-only first-start lines) runs with the
        signal handlers already in place: a signal sent as soon as the ready line appears
        waits until those lines are all printed, then ends the process cleanly."""
        stopping, ready = [], []

        def stop(signum, frame):
            if not stopping:
                stopping.append(signum)
                if ready:
                    raise SystemExit(0)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            try:
                on_ready()
                ready.append(True)
                if stopping:
                    raise SystemExit(0)
                self.waitress.run()  # returns after SystemExit, once worker threads stopped
            except SystemExit:  # signalled before the loop started
                self.waitress.task_dispatcher.shutdown(timeout=5)
        finally:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            self.close()

    def start(self) -> Server:
        """Serve on a background thread (the desktop window and tests use this)."""
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve_until_stopped, name="pocket-op",
                                        daemon=True)
        self._thread.start()
        return self

    def _serve_until_stopped(self) -> None:
        """The event loop of ``start``: the same thread that polls the sockets closes them,
        so stopping never races the loop."""
        while not self._stopping.is_set():
            wasyncore.loop(timeout=0.05, map=self.waitress._map, count=1)
        self.waitress.task_dispatcher.shutdown(timeout=5)
        wasyncore.close_all(self.waitress._map)

    def stop(self) -> None:
        """Stop a server started with ``start``: finish in-flight requests, close."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(10)
        self.flush_logs()
        self.app.store.close()
        self.release_lock()

    def flush_logs(self) -> None:
        """Write the request rows still waiting for their batch (``app.logs``)."""
        if PENDING in self.app.extensions:
            with self.app.app_context():
                flush_request_rows()

    def close(self) -> None:
        self.waitress.close()
        for channel in list(self.waitress._map.values()):
            channel.close()
        self.flush_logs()
        self.app.store.close()
        self.release_lock()

    def release_lock(self) -> None:
        if self.lock is not None:
            self.lock.release()


def announce(server: Server, report: list[str]) -> None:
    """The ready line first (scripts wait for it), then the once-only first-start lines."""
    print(f"pocket-op listening on {server.url}", flush=True)
    for line in report:
        print(line, flush=True)
    sys.stdout.flush()
