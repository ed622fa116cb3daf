"""``/admin/api/export`` and ``/admin/api/import``: the whole configuration as one JSON file,
round-trip lossless (secrets still verify at /token, passwords still sign in), merge or
replace, and a bad file refused with 400 naming the problem while nothing changes."""

from __future__ import annotations

import pytest

from tests.conftest import LiveServer
from tests.flows import TEST_SECRET, Browser, basic, spa_request

from .conftest import AdminApi

NEW_PASSWORD = "alice-new-password-Pq4"
EXTRA_CLIENT = {"client_name": "Extra", "grant_types": ["client_credentials"],
                "response_types": [], "token_endpoint_auth_method": "client_secret_basic",
                "scope": "api.read"}


def can_sign_in(server, username: str, password: str) -> bool:
    browser = Browser(server)
    response = browser.login(browser.authorize(**spa_request()[0]), username, password)
    return 'name="password"' not in response.text


def machine_token(server, client_id: str = "demo-machine", secret: str = TEST_SECRET):
    return server.post("/token", data={"grant_type": "client_credentials"},
                       headers=basic(client_id, secret))


def without_keys(data: dict) -> dict:
    """All but the date and the keys (an import adds keys, never deletes them)."""
    return {name: value for name, value in data.items() if name not in ("exported_at", "keys")}


def exported_keys(api: AdminApi) -> list[dict]:
    return api.get("/export", params={"keys": "1"}).json()["keys"]


@pytest.fixture
def source(server):
    """A server whose configuration differs from a first start in every section."""
    store = server.store
    store.create_acr("urn:example:hw", 3, "Hardware key")  # the extra client names it
    store.set_default_acr("urn:example:hw")
    store.update_acr("urn:pocket-op:mfa", enabled=False)
    store.save_client_secret("demo-machine", TEST_SECRET)
    store.create_client("extra", {**EXTRA_CLIENT, "default_acr_values": ["urn:example:hw"]},
                        secret="extra-secret", trusted=True,
                        expires_at=4102444800.0)
    store.update_client("demo-web", active=False)
    store.create_scope("api.admin", "oauth", "Administer the demo API")
    alice = store.get_user("alice")
    store.update_user(alice.sub, password=NEW_PASSWORD,
                      claims={**alice.claims, "team": "blue"})
    store.update_user(store.get_user("bob").sub, active=False)
    return server


@pytest.fixture
def exported(source) -> dict:
    api = AdminApi(source, source.app.admin_launch_token)
    assert api.put("/settings/access_token_lifetime", json={"value": 120}).status_code == 200
    response = api.get("/export", params={"keys": "1"})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def target(tmp_path):
    """A server on a new, empty data dir of its own (its own install key and keys)."""
    server = LiveServer(tmp_path / "target")
    yield server
    server.stop()


@pytest.fixture
def target_api(target) -> AdminApi:
    return AdminApi(target, target.app.admin_launch_token)


def test_export_is_marked_and_holds_every_section(api):
    data = api.get("/export").json()
    assert data["format"] == "pocket-op/1"
    assert set(data) == {"format", "exported_at", "clients", "scopes", "users", "acrs",
                         "settings"}


def test_export_holds_client_secrets_in_clear_and_password_hashes(api, server):
    server.store.save_client_secret("demo-machine", TEST_SECRET)
    data = api.get("/export").json()
    secrets = {client["client_id"]: client["secret"] for client in data["clients"]}
    assert secrets["demo-machine"] == TEST_SECRET and secrets["demo-spa"] is None
    assert all(user["password_hash"].startswith("scrypt$") for user in data["users"])


def test_export_is_an_uncached_attachment(api):
    response = api.get("/export")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].startswith("attachment;")


def test_export_holds_private_keys_only_with_keys_1(api, server):
    assert "keys" not in api.get("/export").json()
    keys = api.get("/export", params={"keys": "1"}).json()["keys"]
    assert {key["kid"] for key in keys} == {key.kid for key in server.store.find_keys()}
    assert all("d" in key["private_jwk"] and "d" not in key["public_jwk"] for key in keys)


def test_export_then_replace_into_a_new_data_dir_gives_the_same_configuration(
        exported, target_api):
    response = target_api.post("/import", params={"mode": "replace"}, json=exported)
    assert response.status_code == 200, response.text
    again = target_api.get("/export", params={"keys": "1"}).json()
    assert without_keys(again) == without_keys(exported)


