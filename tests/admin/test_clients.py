"""``/admin/api/clients``: list and search, read, create (a generated id and a secret shown
once), replace and patch, delete, regenerate the secret; metadata checked as dynamic
registration checks it; and the changes acting on the next protocol request."""

from __future__ import annotations

import json
import time

import pytest

from tests.flows import SPA_REDIRECT, Browser, basic, redirect_params
from tests.tokens import verify_jwt

WEB = {"client_name": "Admin-made app", "redirect_uris": [SPA_REDIRECT],
       "grant_types": ["authorization_code"], "scope": "openid profile"}
MACHINE = {"grant_types": ["client_credentials"], "scope": "api.read"}


def create(api, metadata=None, **fields) -> dict:
    response = api.post("/clients", json={"metadata": metadata or MACHINE, **fields})
    assert response.status_code == 201, response.text
    return response.json()


def client_credentials(server, client_id: str, secret: str):
    return server.post("/token", data={"grant_type": "client_credentials"},
                       headers=basic(client_id, secret))


def test_list_holds_the_demo_clients_without_secrets(api, server):
    response = api.get("/clients")
    assert response.status_code == 200
    clients = {c["client_id"]: c for c in response.json()["clients"]}
    assert {"demo-web", "demo-spa", "demo-machine"} <= set(clients)
    assert clients["demo-web"]["has_secret"] is True
    assert not [c for c in clients.values() if "client_secret" in c]
    assert server.store.get_client_secret("demo-web") not in response.text


def test_list_with_q_keeps_the_clients_whose_id_or_name_matches(api):
    response = api.get("/clients", params={"q": "MACHINE"})
    assert [c["client_id"] for c in response.json()["clients"]] == ["demo-machine"]


def test_get_returns_the_metadata_and_the_admin_fields(api):
    body = api.get("/clients/demo-spa").json()
    assert body["client_id"] == "demo-spa"
    assert body["metadata"]["token_endpoint_auth_method"] == "none"
    assert (body["trusted"], body["active"], body["expires_at"], body["has_secret"]) == (
        False, True, None, False)


def test_get_of_an_unknown_client_is_404_not_found(api):
    response = api.get("/clients/nope")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_create_generates_a_client_id_and_shows_the_secret_once(api):
    body = create(api)
    assert len(body["client_id"]) >= 16 and len(body["client_secret"]) >= 32
    assert body["has_secret"] is True
    assert "client_secret" not in api.get(f"/clients/{body['client_id']}").json()


def test_create_applies_the_registration_defaults(api):
    metadata = create(api)["metadata"]
    assert metadata["token_endpoint_auth_method"] == "client_secret_basic"
    assert metadata["response_types"] == []


def test_create_of_a_public_client_issues_no_secret(api):
    body = create(api, {**WEB, "token_endpoint_auth_method": "none"})
    assert "client_secret" not in body and body["has_secret"] is False


def test_create_keeps_a_given_client_id_and_admin_fields(api):
    body = create(api, client_id="my-app", trusted=True, active=False, expires_at=2000000000)
    assert body["client_id"] == "my-app"
    assert (body["trusted"], body["active"], body["expires_at"]) == (True, False, 2000000000)


def test_create_with_a_taken_client_id_is_409_conflict(api):
    response = api.post("/clients", json={"client_id": "demo-web", "metadata": MACHINE})
    assert response.status_code == 409
    assert response.json()["error"] == "conflict"


@pytest.mark.parametrize(("metadata", "error", "field"), [
    ({**WEB, "redirect_uris": ["http://app.example/cb"]}, "invalid_redirect_uri",
     "redirect_uris"),
    ({**WEB, "redirect_uris": []}, "invalid_redirect_uri", "redirect_uris"),
    ({**MACHINE, "grant_types": ["urn:example:magic"]}, "invalid_client_metadata",
     "grant_types"),
    ({**MACHINE, "scope": "api.read nonexistent"}, "invalid_client_metadata", "scope"),
    ({**MACHINE, "token_endpoint_auth_method": "none"}, "invalid_client_metadata",
     "token_endpoint_auth_method"),
    ({**MACHINE, "client_uri": "not a url"}, "invalid_client_metadata", "client_uri"),
    ({**MACHINE, "access_token_lifetime": "1h"}, "invalid_client_metadata",
     "access_token_lifetime"),
], ids=["http-redirect", "no-redirect", "grant-type", "scope", "auth-method", "client-uri",
        "lifetime"])
def test_create_with_invalid_metadata_gives_the_registration_error_naming_the_field(
        api, metadata, error, field):
    response = api.post("/clients", json={"metadata": metadata})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == error
    assert list(body["fields"]) == [field]
    assert f"'{field}'" in body["error_description"]


