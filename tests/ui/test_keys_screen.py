"""The Keys screen in Chromium (``keys.js``): rotating publishes the new kid, signs with it and
keeps the old one; retiring takes a key out of the JWKS; a key is generated for a kind; the
JWKS downloads as a file."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from tests.admin.conftest import spa_tokens
from tests.tokens import header_of

from .conftest import open_screen, screenshot


def active_rsa_kid(page) -> str:
    row = page.locator("table.list tbody tr", has_text="rsa-sig").filter(has_text="active")
    return row.locator("code.kid").inner_text()


def test_rotating_a_key_publishes_the_new_kid_signs_with_it_and_keeps_the_old(admin, server):
    open_screen(admin, "Keys")
    old_kid = active_rsa_kid(admin)
    admin.locator("table.list tbody tr", has_text=old_kid).locator("text=Rotate").click()
    expect(admin.locator("#toast")).to_contain_text("is active")
    # The toast shows before the list reloads: wait for the old key's row to change.
    expect(admin.locator("table.list tbody tr", has_text=old_kid)).to_contain_text("published")
    new_kid = active_rsa_kid(admin)
    screenshot(admin, "keys")
    assert new_kid != old_kid
    published = {key["kid"] for key in server.get("/jwks").json()["keys"]}
    assert {old_kid, new_kid} <= published
    assert header_of(spa_tokens(server)["id_token"])["kid"] == new_kid


def test_a_retired_key_leaves_the_jwks(admin, server):
    open_screen(admin, "Keys")
    old_kid = active_rsa_kid(admin)
    admin.locator("table.list tbody tr", has_text=old_kid).locator("text=Rotate").click()
    expect(admin.locator("table.list tbody tr", has_text=old_kid)).to_contain_text("published")
    admin.locator("table.list tbody tr", has_text=old_kid).locator("text=Retire").click()
    expect(admin.locator("table.list tbody tr", has_text=old_kid)).to_contain_text("retired")
    assert old_kid not in {key["kid"] for key in server.get("/jwks").json()["keys"]}


def test_a_key_is_generated_for_a_kind(admin):
    open_screen(admin, "Keys")
    expect(admin.locator("code.kid").first).to_be_visible()
    before = admin.locator("table.list tbody tr").count()
    admin.select_option("select[name=kind]", "ec-sig")
    admin.click("text=Generate key")
    expect(admin.locator("table.list tbody tr")).to_have_count(before + 1)


def test_the_jwks_downloads_as_a_file(admin, server):
    open_screen(admin, "Keys")
    with admin.expect_download() as info:
        admin.click("text=Download JWKS")
    download = info.value
    assert download.suggested_filename == "jwks.json"
    assert json.loads(download.path().read_text()) == server.get("/jwks").json()
