"""``/admin/api/acrs``: list, create, read, update, delete the ACRs; one default that stays
enabled; an ACR a client names is neither disabled nor deleted; validation errors name the
field; the same access checks as every admin resource; discovery follows at once."""

from __future__ import annotations

import pytest

from .conftest import AdminApi, sign_in

MFA = "urn:pocket-op:mfa"
GOLD = {"value": "urn:example:gold", "level": 3, "description": "Gold"}


def discovered(server) -> list[str]:
    return server.get("/.well-known/openid-configuration").json()["acr_values_supported"]


def test_list_shows_the_seed_acrs_by_level_and_the_default(api):
    body = api.get("/acrs").json()
    assert [(a["value"], a["level"], a["enabled"], a["default"]) for a in body["acrs"]] == [
        ("0", 0, True, False), ("1", 1, True, True), (MFA, 2, True, False)]
    assert body["default"] == "1"


def test_create_then_read_returns_the_acr_and_discovery_lists_it(api, server):
    response = api.post("/acrs", json=GOLD)
    assert response.status_code == 201
    assert response.json() == {**GOLD, "enabled": True, "default": False}
    assert api.get(f"/acrs/{GOLD['value']}").json() == response.json()
    assert GOLD["value"] in discovered(server)
    assert api.events("acr.created")[0]["fields"]["acr"] == GOLD["value"]


def test_an_acr_created_disabled_is_not_in_discovery(api, server):
    api.post("/acrs", json={**GOLD, "enabled": False})
    assert GOLD["value"] not in discovered(server)


def test_create_of_an_existing_value_is_a_conflict(api):
    assert api.post("/acrs", json={"value": "1", "level": 1}).status_code == 409


@pytest.mark.parametrize(("body", "field"), [
    ({"level": 1}, "value"),
    ({"value": "has space", "level": 1}, "value"),
    ({"value": "", "level": 1}, "value"),
    ({"value": 5, "level": 1}, "value"),
    ({"value": "x"}, "level"),
    ({"value": "x", "level": -1}, "level"),
    ({"value": "x", "level": 101}, "level"),
    ({"value": "x", "level": True}, "level"),
    ({"value": "x", "level": 1, "enabled": "yes"}, "enabled"),
    ({"value": "x", "level": 1, "description": "d" * 301}, "description"),
    ({"value": "x", "level": 1, "default": True, "enabled": False}, "default"),
    ({"value": "x", "level": 1, "colour": "red"}, "colour"),
], ids=["no-value", "space", "empty", "not-text", "no-level", "negative", "too-high",
        "bool-level", "enabled-text", "long-description", "disabled-default", "unknown"])
def test_a_bad_acr_is_refused_naming_the_field(api, body, field):
    response = api.post("/acrs", json=body)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
    assert field in response.json()["fields"]


def test_patch_disables_an_acr_and_discovery_drops_it(api, server):
    response = api.patch(f"/acrs/{MFA}", json={"enabled": False})
    assert response.status_code == 200 and response.json()["enabled"] is False
    assert discovered(server) == ["0", "1"]
    assert api.events("acr.updated")[0]["fields"]["changed"] == ["enabled"]


def test_patch_default_true_moves_the_default(api):
    assert api.patch(f"/acrs/{MFA}", json={"default": True}).json()["default"] is True
    assert api.get("/acrs").json()["default"] == MFA
    assert api.get("/acrs/1").json()["default"] is False


@pytest.mark.parametrize(("body", "field"), [
    ({"enabled": False}, "enabled"),
    ({"default": False}, "default"),
    ({"value": "2"}, "value"),
    ({"level": "high"}, "level"),
], ids=["disable-default", "undefault", "rename", "level-text"])
def test_a_bad_change_is_refused_naming_the_field(api, body, field):
    response = api.patch("/acrs/1", json=body)
    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_a_disabled_acr_cannot_become_the_default(api):
    api.patch(f"/acrs/{MFA}", json={"enabled": False})
    response = api.patch(f"/acrs/{MFA}", json={"default": True})
    assert response.status_code == 400 and "default" in response.json()["fields"]


def test_an_acr_a_client_names_cannot_be_disabled_or_deleted(api):
    api.patch("/clients/demo-web", json={"metadata": {"default_acr_values": [MFA]}})
    for response in (api.patch(f"/acrs/{MFA}", json={"enabled": False}),
                     api.delete(f"/acrs/{MFA}")):
        assert response.status_code == 409
        assert "demo-web" in response.json()["error_description"]


def test_client_metadata_naming_a_disabled_acr_is_refused_naming_the_field(api):
    api.patch(f"/acrs/{MFA}", json={"enabled": False})
    response = api.patch("/clients/demo-web", json={"metadata": {
        "authorized_acr_values": [MFA]}})
    assert response.status_code == 400
    assert "authorized_acr_values" in response.json()["error_description"]


def test_delete_removes_the_acr(api, server):
    assert api.delete(f"/acrs/{MFA}").status_code == 204
    assert api.get(f"/acrs/{MFA}").status_code == 404
    assert MFA not in discovered(server)


def test_the_default_cannot_be_deleted(api):
    assert api.delete("/acrs/1").status_code == 409


def test_an_unknown_acr_is_404(api):
    assert api.get("/acrs/nope").status_code == 404
    assert api.patch("/acrs/nope", json={"level": 1}).status_code == 404
    assert api.delete("/acrs/nope").status_code == 404


# Access


def test_without_credentials_the_acrs_are_refused(server):
    assert AdminApi(server).get("/acrs").status_code == 401


def test_a_cookie_session_without_the_csrf_token_cannot_change_an_acr(server):
    browser, _ = sign_in(server)
    response = browser.post("/acrs", json=GOLD)
    assert response.status_code == 403
    assert browser.get(f"/acrs/{GOLD['value']}").status_code == 404


def test_a_cookie_session_with_the_csrf_token_can_change_an_acr(server):
    browser, csrf = sign_in(server)
    response = browser.post("/acrs", json=GOLD, headers={"X-CSRF-Token": csrf})
    assert response.status_code == 201


def test_a_foreign_origin_cannot_change_an_acr(api):
    response = api.patch(f"/acrs/{MFA}", json={"enabled": False},
                         headers={"Origin": "http://evil.example"})
    assert response.status_code == 403
    assert api.get(f"/acrs/{MFA}").json()["enabled"] is True