@pytest.mark.parametrize(("body", "field"), [
    ({}, "metadata"),
    ({"metadata": ["x"]}, "metadata"),
    ({"metadata": MACHINE, "client_id": "has space"}, "client_id"),
    ({"metadata": MACHINE, "client_id": "a/b"}, "client_id"),
    ({"metadata": MACHINE, "trusted": "yes"}, "trusted"),
    ({"metadata": MACHINE, "active": None}, "active"),
    ({"metadata": MACHINE, "expires_at": "tomorrow"}, "expires_at"),
    ({"metadata": MACHINE, "expires_at": 10**15}, "expires_at"),
    ({"metadata": MACHINE, "colour": "red"}, "colour"),
    ({"metadata": {**MACHINE, "client_secret": "mine"}}, "client_secret"),
], ids=["no-metadata", "metadata-not-object", "client-id-space", "client-id-slash",
        "trusted", "active-null", "expires-at", "expires-at-far", "unknown-field", "chosen-secret"])
def test_create_with_an_invalid_admin_field_names_it(api, body, field):
    response = api.post("/clients", json=body)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
    assert field in response.json()["fields"]


def test_an_infinite_expiry_is_refused_naming_the_field(api):
    response = api.post("/clients", data='{"metadata": {}, "expires_at": 1e400}',
                        headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert "expires_at" in response.json()["fields"]


def test_put_replaces_the_metadata_so_omitted_fields_are_gone(api):
    client_id = create(api, {**MACHINE, "client_name": "Before"})["client_id"]
    response = api.put(f"/clients/{client_id}", json={"metadata": {**MACHINE,
                                                                    "scope": "api.write"}})
    assert response.status_code == 200
    metadata = api.get(f"/clients/{client_id}").json()["metadata"]
    assert "client_name" not in metadata and metadata["scope"] == "api.write"


def test_put_without_metadata_names_the_field(api):
    response = api.put("/clients/demo-machine", json={"trusted": True})
    assert response.status_code == 400
    assert response.json()["fields"] == {"metadata": "required"}


def test_patch_merges_the_metadata_and_a_null_removes_a_field(api):
    response = api.patch("/clients/demo-web", json={"metadata": {
        "client_name": "Renamed", "post_logout_redirect_uris": None}})
    assert response.status_code == 200
    metadata = api.get("/clients/demo-web").json()["metadata"]
    assert metadata["client_name"] == "Renamed"
    assert metadata["redirect_uris"] == ["http://localhost:3000/callback"]
    assert "post_logout_redirect_uris" not in metadata


@pytest.mark.parametrize(("field", "value"), [
    ("trusted", True),
    ("active", False),
    ("expires_at", 1900000000.5),
], ids=["trusted", "active", "expires-at"])
def test_patch_changes_an_admin_field_alone(api, field, value):
    before = api.get("/clients/demo-web").json()
    after = api.patch("/clients/demo-web", json={field: value}).json()
    assert after[field] == value
    assert after["metadata"] == before["metadata"]


def test_patch_with_invalid_metadata_leaves_the_client_unchanged(api):
    before = api.get("/clients/demo-web").json()
    response = api.patch("/clients/demo-web", json={"metadata": {"redirect_uris": ["bad"]}})
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["redirect_uris"]
    assert api.get("/clients/demo-web").json() == before


def test_the_client_id_can_be_sent_back_but_not_changed(api):
    client = api.get("/clients/demo-web").json()
    assert api.put("/clients/demo-web", json={
        "client_id": "demo-web", "metadata": client["metadata"]}).status_code == 200
    response = api.patch("/clients/demo-web", json={"client_id": "renamed"})
    assert response.status_code == 400
    assert response.json()["fields"] == {"client_id": "cannot be changed"}


def test_patch_of_an_unknown_client_is_404(api):
    assert api.patch("/clients/nope", json={"trusted": True}).status_code == 404


def test_switching_to_a_secret_method_issues_a_secret_shown_once(api):
    response = api.patch("/clients/demo-spa", json={"metadata": {
        "token_endpoint_auth_method": "client_secret_post", "require_pkce": False}})
    assert response.status_code == 200
    assert response.json()["has_secret"] is True and len(response.json()["client_secret"]) >= 32


def test_switching_to_a_method_without_secret_drops_the_secret(api):
    response = api.patch("/clients/demo-web", json={"metadata": {
        "token_endpoint_auth_method": "none"}})
    assert response.json()["has_secret"] is False and "client_secret" not in response.json()


def test_delete_removes_the_client(api):
    assert api.delete("/clients/demo-machine").status_code == 204
    assert api.get("/clients/demo-machine").status_code == 404


def test_delete_of_an_unknown_client_is_404(api):
    assert api.delete("/clients/nope").status_code == 404


def test_regenerating_the_secret_shows_a_new_one_that_alone_works(api, server):
    old = create(api)
    response = api.post(f"/clients/{old['client_id']}/secret")
    assert response.status_code == 200
    new = response.json()["client_secret"]
    assert new != old["client_secret"]
    assert client_credentials(server, old["client_id"], new).status_code == 200
    assert client_credentials(server, old["client_id"], old["client_secret"]).status_code == 401


def test_regenerating_the_secret_of_a_public_client_is_409(api):
    response = api.post("/clients/demo-spa/secret")
    assert response.status_code == 409
    assert response.json()["error"] == "conflict"


def test_a_client_created_through_the_api_completes_a_code_flow(api, server):
    created = create(api, WEB)
    params = {"client_id": created["client_id"], "response_type": "code",
              "scope": "openid profile", "redirect_uri": SPA_REDIRECT, "state": "s",
              "nonce": "n"}
    back = redirect_params(Browser(server).sign_in_and_allow(**params))
    response = server.post("/token", headers=basic(created["client_id"],
                                                   created["client_secret"]), data={
        "grant_type": "authorization_code", "code": back["code"], "redirect_uri": SPA_REDIRECT})
    assert response.status_code == 200, response.text
    claims = verify_jwt(server, response.json()["id_token"])
    assert claims["aud"] == created["client_id"] and claims["name"] == "Alice Adams"


def test_a_trusted_client_skips_the_consent_page(api, server):
    created = create(api, WEB, trusted=True)
    params = {"client_id": created["client_id"], "response_type": "code", "scope": "openid",
              "redirect_uri": SPA_REDIRECT, "state": "s"}
    browser = Browser(server)
    response = browser.login(browser.authorize(**params), "alice", "alice")
    assert "code" in redirect_params(response)


@pytest.mark.parametrize("change", [{"active": False}, {"expires_at": time.time() - 1}],
                         ids=["inactive", "expired"])
def test_an_inactive_or_expired_client_is_refused_at_the_token_endpoint(api, server, change):
    created = create(api)
    api.patch(f"/clients/{created['client_id']}", json=change)
    response = client_credentials(server, created["client_id"], created["client_secret"])
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


@pytest.mark.parametrize(("action", "event"), [
    (lambda api: api.post("/clients", json={"client_id": "x1", "metadata": MACHINE}),
     "client.created"),
    (lambda api: api.patch("/clients/demo-web", json={"trusted": True}), "client.updated"),
    (lambda api: api.delete("/clients/demo-web"), "client.deleted"),
    (lambda api: api.post("/clients/demo-web/secret"), "client.secret_regenerated"),
], ids=["created", "updated", "deleted", "secret-regenerated"])
def test_each_change_emits_its_event_with_the_client_id_and_no_secret(api, action, event):
    response = action(api)
    assert response.status_code < 300
    [found] = api.events(event)[:1]
    assert found["fields"]["client_id"] in ("x1", "demo-web")
    secret = response.json().get("client_secret") if response.content else None
    assert not secret or secret not in json.dumps(api.events(event))


OPTION_FIELDS = [("id_token_signed_response_alg", "signing_alg"),
                 ("introspection_signed_response_alg", "signing_alg"),
                 ("access_token_signing_alg", "signing_alg"),
                 ("request_object_signing_alg", "request_object_signing_alg"),
                 ("userinfo_encrypted_response_enc", "userinfo_encrypted_response_enc"),
                 ("subject_type", "subject_type"),
                 ("code_challenge_method", "code_challenge_method")]


@pytest.mark.parametrize(("field", "option"), OPTION_FIELDS,
                         ids=[field for field, _ in OPTION_FIELDS])
def test_each_offered_choice_is_accepted_and_another_value_is_refused(api, field, option):
    choices = api.get("/client-options").json()[option]
    assert choices
    extra = {"userinfo_encrypted_response_alg": "RSA-OAEP", "jwks_uri": "https://k.example/j"}
    for value in choices:
        metadata = {**MACHINE, field: value, **(extra if "encrypted" in field else {})}
        response = api.post("/clients", json={"metadata": metadata})
        assert response.status_code == 201, (value, response.text)
    refused = api.post("/clients", json={"metadata": {**MACHINE, field: "XX999"}})
    assert refused.status_code == 400 and field in refused.json()["fields"]


def test_the_offered_grants_methods_and_acrs_are_discovery_s(api, server):
    options = api.get("/client-options").json()
    discovery = server.get("/.well-known/openid-configuration").json()
    assert options["grant_type"] == discovery["grant_types_supported"]
    assert options["token_endpoint_auth_method"] == discovery[
        "token_endpoint_auth_methods_supported"]
    assert options["acr_value"] == discovery["acr_values_supported"]
    assert set(options["scope"]) == {scope.name for scope in server.store.find_scopes()}
