"""``/admin/api/users``: the people who sign in, by sub: list and search, read, create, update
claims, password and active, delete; passwords never come back; changes act on the next
sign-in and the next token."""

from __future__ import annotations

import json

import pytest

from tests.flows import Browser, spa_request
from tests.tokens import verify_jwt

from .conftest import spa_tokens

NEW_USER = {"username": "carol", "password": "carol-pass",
            "claims": {"name": "Carol Chen", "email": "carol@example.com"}}


def can_sign_in(server, username: str, password: str) -> bool:
    browser = Browser(server)
    response = browser.login(browser.authorize(**spa_request()[0]), username, password)
    return 'name="password"' not in response.text


def sub_of(api, username: str) -> str:
    [user] = api.get("/users", params={"q": username}).json()["users"]
    return user["sub"]


def test_list_holds_the_demo_users_without_passwords(api):
    users = api.get("/users").json()["users"]
    assert [u["username"] for u in users] == ["alice", "bob"]
    assert set(users[0]) == {"sub", "username", "claims", "active", "created_at",
                             "updated_at"}


def test_list_with_q_searches_username_name_and_email(api):
    response = api.get("/users", params={"q": "brown"})
    assert [u["username"] for u in response.json()["users"]] == ["bob"]


def test_get_returns_the_user_by_sub(api, server):
    sub = server.store.get_user("alice").sub
    body = api.get(f"/users/{sub}").json()
    assert body["username"] == "alice" and body["claims"]["email"] == "alice@example.com"


def test_get_of_an_unknown_user_is_404_not_found(api):
    response = api.get("/users/nope")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_create_returns_the_user_without_the_password(api):
    response = api.post("/users", json=NEW_USER)
    assert response.status_code == 201
    body = response.json()
    assert body["username"] == "carol" and body["claims"] == NEW_USER["claims"]
    assert body["active"] is True and body["sub"]
    assert "carol-pass" not in response.text


def test_create_keeps_a_given_sub(api):
    assert api.post("/users", json={**NEW_USER, "sub": "carol-1"}).json()["sub"] == "carol-1"


def test_a_user_created_through_the_api_can_sign_in(api, server):
    api.post("/users", json=NEW_USER)
    assert can_sign_in(server, "carol", "carol-pass")


def test_create_with_a_taken_username_is_409_conflict(api):
    response = api.post("/users", json={**NEW_USER, "username": "alice"})
    assert response.status_code == 409
    assert response.json()["error"] == "conflict"


@pytest.mark.parametrize(("body", "field"), [
    ({"password": "p"}, "username"),
    ({"username": "carol"}, "password"),
    ({"username": "carol", "password": ""}, "password"),
    ({"username": "two words", "password": "p"}, "username"),
    ({"username": "carol", "password": "p", "claims": []}, "claims"),
    ({"username": "carol", "password": "p", "claims": {"email_verified": "yes"}},
     "claims.email_verified"),
    ({"username": "carol", "password": "p", "claims": {"address": "Main St"}},
     "claims.address"),
    ({"username": "carol", "password": "p", "claims": {"name": 7}}, "claims.name"),
    ({"username": "carol", "password": "p", "claims": {"sub": "x"}}, "claims.sub"),
    ({"username": "carol", "password": "p", "active": "no"}, "active"),
    ({"username": "carol", "password": "p", "role": "admin"}, "role"),
], ids=["no-username", "no-password", "empty-password", "username-space", "claims-type",
        "boolean-claim", "address-claim", "string-claim", "sub-claim", "active", "unknown"])
def test_create_with_an_invalid_field_names_it(api, body, field):
    response = api.post("/users", json=body)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
    assert field in response.json()["fields"]


def test_create_keeps_custom_claims_of_any_json_type(api):
    claims = {"roles": ["admin", "dev"], "tenant": {"id": 7}}
    assert api.post("/users", json={**NEW_USER, "claims": claims}).json()["claims"] == claims


def test_patch_merges_claims_and_a_null_removes_one(api):
    sub = sub_of(api, "bob")
    response = api.patch(f"/users/{sub}", json={"claims": {"nickname": "bobby",
                                                           "locale": None}})
    assert response.status_code == 200
    claims = response.json()["claims"]
    assert claims["nickname"] == "bobby" and claims["name"] == "Bob Brown"
    assert "locale" not in claims


def test_put_replaces_the_claims(api):
    sub = sub_of(api, "bob")
    response = api.put(f"/users/{sub}", json={"claims": {"name": "Robert"}})
    assert response.json()["claims"] == {"name": "Robert"}


def test_put_without_claims_names_the_field(api):
    response = api.put(f"/users/{sub_of(api, 'bob')}", json={"active": False})
    assert response.status_code == 400
    assert "claims" in response.json()["fields"]


def test_a_claim_edited_through_the_api_is_in_the_next_id_token(api, server):
    sub = sub_of(api, "alice")
    api.patch(f"/users/{sub}", json={"claims": {"name": "Alice Edited"}})
    claims = verify_jwt(server, spa_tokens(server)["id_token"])
    assert claims["sub"] == sub and claims["name"] == "Alice Edited"


def test_a_password_reset_through_the_api_replaces_the_old_one(api, server):
    response = api.patch(f"/users/{sub_of(api, 'bob')}", json={"password": "new-bob-pass"})
    assert response.status_code == 200
    assert "new-bob-pass" not in response.text
    assert can_sign_in(server, "bob", "new-bob-pass")
    assert not can_sign_in(server, "bob", "bob")


def test_a_deactivated_user_cannot_sign_in(api, server):
    api.patch(f"/users/{sub_of(api, 'bob')}", json={"active": False})
    assert not can_sign_in(server, "bob", "bob")


@pytest.mark.parametrize(("body", "field"), [
    ({"username": "robert"}, "username"),
    ({"sub": "other"}, "sub"),
    ({"password": ""}, "password"),
    ({"active": 1}, "active"),
    ({"claims": {"phone_number_verified": "true"}}, "claims.phone_number_verified"),
], ids=["username", "sub", "empty-password", "active", "claim-type"])
def test_update_with_an_invalid_field_names_it(api, body, field):
    response = api.patch(f"/users/{sub_of(api, 'bob')}", json=body)
    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_update_of_an_unknown_user_is_404(api):
    assert api.patch("/users/nope", json={"active": False}).status_code == 404


def test_delete_removes_the_user(api):
    sub = sub_of(api, "bob")
    assert api.delete(f"/users/{sub}").status_code == 204
    assert api.get(f"/users/{sub}").status_code == 404


def test_delete_of_an_unknown_user_is_404(api):
    assert api.delete("/users/nope").status_code == 404


def test_changes_emit_user_events_with_the_sub_and_no_password(api):
    sub = api.post("/users", json=NEW_USER).json()["sub"]
    api.patch(f"/users/{sub}", json={"password": "changed-pass"})
    api.delete(f"/users/{sub}")
    for event in ("user.created", "user.updated", "user.deleted"):
        assert api.events(event)[0]["fields"]["sub"] == sub
    assert api.events("user.updated")[0]["fields"]["changed"] == ["password"]
    everything = json.dumps(api.get("/events", params={"limit": 500}).json())
    assert "carol-pass" not in everything and "changed-pass" not in everything
