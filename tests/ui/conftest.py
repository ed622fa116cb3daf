"""Fixtures of the admin screen tests: a fresh server that serves the screens (as
``pocket-op`` does: ``ui.admin.init_app``) with a known admin password, and a page (Chromium,
``tests/chromium.py``) signed in through the screens' own form."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

import ui.admin

ADMIN_PASSWORD = "admin-password-for-screens"
WRONG_SECRET = "not-the-secret-Q7x9"
SCREENSHOTS = Path(__file__).parent / "screenshots"


@pytest.fixture
def server(fresh_server):
    server = fresh_server(extend=ui.admin.init_app)
    server.store.save_admin_password("admin", ADMIN_PASSWORD)
    return server


def sign_in(tab: Page, server, password: str = ADMIN_PASSWORD) -> None:
    tab.goto(server.url + "/admin")
    tab.fill("input[name=username]", "admin")
    tab.fill("input[name=password]", password)
    tab.click("#sign-in button[type=submit]")


@pytest.fixture
def admin(page, server) -> Page:
    """A page signed in to the screens; confirmation dialogs are accepted."""
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, server)
    expect(page.locator("nav#screens a.current")).to_have_text("Clients")
    return page


def open_screen(tab: Page, title: str) -> None:
    tab.click(f"nav#screens >> text={title}")
    expect(tab.locator("#screen h1")).to_have_text(title)


def screenshot(tab: Page, name: str) -> None:
    """Saved for review (git-ignored): tests/ui/screenshots/NAME.png."""
    SCREENSHOTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def open_client(page, client_id: str) -> None:
    page.click(f"table.list >> text={client_id}")
    expect(page.locator("#try-it")).to_be_visible()


def failed_token_request(server) -> None:
    response = server.post("/token", data={
        "grant_type": "client_credentials", "client_id": "demo-web",
        "client_secret": WRONG_SECRET})
    assert response.status_code == 401
