"""The Clients screen in Chromium beyond the basics: every metadata field with its own input
(stored through the API and in effect in the tokens), field errors beside their field, the
copy-ready settings, "Try it" (code flow signed in as alice, client_credentials, the offer to
register the callback), and export / import through the Configuration screen's buttons."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

import ui.admin
from tests.admin.conftest import AdminApi
from tests.conftest import LiveServer
from tests.flows import Browser, basic, redirect_params
from tests.tokens import header_of, verify_jwt

from .conftest import ADMIN_PASSWORD, open_screen, screenshot, sign_in

APP_REDIRECT = "http://127.0.0.1:8765/app-callback"
CALLBACK = "/admin/try-it/callback"


def open_section(page, section: str) -> None:
    details = page.locator(f'details.section[data-section="{section}"]')
    if details.get_attribute("open") is None:
        details.locator("summary").click()


def open_client(page, client_id: str) -> None:
    page.click(f"table.list >> text={client_id}")
    expect(page.locator("#try-it")).to_be_visible()


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


@pytest.fixture
def target(tmp_path):
    """A server on a new, empty data dir of its own, serving the screens."""
    server = LiveServer(tmp_path / "target", extend=ui.admin.init_app)
    server.store.save_admin_password("admin", ADMIN_PASSWORD)
    yield server
    server.stop()


def without_date(data: dict) -> dict:
    return {name: value for name, value in data.items() if name != "exported_at"}


def export_through_the_button(page, tmp_path, keys: bool) -> dict:
    open_screen(page, "Configuration")
    if keys:
        page.check("#export-keys")
    with page.expect_download() as download:
        page.click("#export-button")
    path = tmp_path / "export.json"
    download.value.save_as(path)
    return json.loads(path.read_text())


def import_through_the_button(page, path, mode: str = "merge") -> None:
    open_screen(page, "Configuration")
    page.set_input_files("input[name=import_file]", str(path))
    page.select_option("select[name=import_mode]", mode)
    page.click("#import-button")


def test_export_then_import_through_the_buttons_gives_the_same_configuration(
        admin, server, target, tmp_path):
    server.store.create_client("extra", {"grant_types": ["client_credentials"],
                                         "response_types": [], "scope": "api.read"},
                               secret="extra-secret")
    server.store.create_user("carol", "carol-password", {"email": "carol@example.com"})
    exported = export_through_the_button(admin, tmp_path, keys=True)
    assert {client["client_id"] for client in exported["clients"]} >= {"extra", "demo-web"}
    assert "keys" in exported

    sign_in(admin, target)
    import_through_the_button(admin, tmp_path / "export.json", mode="replace")
    expect(admin.locator(".import-done")).to_contain_text("Imported (replace)")
    screenshot(admin, "configuration-import")
    again = AdminApi(target, target.app.admin_launch_token).get("/export").json()
    assert without_date(again) == without_date({k: v for k, v in exported.items()
                                                if k != "keys"})


def test_an_import_with_a_bad_client_lists_each_field_problem(admin, server, tmp_path):
    exported = export_through_the_button(admin, tmp_path, keys=False)
    clients = exported["clients"]
    web = next(i for i, c in enumerate(clients) if c["client_id"] == "demo-web")
    spa = next(i for i, c in enumerate(clients) if c["client_id"] == "demo-spa")
    clients[web]["metadata"]["redirect_uris"] = ["http://example.com/cb"]
    clients[spa]["metadata"]["id_token_signed_response_alg"] = "none"
    (tmp_path / "bad.json").write_text(json.dumps(exported))
    import_through_the_button(admin, tmp_path / "bad.json")
    problems = admin.locator(".import-problems li")
    expect(problems).to_have_count(2)
    expect(admin.locator(".import-problems")).to_contain_text(f"clients[{web}].redirect_uris")
    expect(admin.locator(".import-problems")).to_contain_text(
        f"clients[{spa}].id_token_signed_response_alg")
    screenshot(admin, "configuration-import-problems")
    assert server.store.get_client("demo-web").metadata["redirect_uris"] == [
        "http://localhost:3000/callback"]
