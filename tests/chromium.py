"""Chromium for every browser test (tests/browser, tests/ui): Debian's /usr/bin/chromium
driven by playwright (sync API), one browser for the whole session (playwright's sync API
allows one at a time), a new context (so new cookies) for every test. Registered once, by
the root conftest's ``pytest_plugins``.

``playwright install`` is never needed: build/test.sh installs Debian's chromium with apt."""

from __future__ import annotations

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
