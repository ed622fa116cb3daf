"""The Clients screen in Chromium (``clients.js``), clicked through as a person would: a client
created in the form completes a code flow (with a secret shown once, or public with PKCE),
every metadata field with its own input (stored through the API and in effect in the tokens),
field errors beside their field, the copy-ready settings, search and delete."""

from __future__ import annotations

import re

import requests
from playwright.sync_api import expect

from tests.flows import SPA_REDIRECT, Browser, basic, redirect_params, spa_request
from tests.tokens import header_of, verify_jwt

from .conftest import open_client, screenshot

APP_REDIRECT = "http://127.0.0.1:8765/app-callback"


def create_client(page, client_id: str, method: str, redirect_uri: str = APP_REDIRECT) -> None:
    page.click("text=New client")
    page.fill("input[name=client_id]", client_id)
    page.fill("input[name=client_name]", "Screen app")
    page.select_option("select[name=token_endpoint_auth_method]", method)
    page.fill("textarea[name=redirect_uris]", redirect_uri)
    page.check("input[name=grant_types][value=refresh_token]")
    page.fill("input[name=scope]", "openid profile email")
    page.check("input[name=trusted]")
    page.click("text=Create client")


def open_section(page, section: str) -> None:
    details = page.locator(f'details.section[data-section="{section}"]')
    if details.get_attribute("open") is None:
        details.locator("summary").click()


def test_a_client_created_in_the_clients_screen_completes_a_code_flow(admin, server):
    create_client(admin, "screen-app", "client_secret_basic")
    secret = admin.locator("#client-secret .secret-value").inner_text()
    settings = dict(line.split("=", 1) for line in
                    admin.locator("#app-settings").inner_text().splitlines())
    screenshot(admin, "client")
    assert settings["client_id"] == "screen-app" and settings["issuer"] == server.issuer
    assert settings["token_endpoint"] == server.issuer + "/token"
    back = redirect_params(Browser(server).sign_in_and_allow(
        client_id="screen-app", response_type="code", scope="openid profile",
        redirect_uri=APP_REDIRECT, state="s", nonce="n"))
    response = requests.post(settings["token_endpoint"].replace(server.issuer, server.url),
                             headers=basic("screen-app", secret), timeout=10, data={
                                 "grant_type": "authorization_code", "code": back["code"],
                                 "redirect_uri": APP_REDIRECT})
    assert response.status_code == 200, response.text
    assert verify_jwt(server, response.json()["id_token"])["aud"] == "screen-app"


def test_the_client_secret_is_shown_once(admin):
    create_client(admin, "shown-once", "client_secret_post")
    expect(admin.locator("#client-secret")).to_be_visible()
    admin.reload()
    expect(admin.locator("#app-settings")).to_be_visible()
    expect(admin.locator("#client-secret")).to_have_count(0)
    admin.click("text=Regenerate secret")
    expect(admin.locator("#client-secret .secret-value")).to_have_text(re.compile(r"\S{20,}"))


def test_a_public_client_from_the_screen_completes_a_code_flow_with_pkce(admin, server):
    create_client(admin, "public-app", "none", SPA_REDIRECT)
    expect(admin.locator("#app-settings")).to_contain_text("client_id=public-app")
    expect(admin.locator("#client-secret")).to_have_count(0)
    request, verifier = spa_request(client_id="public-app")
    back = redirect_params(Browser(server).sign_in_and_allow(**request))
    response = server.post("/token", data={
        "grant_type": "authorization_code", "code": back["code"], "client_id": "public-app",
        "redirect_uri": SPA_REDIRECT, "code_verifier": verifier})
    assert response.status_code == 200, response.text


def test_a_refused_redirect_uri_is_shown_next_to_its_field(admin):
    create_client(admin, "bad-uri", "none", "https://example.com/cb#fragment")
    error = admin.locator('[data-field="redirect_uris"] .field-error')
    expect(error).to_be_visible()
    expect(admin.locator(".form-error")).to_contain_text("redirect_uris")


def test_the_clients_list_searches_and_a_client_is_deleted(admin):
    admin.fill("input[name=q]", "machine")
    expect(admin.locator("table.list tbody tr")).to_have_count(1)
    screenshot(admin, "clients")
    admin.click("text=demo-machine")
    admin.click("button:has-text('Delete')")
    expect(admin.locator("#screen h1")).to_have_text("Clients")
    admin.fill("input[name=q]", "")
    expect(admin.locator("table.list")).not_to_contain_text("demo-machine")


