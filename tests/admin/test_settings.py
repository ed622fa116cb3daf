"""``/admin/api/settings``: every setting with value, default, description, source and whether
it needs a restart; a change is parsed, written to settings.json atomically, applied at once
when it can be, and kept across a restart."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from app import config
from tests.conftest import LiveServer
from tests.flows import TEST_SECRET, basic

from .conftest import AdminApi

RESTART = {"host", "port", "issuer", "data_dir", "log_dir", "threads", "admin_remote_access",
           "request_timeout"}


def settings_file(server) -> Path:
    return Path(server.settings.data_dir) / config.SETTINGS_FILE


def machine_token(server) -> dict:
    server.store.save_client_secret("demo-machine", TEST_SECRET)
    response = server.post("/token", data={"grant_type": "client_credentials"},
                           headers=basic("demo-machine"))
    assert response.status_code == 200, response.text
    return response.json()


def test_list_has_every_setting_with_value_default_description_source_and_restart(api,
                                                                                   server):
    listed = {s["name"]: s for s in api.get("/settings").json()["settings"]}
    assert list(listed) == [setting.name for setting in config.SETTINGS]
    assert {name for name, s in listed.items() if s["restart_required"]} == RESTART
    lifetime = listed["access_token_lifetime"]
    assert (lifetime["value"], lifetime["default"], lifetime["source"]) == (3600, 3600,
                                                                             "default")
    assert lifetime["description"] == config.BY_NAME["access_token_lifetime"].description
    assert listed["log_dir"]["source"] == "environment"
    assert listed["data_dir"]["value"] == server.settings.data_dir


def test_get_returns_one_setting_and_404_for_an_unknown_name(api):
    assert api.get("/settings/require_pkce").json()["value"] is False
    response = api.get("/settings/colour")
    assert response.status_code == 404 and response.json()["error"] == "not_found"


def test_a_lifetime_changed_through_the_api_applies_to_the_next_token_without_restart(
        api, server):
    response = api.put("/settings/access_token_lifetime", json={"value": 120})
    assert response.status_code == 200
    body = response.json()
    assert (body["value"], body["applied"], body["source"]) == (120, True, "settings file")
    assert machine_token(server)["expires_in"] == 120


def test_a_change_is_written_to_settings_json_and_kept_after_a_restart(api, server):
    api.put("/settings/access_token_lifetime", json={"value": "300"})
    assert json.loads(settings_file(server).read_text()) == {"access_token_lifetime": 300}
    server.stop()
    again = LiveServer(Path(server.settings.data_dir))
    try:
        body = AdminApi(again, again.app.admin_launch_token).get(
            "/settings/access_token_lifetime").json()
        assert (body["value"], body["source"]) == (300, "settings file")
        assert machine_token(again)["expires_in"] == 300
    finally:
        again.stop()


def test_settings_json_is_replaced_atomically_and_readable_only_by_the_owner(api, server):
    api.put("/settings/require_pkce", json={"value": True})
    api.put("/settings/log_level", json={"value": "debug"})
    path = settings_file(server)
    assert json.loads(path.read_text()) == {"log_level": "debug", "require_pkce": True}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not list(path.parent.glob("*.tmp"))


@pytest.mark.parametrize(("name", "value", "message"), [
    ("access_token_lifetime", 5, "expected an integer from 30 to 2592000"),
    ("access_token_lifetime", "soon", "expected an integer from 30 to 2592000"),
    ("require_pkce", "maybe", "expected true or false"),
    ("log_level", "loud", "expected one of debug, info, warning, error"),
    ("issuer", "ftp://op", "expected an http(s) URL such as http://localhost:9400"),
], ids=["too-short", "not-a-number", "boolean", "choice", "issuer"])
def test_an_invalid_value_is_400_naming_the_setting_with_what_it_accepts(api, server, name,
                                                                         value, message):
    response = api.put(f"/settings/{name}", json={"value": value})
    assert response.status_code == 400
    assert response.json()["fields"] == {name: message}
    assert not settings_file(server).exists()


@pytest.mark.parametrize("body", [{}, {"value": 60, "other": 1}], ids=["no-value", "extra"])
def test_a_body_without_value_or_with_more_names_the_field(api, body):
    response = api.put("/settings/access_token_lifetime", json=body)
    assert response.status_code == 400
    assert set(response.json()["fields"]) & {"value", "other"}


def test_the_data_dir_cannot_be_set_in_settings_json(api, server):
    response = api.put("/settings/data_dir", json={"value": "/tmp/elsewhere"})
    assert response.status_code == 400
    assert "data_dir" in response.json()["fields"]
    assert not settings_file(server).exists()


def test_a_setting_that_needs_a_restart_is_saved_but_not_applied(api, server):
    response = api.put("/settings/threads", json={"value": 2})
    body = response.json()
    assert (body["applied"], body["restart_required"]) == (False, True)
    assert body["value"] == server.app.settings.threads != 2
    assert body["saved_value"] == 2


def test_a_setting_from_the_command_line_is_saved_but_stays_overridden(fresh_server):
    server = fresh_server(access_token_lifetime=100)
    api = AdminApi(server, server.app.admin_launch_token)
    body = api.put("/settings/access_token_lifetime", json={"value": 200}).json()
    assert (body["applied"], body["overridden_by"], body["value"]) == (False, "command line",
                                                                        100)
    assert machine_token(server)["expires_in"] == 100


def test_delete_removes_the_setting_from_settings_json_and_restores_the_default(api, server):
    api.put("/settings/access_token_lifetime", json={"value": 120})
    response = api.delete("/settings/access_token_lifetime")
    assert response.status_code == 200
    assert (response.json()["value"], response.json()["source"]) == (3600, "default")
    assert json.loads(settings_file(server).read_text()) == {}
    assert machine_token(server)["expires_in"] == 3600


def test_a_change_emits_setting_changed_with_the_name_only(api):
    api.put("/settings/registration_initial_access_token", json={"value": "iat-Secret-9"})
    [event] = api.events("setting.changed")[:1]
    assert event["fields"] == {"name": "registration_initial_access_token", "applied": True}
    assert "iat-Secret-9" not in json.dumps(api.get("/events").json())


def test_a_corrupt_settings_json_is_409_and_left_alone(api, server):
    settings_file(server).write_text("{not json")
    response = api.put("/settings/require_pkce", json={"value": True})
    assert response.status_code == 409
    assert settings_file(server).read_text() == "{not json"
