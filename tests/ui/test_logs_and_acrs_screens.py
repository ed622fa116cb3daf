"""The Logs screen and the Enabled ACRs screen in Chromium, as a person uses them: filter the
logs by endpoint, level and user; open a recorded HTTP request and read its redacted
parameters and its response; open an event holding a JWT and read it decoded; switch HTTP
logging off in Configuration and see no new request rows; disable and enable an ACR and see
discovery follow."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.flows import SPA_REDIRECT, Browser, redirect_params, spa_request

from .conftest import open_screen, screenshot

MFA = "urn:pocket-op:mfa"
WRONG_SECRET = "not-the-secret-Q7x9"


def spa_id_token(server, username: str = "alice") -> str:
    request, verifier = spa_request()
    back = redirect_params(Browser(server).sign_in_and_allow(username, **request))
    response = server.post("/token", data={
        "grant_type": "authorization_code", "code": back["code"], "client_id": "demo-spa",
        "redirect_uri": SPA_REDIRECT, "code_verifier": verifier})
    assert response.status_code == 200, response.text
    return response.json()["id_token"]


def failed_token_request(server) -> None:
    response = server.post("/token", data={
        "grant_type": "client_credentials", "client_id": "demo-web",
        "client_secret": WRONG_SECRET})
    assert response.status_code == 401


def filter_logs(page: Page, name: str, value: str) -> None:
    page.fill(f".logs-filters input[name={name}]", value)
    page.press(f".logs-filters input[name={name}]", "Enter")


def rows(page: Page):
    return page.locator("tr.event")


@pytest.fixture
def logs(admin: Page) -> Page:
    open_screen(admin, "Logs")
    return admin


def test_the_endpoint_filter_keeps_that_endpoints_rows(logs, server):
    server.get("/jwks")
    failed_token_request(server)
    expect(logs.locator("tr.event[data-endpoint='/token']").first).to_be_visible()
    filter_logs(logs, "endpoint", "/token")
    expect(logs.locator("tr.event[data-event='token.error']")).to_have_count(1)
    expect(logs.locator("tr.event[data-event='http.request']")).to_have_count(1)
    assert set(rows(logs).evaluate_all("rs => rs.map(r => r.dataset.endpoint)")) == {"/token"}
    screenshot(logs, "logs-filtered-by-endpoint")


def test_the_level_filter_keeps_errors_only(logs, server):
    server.get("/jwks")
    failed_token_request(server)
    expect(logs.locator("tr.event[data-endpoint='/jwks']")).to_have_count(1)
    logs.select_option(".logs-filters select[name=level]", "error")
    expect(logs.locator("tr.event[data-endpoint='/jwks']")).to_have_count(0)
    expect(logs.locator("tr.event[data-event='token.error']")).to_have_count(1)
    assert set(rows(logs).evaluate_all("rs => rs.map(r => r.dataset.level)")) == {"error"}


def test_the_user_filter_takes_a_username(logs, server):
    spa_id_token(server, "bob")
    spa_id_token(server, "alice")
    filter_logs(logs, "user", "bob")
    expect(logs.locator("tr.event[data-event='login.succeeded']")).to_have_count(1)
    users = rows(logs).evaluate_all("rs => rs.map(r => r.cells[4].textContent)")
    assert users and set(users) == {"bob"}


def test_a_request_row_opens_to_its_redacted_parameters_and_its_response(logs, server):
    failed_token_request(server)
    row = logs.locator("tr.event[data-event='http.request'][data-endpoint='/token']").first
    expect(row).to_contain_text("POST /token")
    row.click()
    detail = logs.locator("tr.detail:visible")
    expect(detail.locator("section.request tr[data-param=client_secret] td")).to_have_text(
        "[redacted]")
    expect(detail.locator("section.request tr[data-param=grant_type] td")).to_have_text(
        "client_credentials")
    expect(detail.locator("section.response")).to_contain_text("Response: 401")
    expect(detail.locator("section.response .body")).to_contain_text('"invalid_client"')
    expect(detail.locator("section.related")).to_contain_text("token.error")
    assert WRONG_SECRET not in logs.content()
    screenshot(logs, "logs-request-detail")


def test_an_event_holding_a_jwt_shows_it_decoded(logs, server):
    id_token = spa_id_token(server)
    request, _ = spa_request(prompt="sideways", id_token_hint=id_token)
    assert redirect_params(Browser(server).authorize(**request))["error"] == "invalid_request"
    row = logs.locator("tr.event[data-event='authorization.error']").first
    expect(row).to_be_visible()
    row.click()
    jwt = logs.locator("tr.detail:visible .jwt[data-path=id_token_hint]")
    expect(jwt.locator(".jwt-claims")).to_contain_text('"aud": "demo-spa"')
    expect(jwt.locator(".jwt-header")).to_contain_text('"alg": "RS256"')
    expect(jwt).to_contain_text(re.compile(r"valid: pocket-op key \S+"))
    assert id_token not in logs.content()
    assert id_token.rsplit(".", 1)[1] not in logs.content()
    screenshot(logs, "logs-jwt-decoded")


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