def test_import_adds_the_keys_and_keeps_the_target_s_own_published(exported, target_api):
    own = {key["kid"] for key in exported_keys(target_api)}
    target_api.post("/import", params={"mode": "replace"}, json=exported)
    keys = {key["kid"]: key for key in exported_keys(target_api)}
    assert all(keys[key["kid"]] == key for key in exported["keys"])
    assert {keys[kid]["status"] for kid in own} == {"published"}


def test_imported_client_secrets_verify_at_the_token_endpoint(exported, target, target_api):
    target_api.post("/import", params={"mode": "replace"}, json=exported)
    assert machine_token(target).status_code == 200
    assert machine_token(target, "extra", "extra-secret").status_code == 200


def test_imported_passwords_sign_in_at_the_login_form(exported, target, target_api):
    target_api.post("/import", params={"mode": "replace"}, json=exported)
    assert can_sign_in(target, "alice", NEW_PASSWORD)
    assert not can_sign_in(target, "alice", "alice")


def test_imported_settings_apply_at_once(exported, target, target_api):
    target_api.post("/import", params={"mode": "replace"}, json=exported)
    assert machine_token(target).json()["expires_in"] == 120


def test_imported_signing_keys_are_the_active_ones(exported, target, target_api):
    target_api.post("/import", params={"mode": "replace"}, json=exported)
    active = {key["kid"] for key in exported["keys"] if key["status"] == "active"}
    assert {key.kid for key in target.store.find_keys("active")} == active


def test_merge_keeps_what_the_file_does_not_hold(exported, target, target_api):
    for user in target.store.find_users():  # the demo users: same usernames, other subs
        target.store.delete_user(user.sub)
    target.store.create_client("local-only", {"client_name": "Local"})
    response = target_api.post("/import", json=exported)
    assert response.status_code == 200, response.text
    assert response.json()["mode"] == "merge"
    assert "local-only" in {client.client_id for client in target.store.find_clients()}


def test_replace_deletes_clients_users_and_scopes_the_file_does_not_hold(
        exported, target, target_api):
    store = target.store
    store.create_client("local-only", {"client_name": "Local"})
    store.create_user("dave", "dave-password")
    store.create_scope("local.scope", "oauth")
    response = target_api.post("/import", params={"mode": "replace"}, json=exported)
    assert response.json()["deleted"] == {"clients": 1, "users": 3, "scopes": 1}
    assert "local-only" not in {client.client_id for client in store.find_clients()}
    assert {user.username for user in store.find_users()} == {"alice", "bob"}
    assert "local.scope" not in {scope.name for scope in store.find_scopes()}


@pytest.mark.parametrize(("change", "field"), [
    (lambda data: data.update(format="other/9"), "format"),
    (lambda data: data.pop("clients"), "clients"),
    (lambda data: data["clients"][0].update(metadata=[]), "clients[0].metadata"),
    (lambda data: data["users"][0].update(password_hash="plain"), "users[0].password_hash"),
    (lambda data: data["scopes"][0].update(kind="magic"), "scopes[0].kind"),
    (lambda data: data["settings"].update(port="x"), "settings.port"),
    (lambda data: data.update(extra=1), "extra"),
], ids=["format", "missing-section", "metadata-type", "password-hash", "scope-kind",
        "setting", "unknown-section"])
def test_a_bad_file_is_refused_with_400_naming_the_problem(api, change, field):
    data = api.get("/export").json()
    change(data)
    response = api.post("/import", json=data)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_request"
    assert field in body["fields"] and field in body["error_description"]


def test_a_bad_file_changes_nothing(api, server):
    data = api.get("/export").json()
    data["clients"].append({**data["clients"][0], "client_id": "new-one"})
    data["users"][0]["active"] = "yes"
    assert api.post("/import", params={"mode": "replace"}, json=data).status_code == 400
    assert "new-one" not in {client.client_id for client in server.store.find_clients()}


def test_an_unknown_mode_is_refused(api):
    response = api.post("/import", params={"mode": "overwrite"}, json=api.get("/export").json())
    assert response.status_code == 400
    assert response.json()["fields"] == {"mode": "one of merge, replace"}


def test_a_username_held_by_another_sub_is_a_conflict_on_merge(api, server):
    data = api.get("/export").json()
    data["users"][0]["sub"] = "another-sub"
    response = api.post("/import", json=data)
    assert response.status_code == 409
    assert response.json()["error"] == "conflict"


def test_export_and_import_need_the_admin(server):
    anonymous = AdminApi(server)
    assert anonymous.get("/export").status_code == 401
    assert anonymous.post("/import", json={}).status_code == 401


def client_index(data: dict, client_id: str) -> int:
    return next(i for i, client in enumerate(data["clients"]) if client["client_id"] == client_id)


