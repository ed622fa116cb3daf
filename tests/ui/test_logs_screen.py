"""The Logs screen in Chromium (``logs.js``), as a person uses it: why a token request failed,
shown through polling; filters by event and client, endpoint, level and user; a recorded HTTP
request opened to its redacted parameters and its response; an event holding a JWT opened to
it decoded."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.flows import SPA_REDIRECT, Browser, redirect_params, spa_request

from .conftest import WRONG_SECRET, failed_token_request, open_screen, screenshot


def spa_id_token(server, username: str = "alice") -> str:
    request, verifier = spa_request()
    back = redirect_params(Browser(server).sign_in_and_allow(username, **request))
    response = server.post("/token", data={
        "grant_type": "authorization_code", "code": back["code"], "client_id": "demo-spa",
        "redirect_uri": SPA_REDIRECT, "code_verifier": verifier})
    assert response.status_code == 200, response.text
    return response.json()["id_token"]


def filter_logs(page: Page, name: str, value: str) -> None:
    page.fill(f".logs-filters input[name={name}]", value)
    page.press(f".logs-filters input[name={name}]", "Enter")


def rows(page: Page):
    return page.locator("tr.event")


@pytest.fixture
def logs(admin: Page) -> Page:
    open_screen(admin, "Logs")
    return admin


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
