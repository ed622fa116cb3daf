"""The admin screens in Chromium, clicked through as a person would: sign-in (and the
desktop window's launch token), then each screen, checking each change where it shows up:
a code flow, the next id_token, the JWKS, prompt=none, the Logs."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import requests
from playwright.sync_api import expect

from tests.admin.conftest import spa_tokens
from tests.flows import SPA_REDIRECT, Browser, basic, redirect_params, spa_request
from tests.tokens import header_of, verify_jwt

from .conftest import open_screen, screenshot, sign_in

SCREEN_NAMES = ["Clients", "Scopes", "Users", "Keys", "Sessions", "Enabled ACRs", "Configuration",
                "Logs"]
APP_REDIRECT = "http://127.0.0.1:8765/app-callback"


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


def test_the_logs_screen_shows_why_a_token_request_failed(admin, server):
    open_screen(admin, "Logs")
    response = server.post("/token", data={
        "grant_type": "authorization_code", "code": "no-such-code", "client_id": "demo-spa",
        "redirect_uri": SPA_REDIRECT, "code_verifier": "x" * 43})
    assert response.status_code == 400
    reason = response.json()["error_description"]
    row = admin.locator("tr.event[data-event='token.error']").first
    expect(row).to_be_visible()  # appears through polling, without a reload
    expect(row.locator("td.reason")).to_have_text(reason)
    row.click()
    expect(admin.locator("tr.detail pre").first).to_contain_text('"client_id": "demo-spa"')
    screenshot(admin, "logs")


def test_the_logs_screen_filters_by_event_and_client(admin):
    open_screen(admin, "Logs")
    admin.fill("input[name=event]", "client.created")
    admin.press("input[name=event]", "Enter")
    admin.fill("input[name=client_id]", "demo-web")
    admin.press("input[name=client_id]", "Enter")
    rows = admin.locator("tr.event")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("demo-web")


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


def test_the_shell_and_its_scripts_come_from_the_server_only(page, server):
    origins = set()
    page.on("request", lambda request: origins.add(urlsplit(request.url).netloc))
    sign_in(page, server)
    expect(page.locator("#screen h1")).to_have_text("Clients")
    assert origins == {urlsplit(server.url).netloc}
    assert "script-src 'self'" in server.get("/admin").headers["Content-Security-Policy"]