def test_client_metadata_goes_through_registration_s_validation_every_problem_at_once(
        api, server):
    data = api.get("/export").json()
    web, machine = client_index(data, "demo-web"), client_index(data, "demo-machine")
    data["clients"][web]["metadata"]["redirect_uris"] = ["http://example.com/cb"]
    data["clients"][machine]["metadata"]["token_endpoint_auth_method"] = "magic"
    response = api.post("/import", params={"mode": "replace"}, json=data)
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert fields == {
        f"clients[{web}].redirect_uris": "plain http is only for localhost and loopback "
                                         "addresses",
        f"clients[{machine}].token_endpoint_auth_method": "unsupported value"}
    stored = server.store.get_client("demo-web").metadata["redirect_uris"]
    assert stored == ["http://localhost:3000/callback"]


def test_a_client_scope_is_checked_against_the_scopes_the_import_leaves(api, server):
    data = api.get("/export").json()
    data["clients"].append({"client_id": "uses-new-scope", "metadata": {
        **EXTRA_CLIENT, "scope": "api.reports"}, "secret": "s", "trusted": False,
        "active": True, "expires_at": None})
    refused = api.post("/import", json=data)
    assert refused.status_code == 400
    assert refused.json()["fields"] == {
        f"clients[{len(data['clients']) - 1}].scope": "unknown scope value"}
    data["scopes"].append({"name": "api.reports", "kind": "oauth", "description": "Reports",
                           "claims": [], "builtin": False})
    assert api.post("/import", json=data).status_code == 200
    assert server.store.get_client("uses-new-scope").metadata["scope"] == "api.reports"


@pytest.mark.parametrize(("change", "field", "message"), [
    (lambda client: client["metadata"].update(client_secret="x"), "client_secret",
     "issued by the server, not client metadata"),
    (lambda client: client.update(secret=None), "secret",
     "required by token_endpoint_auth_method client_secret_basic"),
    (lambda client: client["metadata"].update(grant_types=["authorization_code"],
                                              redirect_uris=[]),
     "redirect_uris", "missing: the grant types need them"),
    (lambda client: client["metadata"].update(jwks_uri="ftp://keys.example/jwks"), "jwks_uri",
     "expected an absolute http(s) URL"),
], ids=["issued-field", "secret-missing", "redirect-uris-missing", "jwks-uri"])
def test_an_imported_client_is_refused_as_registration_would_refuse_it(
        api, change, field, message):
    data = api.get("/export").json()
    index = client_index(data, "demo-machine")
    data["clients"][index]["secret"] = TEST_SECRET
    change(data["clients"][index])
    response = api.post("/import", json=data)
    assert response.status_code == 400
    assert response.json()["fields"] == {f"clients[{index}].{field}": message}
    assert f"clients[{index}].{field}" in response.json()["error_description"]


def test_the_acrs_travel_with_the_clients_that_name_them(exported, target, target_api):
    response = target_api.post("/import", params={"mode": "replace"}, json=exported)
    assert response.status_code == 200, response.text
    acrs = {acr.value: acr for acr in target.store.find_acrs()}
    assert acrs["urn:example:hw"].default and acrs["urn:example:hw"].level == 3
    assert not acrs["urn:pocket-op:mfa"].enabled
    supported = target.get("/.well-known/openid-configuration").json()["acr_values_supported"]
    assert "urn:example:hw" in supported and "urn:pocket-op:mfa" not in supported


def test_replace_leaves_exactly_the_file_s_acrs_and_an_older_file_leaves_them_alone(
        exported, target, target_api):
    target.store.create_acr("urn:target:only", 1)
    older = {name: value for name, value in exported.items() if name != "acrs"}
    assert target_api.post("/import", params={"mode": "replace"}, json={
        **older, "clients": [c for c in older["clients"] if c["client_id"] != "extra"],
    }).status_code == 200
    assert "urn:target:only" in {acr.value for acr in target.store.find_acrs()}
    assert target_api.post("/import", params={"mode": "replace"},
                           json=exported).status_code == 200
    assert {acr.value for acr in target.store.find_acrs()} == {
        acr["value"] for acr in exported["acrs"]}


def test_an_acr_section_without_one_enabled_default_is_refused(exported, target, target_api):
    before = target_api.get("/export").json()
    acrs = [{**acr, "default": False} for acr in exported["acrs"]]
    response = target_api.post("/import", params={"mode": "replace"},
                               json={**exported, "acrs": acrs})
    assert response.status_code == 400
    assert "exactly one default" in response.text
    assert without_keys(target_api.get("/export").json()) == without_keys(before)
