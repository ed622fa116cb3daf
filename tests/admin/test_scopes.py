"""``/admin/api/scopes``: OAuth and OpenID scopes with their claims: list, read, create,
update the description and claims, delete (never a built-in one); spontaneous scopes are
read-only."""

from __future__ import annotations

import pytest

from tests.tokens import verify_jwt

from .conftest import spa_tokens


def test_list_holds_the_builtin_openid_scopes_with_their_claims(api):
    scopes = {s["name"]: s for s in api.get("/scopes").json()["scopes"]}
    assert scopes["email"] == {"name": "email", "kind": "openid",
                               "description": "Email address",
                               "claims": ["email", "email_verified"], "builtin": True}
    assert scopes["api.read"]["kind"] == "oauth" and scopes["api.read"]["builtin"] is False


def test_list_with_kind_and_q_filters(api):
    response = api.get("/scopes", params={"kind": "oauth", "q": "READ"})
    assert [s["name"] for s in response.json()["scopes"]] == ["api.read"]


def test_get_returns_one_scope(api):
    assert api.get("/scopes/phone").json()["claims"] == ["phone_number",
                                                         "phone_number_verified"]


def test_get_of_an_unknown_scope_is_404_not_found(api):
    response = api.get("/scopes/nope")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_create_an_oauth_scope_which_discovery_then_lists(api, server):
    response = api.post("/scopes", json={"name": "https://api.example/orders.read",
                                         "description": "Read orders"})
    assert response.status_code == 201
    assert response.json() == {"name": "https://api.example/orders.read", "kind": "oauth",
                               "description": "Read orders", "claims": [], "builtin": False}
    discovery = server.get("/.well-known/openid-configuration").json()
    assert "https://api.example/orders.read" in discovery["scopes_supported"]
    assert api.get("/scopes/https://api.example/orders.read").status_code == 200


def test_create_an_openid_scope_with_claims(api):
    response = api.post("/scopes", json={"name": "employee", "kind": "openid",
                                         "claims": ["employee_id", "department"]})
    assert response.status_code == 201
    assert response.json()["claims"] == ["department", "employee_id"]


def test_create_with_a_taken_name_is_409_conflict(api):
    response = api.post("/scopes", json={"name": "email"})
    assert response.status_code == 409
    assert response.json()["error"] == "conflict"


@pytest.mark.parametrize(("body", "field"), [
    ({}, "name"),
    ({"name": "two words"}, "name"),
    ({"name": 'quo"te'}, "name"),
    ({"name": "s", "kind": "spontaneous"}, "kind"),
    ({"name": "s", "kind": "magic"}, "kind"),
    ({"name": "s", "claims": ["email"]}, "claims"),
    ({"name": "s", "kind": "openid", "claims": "email"}, "claims"),
    ({"name": "s", "kind": "openid", "claims": ["has space"]}, "claims"),
    ({"name": "s", "description": 3}, "description"),
    ({"name": "s", "builtin": True}, "builtin"),
], ids=["no-name", "space", "quote", "spontaneous", "unknown-kind", "claims-on-oauth",
        "claims-not-list", "claim-with-space", "description-type", "builtin"])
def test_create_with_an_invalid_field_names_it(api, body, field):
    response = api.post("/scopes", json=body)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
    assert field in response.json()["fields"]


def test_patch_changes_the_description_and_keeps_the_claims(api):
    response = api.patch("/scopes/email", json={"description": "Your email"})
    assert response.status_code == 200
    assert response.json()["description"] == "Your email"
    assert response.json()["claims"] == ["email", "email_verified"]


def test_put_replaces_description_and_claims(api):
    response = api.put("/scopes/email", json={"claims": ["email"]})
    assert (response.json()["description"], response.json()["claims"]) == ("", ["email"])


def test_put_accepts_the_scope_sent_back_as_read(api):
    scope = api.get("/scopes/email").json()
    assert api.put("/scopes/email", json=scope).json() == scope


@pytest.mark.parametrize(("body", "field"), [
    ({"name": "renamed"}, "name"),
    ({"kind": "oauth"}, "kind"),
    ({"builtin": False}, "builtin"),
    ({"claims": [1]}, "claims"),
], ids=["name", "kind", "builtin", "claims"])
def test_update_with_an_invalid_field_names_it(api, body, field):
    response = api.patch("/scopes/email", json=body)
    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_update_of_a_spontaneous_scope_is_409(api, server):
    server.store.create_scope("orders:42", "spontaneous")
    response = api.patch("/scopes/orders:42", json={"description": "x"})
    assert response.status_code == 409


def test_a_claim_added_to_a_scope_is_in_the_next_id_token(api, server):
    api.patch("/scopes/email", json={"claims": ["email", "email_verified", "locale"]})
    claims = verify_jwt(server, spa_tokens(server, scope="openid email")["id_token"])
    assert claims["locale"] == "en-US"


def test_delete_removes_the_scope(api):
    api.post("/scopes", json={"name": "orders"})
    assert api.delete("/scopes/orders").status_code == 204
    assert api.get("/scopes/orders").status_code == 404


def test_delete_of_a_builtin_scope_is_409_conflict(api):
    response = api.delete("/scopes/profile")
    assert response.status_code == 409
    assert response.json()["error"] == "conflict"
    assert api.get("/scopes/profile").status_code == 200


def test_delete_of_a_scope_a_client_may_ask_for_is_409_naming_the_client(api):
    api.post("/scopes", json={"name": "orders"})
    api.post("/clients", json={"client_id": "shop", "metadata": {
        "grant_types": ["client_credentials"], "scope": "orders"}})
    response = api.delete("/scopes/orders")
    assert response.status_code == 409
    assert "shop" in response.json()["error_description"]


def test_delete_of_an_unknown_scope_is_404(api):
    assert api.delete("/scopes/nope").status_code == 404


def test_created_updated_and_deleted_emit_events_with_the_scope_name(api):
    api.post("/scopes", json={"name": "orders"})
    api.patch("/scopes/orders", json={"description": "Orders"})
    api.delete("/scopes/orders")
    for event in ("scope.created", "scope.updated", "scope.deleted"):
        assert api.events(event)[0]["fields"]["scope"] == "orders"
