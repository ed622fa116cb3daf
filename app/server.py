"""Serving with Waitress: bind first (so a busy port fails before anything is written),
then build the app, print the ready line, serve until SIGINT/SIGTERM, shut down cleanly."""

from __future__ import annotations

import errno
import signal
import socket
import sys
import threading
from collections.abc import Callable

from flask import Flask
from waitress import wasyncore
from waitress.server import create_server

from .errors import StartupError


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


class Server:
    """A Waitress server over an already bound socket."""

    def __init__(self, app: Flask, sock: socket.socket, threads: int = 8):
        self.app = app
        self.host, self.port = sock.getsockname()[:2]
        self.waitress = create_server(
            app, sockets=[sock], threads=threads, ident="pocket-op",
            channel_timeout=60, cleanup_interval=10, connection_limit=1000,
            max_request_body_size=1_048_576, expose_tracebacks=False,
        )
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
        self.app.store.close()

    def close(self) -> None:
        self.waitress.close()
        for channel in list(self.waitress._map.values()):
            channel.close()
        self.app.store.close()


def announce(server: Server, report: list[str]) -> None:
    """The ready line first (scripts wait for it), then the once-only first-start lines."""
    print(f"pocket-op listening on {server.url}", flush=True)
    for line in report:
        print(line, flush=True)
    sys.stdout.flush()
