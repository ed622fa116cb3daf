"""The Sessions screen in Chromium (``sessions.js``): a session revoked there makes the next
prompt=none fail with login_required."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.flows import Browser, redirect_params, spa_request

from .conftest import open_screen, screenshot


def test_revoking_a_session_makes_the_next_prompt_none_fail_with_login_required(admin, server):
    browser = Browser(server)
    redirect_params(browser.sign_in_and_allow(**spa_request()[0]))
    open_screen(admin, "Sessions")
    row = admin.locator("table.list tbody tr", has_text="alice")
    expect(row).to_contain_text("demo-spa")
    screenshot(admin, "sessions")
    row.locator("text=Revoke").first.click()
    expect(admin.locator("#toast")).to_contain_text("Session revoked")
    expect(admin.locator("table.list")).not_to_contain_text("alice")
    silent = redirect_params(browser.authorize(**spa_request(prompt="none")[0]))
    assert silent["error"] == "login_required"
