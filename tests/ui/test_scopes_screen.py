"""The Scopes screen in Chromium (``scopes.js``): an OpenID scope created with its claims and
found by search; claims on an OAuth scope are named beside the claims."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import open_screen, screenshot


def test_an_openid_scope_is_created_with_its_claims_and_found_by_search(admin):
    open_screen(admin, "Scopes")
    admin.click("text=New scope")
    admin.fill("input[name=name]", "employee")
    admin.select_option("select[name=kind]", "openid")
    admin.fill("textarea[name=description]", "Employee number and department")
    admin.fill("textarea[name=claims]", "employee_number\ndepartment")
    admin.click("text=Create scope")
    expect(admin.locator("#screen h1")).to_have_text("Scope employee")
    open_screen(admin, "Scopes")
    admin.fill("input[name=q]", "employee")
    expect(admin.locator("table.list tbody tr")).to_have_count(1)
    expect(admin.locator("table.list tbody tr")).to_contain_text("employee_number")
    screenshot(admin, "scopes")


def test_claims_on_an_oauth_scope_are_named_next_to_the_claims(admin):
    open_screen(admin, "Scopes")
    admin.click("text=New scope")
    admin.fill("input[name=name]", "api.admin")
    admin.fill("textarea[name=claims]", "email")
    admin.click("text=Create scope")
    expect(admin.locator('[data-field="claims"] .field-error')).to_contain_text(
        "only OpenID scopes")
