"""The Users screen in Chromium (``users.js``): a claim edited there is in the next id_token, a
claim of the wrong type is named beside the claims, a password reset signs the user in."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from tests.admin.conftest import spa_tokens
from tests.tokens import verify_jwt

from .conftest import open_screen, screenshot


def test_a_claim_edited_in_the_users_screen_is_in_the_next_id_token(admin, server):
    open_screen(admin, "Users")
    screenshot(admin, "users")
    admin.click("table.list >> text=alice")
    claims = json.loads(admin.locator("textarea[name=claims]").input_value())
    claims["name"] = "Alice Edited In The Screen"
    admin.fill("textarea[name=claims]", json.dumps(claims, indent=2))
    admin.click("text=Save changes")
    expect(admin.locator("#toast")).to_contain_text("Saved")
    screenshot(admin, "user")
    id_token = spa_tokens(server)["id_token"]
    assert verify_jwt(server, id_token)["name"] == "Alice Edited In The Screen"


def test_a_claim_of_the_wrong_type_is_named_next_to_the_claims(admin):
    open_screen(admin, "Users")
    admin.click("table.list >> text=bob")
    admin.fill("textarea[name=claims]", '{"email_verified": "yes"}')
    admin.click("text=Save changes")
    expect(admin.locator('[data-field="claims"] .field-error')).to_contain_text(
        "expected true or false")


def test_a_password_reset_in_the_users_screen_signs_the_user_in(admin, server):
    open_screen(admin, "Users")
    admin.click("table.list >> text=bob")
    admin.fill("#password-form input[name=password]", "new-bob-password")
    admin.click("#password-form button[type=submit]")
    expect(admin.locator("#toast")).to_contain_text("Password of bob changed")
    assert server.store.authenticate_user("bob", "new-bob-password") is not None
    assert server.store.authenticate_user("bob", "bob") is None
