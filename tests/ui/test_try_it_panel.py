"""The Try it panel of a client's page in Chromium (``try_it.js``): the offer to register its
callback (never a bypass of exact matching), the code flow signed in as alice (with the admin
cookie or the launch token) and client_credentials, each token decoded and checked."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.tokens import verify_jwt

from .conftest import open_client, screenshot, sign_in

CALLBACK = "/admin/try-it/callback"


def test_try_it_offers_to_register_its_callback_and_never_bypasses_exact_matching(admin, server):
    open_client(admin, "demo-web")
    offer = admin.locator("#try-redirect-offer")
    expect(offer).to_contain_text(server.issuer + CALLBACK)
    expect(admin.locator("#try-it button[data-flow]")).to_have_count(0)
    screenshot(admin, "client-try-it-offer")
    admin.click("#try-add-redirect")
    expect(admin.locator('#try-it button[data-flow="authorization_code"]')).to_be_visible()
    expect(offer).to_have_count(0)
    assert server.issuer + CALLBACK in server.store.get_client("demo-web").metadata[
        "redirect_uris"]


@pytest.mark.parametrize("signed_in", ["admin-sign-in", "launch-token"])
def test_try_it_runs_the_code_flow_of_a_confidential_client_end_to_end(page, server, signed_in):
    """The window comes back from the issuer's host (localhost) to the screens' own
    (127.0.0.1), signed in either way: the admin cookie or the desktop window's token."""
    metadata = server.store.get_client("demo-web").metadata
    server.store.update_client("demo-web", metadata={
        **metadata, "redirect_uris": [*metadata["redirect_uris"], server.issuer + CALLBACK]})
    if signed_in == "launch-token":
        page.goto(f"{server.url}/admin#launch={server.app.admin_launch_token}")
    else:
        sign_in(page, server)
    admin = page
    open_client(admin, "demo-web")
    admin.click('#try-it button[data-flow="authorization_code"]')
    admin.fill("input[name=username]", "alice")
    admin.fill("input[name=password]", "alice")
    admin.click("form:has(input[name=password]) button[type=submit]")
    admin.click("button[name=decision][value=allow]")
    result = admin.locator("#try-result")
    expect(result).to_be_visible()
    expect(admin.locator("#try-result .try-error")).to_have_count(0)
    id_token = admin.locator('#try-result .token[data-token="id_token"]')
    expect(id_token).to_contain_text("signature verified")
    raw = id_token.locator("code.raw").inner_text()
    payload = json.loads(id_token.locator(".payload pre").inner_text())
    alice = server.store.get_user("alice")
    assert payload == verify_jwt(server, raw) and payload["sub"] == alice.sub
    userinfo = json.loads(admin.locator("#try-userinfo .body pre").inner_text())
    assert userinfo["sub"] == alice.sub and userinfo["email"] == alice.claims["email"]
    if signed_in == "admin-sign-in":
        screenshot(admin, "client-try-it-result")


def test_try_it_on_a_client_credentials_client_shows_the_token(admin, server):
    open_client(admin, "demo-machine")
    admin.click('#try-it button[data-flow="client_credentials"]')
    result = admin.locator("#try-result")
    expect(result).to_have_attribute("data-flow", "client_credentials")
    expect(result.locator('.token[data-token="access_token"]')).to_be_visible()
    response = json.loads(result.locator("details.raw-response pre").text_content())
    assert response["status"] == 200
    assert response["body"]["scope"] == "api.read api.write"
    assert result.locator("code.raw").inner_text() == response["body"]["access_token"]
