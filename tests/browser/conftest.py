"""Browser fixtures: the ``browser`` and ``page`` of ``tests/chromium.py`` (shared with the
admin screen tests), and a loopback catcher standing in for the client's redirect_uri."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class RedirectCatcher:
    """Answers every request on 127.0.0.1:PORT with 200 "ok" (or the HTML page set for its
    path in ``pages``) and keeps the GET paths and the POSTed bodies.

    A playwright route cannot stand in for the redirect_uri: routes never see the target of
    a 302 (playwright's own test "should not work with redirects"), and the authorization
    response is exactly such a target."""

    def __init__(self):
        self.posted: list[str] = []
        self.requested: list[str] = []  # path and query of each GET
        self.pages: dict[str, str] = {}  # path -> HTML served there (a page of the RP)
        catcher = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                catcher.requested.append(self.path)
                self.answer()

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                catcher.posted.append(self.rfile.read(length).decode())
                self.answer()

            def answer(self):
                page = catcher.pages.get(self.path)
                body = b"ok" if page is None else page.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain" if page is None else "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture
def catcher():
    """The client's side of the redirect: ``catcher.url`` is a loopback origin to register."""
    catcher = RedirectCatcher()
    yield catcher
    catcher.stop()
