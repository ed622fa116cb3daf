"""The admin shell in Chromium (``ui/admin/__init__.py``, ``shell.html``, ``shell.js``): the
page and its nav, signing in with the form (and the desktop window's launch token instead),
signing out, and nothing loaded from anywhere but the server."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import expect

from .conftest import screenshot, sign_in

SCREEN_NAMES = ["Clients", "Scopes", "Users", "Keys", "Sessions", "Enabled ACRs", "Configuration",
                "Logs"]


def test_the_page_is_titled_pocket_op_admin_and_its_nav_names_every_screen(admin):
    assert admin.title() == "pocket-op Admin"
    assert admin.locator("nav#screens a").all_inner_texts() == SCREEN_NAMES


def test_a_wrong_password_shows_an_error_and_keeps_the_form(page, server):
    sign_in(page, server, password="not-the-password")
    expect(page.locator("#sign-in .error")).to_have_text("Wrong admin username or password.")
    expect(page.locator("nav#screens")).to_be_hidden()
    expect(page.locator("input[name=password]")).to_be_visible()
    screenshot(page, "sign-in-error")


def test_the_launch_token_in_the_fragment_lets_the_page_in_without_the_form(page, server):
    token = server.app.admin_launch_token
    page.goto(f"{server.url}/admin#launch={token}")
    expect(page.locator("#screen h1")).to_have_text("Clients")
    expect(page.locator("#sign-in-screen")).to_be_hidden()
    assert token not in page.url
    page.reload()
    expect(page.locator("#screen h1")).to_have_text("Clients")


def test_signing_out_returns_to_the_form(admin):
    admin.click("#sign-out")
    expect(admin.locator("input[name=password]")).to_be_visible()
    admin.reload()
    expect(admin.locator("input[name=password]")).to_be_visible()


def test_the_shell_and_its_scripts_come_from_the_server_only(page, server):
    origins = set()
    page.on("request", lambda request: origins.add(urlsplit(request.url).netloc))
    sign_in(page, server)
    expect(page.locator("#screen h1")).to_have_text("Clients")
    assert origins == {urlsplit(server.url).netloc}
    assert "script-src 'self'" in server.get("/admin").headers["Content-Security-Policy"]