def test_a_client_with_per_field_inputs_is_stored_and_in_effect(admin, server):
    admin.click("text=New client")
    admin.fill("input[name=client_id]", "fields-app")
    admin.fill("input[name=client_name]", "Fields app")
    admin.select_option("select[name=token_endpoint_auth_method]", "client_secret_basic")
    admin.fill("input[name=scope]", "openid profile email")
    admin.check("input[name=trusted]")
    admin.fill("textarea[name=redirect_uris]", APP_REDIRECT)
    admin.fill("textarea[name=post_logout_redirect_uris]", "http://127.0.0.1:8765/bye")
    open_section(admin, "tokens")
    admin.select_option("select[name=access_token_as_jwt]", "true")
    admin.fill("input[name=access_token_lifetime]", "600")
    open_section(admin, "crypto")
    admin.fill("input[name=jwks_uri]", "http://127.0.0.1:9/fields-app/jwks")
    admin.select_option("select[name=id_token_signed_response_alg]", "ES256")
    open_section(admin, "uris")
    admin.fill("textarea[name=contacts]", "dev@example.com\nops@example.com")
    screenshot(admin, "client-form-sections")
    admin.click("text=Create client")
    secret = admin.locator("#client-secret .secret-value").inner_text()

    metadata = server.store.get_client("fields-app").metadata
    assert metadata["jwks_uri"] == "http://127.0.0.1:9/fields-app/jwks"
    assert metadata["id_token_signed_response_alg"] == "ES256"
    assert metadata["contacts"] == ["dev@example.com", "ops@example.com"]
    assert metadata["post_logout_redirect_uris"] == ["http://127.0.0.1:8765/bye"]
    assert metadata["access_token_as_jwt"] is True and metadata["access_token_lifetime"] == 600

    back = redirect_params(Browser(server).sign_in_and_allow(
        client_id="fields-app", response_type="code", scope="openid", redirect_uri=APP_REDIRECT,
        state="s", nonce="n"))
    tokens = server.post("/token", headers=basic("fields-app", secret), data={
        "grant_type": "authorization_code", "code": back["code"], "redirect_uri": APP_REDIRECT})
    assert tokens.status_code == 200, tokens.text
    id_token, access_token = tokens.json()["id_token"], tokens.json()["access_token"]
    assert header_of(id_token)["alg"] == "ES256"
    assert verify_jwt(server, id_token, algs=["ES256"])["aud"] == "fields-app"
    claims = verify_jwt(server, access_token)
    assert claims["exp"] - claims["iat"] == 600


def test_a_field_refused_by_the_server_is_shown_beside_it_in_its_opened_section(admin):
    admin.click("text=New client")
    admin.fill("textarea[name=redirect_uris]", APP_REDIRECT)
    open_section(admin, "crypto")
    admin.select_option("select[name=id_token_encrypted_response_alg]", "RSA-OAEP")
    admin.locator('details.section[data-section="crypto"] > summary').click()
    admin.click("text=Create client")
    error = admin.locator('[data-field="id_token_encrypted_response_alg"] .field-error')
    expect(error).to_be_visible()
    expect(error).to_contain_text("jwks")
    screenshot(admin, "client-field-error")


def test_editing_a_client_shows_its_values_and_an_unticked_box_is_saved_false(admin, server):
    server.store.update_client("demo-spa", metadata={
        **server.store.get_client("demo-spa").metadata, "default_prompt_login": True,
        "x_team_note": "kept as given"})
    open_client(admin, "demo-spa")
    expect(admin.locator("textarea[name=metadata_json]")).to_contain_text("x_team_note")
    open_section(admin, "tokens")
    expect(admin.locator("input[name=require_pkce]")).to_be_checked()
    admin.uncheck("input[name=default_prompt_login]")
    admin.click("text=Save changes")
    expect(admin.locator("#toast")).to_have_text("Saved.")
    metadata = server.store.get_client("demo-spa").metadata
    assert metadata["default_prompt_login"] is False
    assert metadata["x_team_note"] == "kept as given" and metadata["require_pkce"] is True


def test_the_copy_ready_settings_name_every_endpoint_with_a_copy_button(admin, server):
    admin.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    open_client(admin, "demo-web")
    lines = admin.locator("#app-settings").inner_text().splitlines()
    settings = [line.split("=", 1) for line in lines if line.strip()]
    discovery = server.get("/.well-known/openid-configuration").json()
    named = dict(settings)
    for name in ("issuer", "authorization_endpoint", "token_endpoint", "userinfo_endpoint",
                 "end_session_endpoint", "jwks_uri"):
        assert named[name] == discovery[name]
    assert named["discovery_url"] == server.issuer + "/.well-known/openid-configuration"
    assert ["redirect_uri", "http://localhost:3000/callback"] in settings
    admin.click('#app-settings [data-setting="token_endpoint"] button')
    assert admin.evaluate("navigator.clipboard.readText()") == discovery["token_endpoint"]
