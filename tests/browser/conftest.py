"""Browser fixtures: Debian's Chromium driven by playwright (sync API), one browser for the
session, a new context (so new cookies) for every test, and a loopback catcher standing in
for the client's redirect_uri.

``playwright install`` is never needed: the tests launch /usr/bin/chromium, which
build/test.sh installs with apt."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--disable-quic"]
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium for the whole session. Missing Chromium is a failure, not a skip:
    build/test.sh (and so CI) installs it."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package "
                    "(build/test.sh does: apt-get install chromium)", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A page in a context of its own: no cookie or storage leaks between tests."""
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    page.close()
    context.close()


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
