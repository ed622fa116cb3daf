"""The Enabled ACRs screen in Chromium (``acrs.js``): disabling and enabling an ACR changes
discovery; a new ACR made in the form is listed and advertised; a bad one shows the error
beside the field."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import open_screen, screenshot

MFA = "urn:pocket-op:mfa"


def test_disabling_and_enabling_an_acr_in_the_screen_changes_discovery(admin, server):
    open_screen(admin, "Enabled ACRs")
    supported = admin.locator("#acr-values-supported")
    expect(supported).to_have_text(f"0 1 {MFA}")
    screenshot(admin, "enabled-acrs")
    admin.get_by_label(f"{MFA} enabled").uncheck()
    expect(supported).to_have_text("0 1")
    document = server.get("/.well-known/openid-configuration").json()
    assert document["acr_values_supported"] == ["0", "1"]
    admin.get_by_label(f"{MFA} enabled").check()
    expect(supported).to_have_text(f"0 1 {MFA}")
    assert MFA in server.get("/.well-known/openid-configuration").json()[
        "acr_values_supported"]


def test_a_new_acr_made_in_the_form_is_listed_and_advertised(admin, server):
    open_screen(admin, "Enabled ACRs")
    admin.click("text=New ACR")
    admin.fill("input[name=value]", "urn:example:gold")
    admin.fill("input[name=level]", "3")
    admin.fill("input[name=description]", "Gold")
    admin.click("button:has-text('Create ACR')")
    expect(admin.locator("#acr-values-supported")).to_contain_text("urn:example:gold")
    assert "urn:example:gold" in server.get("/.well-known/openid-configuration").json()[
        "acr_values_supported"]


def test_a_bad_acr_shows_the_error_beside_the_field(admin):
    open_screen(admin, "Enabled ACRs")
    admin.click("text=New ACR")
    admin.fill("input[name=value]", "has a space")
    admin.click("button:has-text('Create ACR')")
    expect(admin.locator("[data-field=value] .field-error")).to_contain_text("without spaces")
