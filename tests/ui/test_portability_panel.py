"""The Export / import panel of the Configuration screen in Chromium (``portability.js``): an
export imported into a new data dir through the buttons gives the same configuration; a bad
file lists each problem and changes nothing."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

import ui.admin
from tests.admin.conftest import AdminApi
from tests.conftest import LiveServer

from .conftest import ADMIN_PASSWORD, open_screen, screenshot, sign_in


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
