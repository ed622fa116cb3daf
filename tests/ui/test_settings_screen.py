"""The Configuration screen in Chromium (``settings.js``): a bad value is shown beside the
setting, a saved one is applied at once (or marked as needing a restart), and HTTP logging
switched off there records no new request rows in the Logs."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import failed_token_request, open_screen, screenshot


def test_a_bad_setting_value_is_shown_next_to_the_setting(admin):
    open_screen(admin, "Configuration")
    screenshot(admin, "configuration")
    setting = admin.locator("form[data-setting=access_token_lifetime]")
    setting.locator("input").fill("5")
    setting.locator("text=Save").click()
    expect(setting.locator(".field-error")).to_contain_text("expected an integer from 30")


def test_a_setting_saved_in_the_configuration_screen_is_applied(admin, server):
    open_screen(admin, "Configuration")
    setting = admin.locator("form[data-setting=id_token_lifetime]")
    setting.locator("input").fill("600")
    setting.locator("text=Save").click()
    expect(admin.locator(".notice")).to_contain_text("id_token_lifetime: Saved and applied.")
    assert server.app.settings.id_token_lifetime == 600
    expect(admin.locator("form[data-setting=port]")).to_contain_text("restart needed")


def test_http_logging_switched_off_in_configuration_records_no_new_requests(admin, server):
    server.get("/jwks")
    open_screen(admin, "Configuration")
    setting = admin.locator("form[data-setting=http_logging]")
    setting.locator("input[type=checkbox]").uncheck()
    setting.locator("text=Save").click()
    expect(admin.locator(".notice")).to_contain_text("http_logging: Saved and applied.")
    server.get("/jwks")
    failed_token_request(server)  # its event (audit logging is still on) comes after
    open_screen(admin, "Logs")
    expect(admin.locator("tr.event[data-event='token.error']")).to_have_count(1)
    expect(admin.locator("tr.event[data-endpoint='/jwks']")).to_have_count(1)
    expect(admin.locator("tr.event[data-event='http.request'][data-endpoint='/token']")
           ).to_have_count(0)
