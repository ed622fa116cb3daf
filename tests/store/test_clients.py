"""Clients: create/get/find/update/delete, the secret kept encrypted but usable in clear,
and what deleting a client takes with it."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from app.store import AlreadyExists, NotFound
from app.store.records import ClientRecord

from .helpers import CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, in_an_hour

METADATA = {
    "client_name": "Wéb app",
    "redirect_uris": [REDIRECT_URI],
    "grant_types": ["authorization_code", "refresh_token"],
    "token_endpoint_auth_method": "client_secret_basic",
    "require_pkce": False,
    "default_max_age": 3600,
    "jwks": {"keys": [{"kty": "EC", "crv": "P-256", "x": "abc", "y": "def"}]},
}


def test_create_client_returns_the_record_of_the_new_client(store):
    before = time.time()
    record = store.create_client(CLIENT_ID, METADATA, secret=CLIENT_SECRET)
    assert before <= record.created_at <= time.time()
    assert record == ClientRecord(
        client_id=CLIENT_ID, metadata=METADATA, trusted=False, active=True, has_secret=True,
        created_at=record.created_at, updated_at=record.created_at, expires_at=None,
    )


def test_create_client_keeps_trusted_and_expires_at(store):
    record = store.create_client(CLIENT_ID, METADATA, trusted=True, expires_at=2000000000.0)
    assert (record.trusted, record.expires_at) == (True, 2000000000.0)


def test_get_client_returns_what_create_client_returned(store):
    created = store.create_client(CLIENT_ID, METADATA, secret=CLIENT_SECRET)
    assert store.get_client(CLIENT_ID) == created


def test_get_client_of_an_unknown_id_raises_not_found(store):
    with pytest.raises(NotFound):
        store.get_client("nobody")


def test_create_client_with_a_taken_id_raises_already_exists(store, client):
    with pytest.raises(AlreadyExists):
        store.create_client(CLIENT_ID, {"client_name": "Other"}, secret="other-secret")


def test_create_client_with_a_taken_id_leaves_the_first_client_unchanged(store, client):
    with pytest.raises(AlreadyExists):
        store.create_client(CLIENT_ID, {"client_name": "Other"}, secret="other-secret")
    assert store.get_client(CLIENT_ID) == client
    assert store.get_client_secret(CLIENT_ID) == CLIENT_SECRET


def test_find_clients_of_a_new_store_is_empty(store):
    assert store.find_clients() == []


def test_find_clients_lists_every_client_ordered_by_client_id(store):
    for client_id in ("b-client", "c-client", "a-client"):
        store.create_client(client_id, {})
    assert [c.client_id for c in store.find_clients()] == ["a-client", "b-client", "c-client"]


@pytest.mark.parametrize(("query", "expected"), [
    ("WEB", ["my-web", "spa"]),
    ("shop", ["spa"]),
    ("_", []),
    ("", ["machine", "my-web", "spa"]),
], ids=["client-id-any-case", "client-name", "no-wildcards", "empty"])
def test_find_clients_with_a_query_lists_those_whose_id_or_name_contains_it(store, query,
                                                                           expected):
    store.create_client("my-web", {"client_name": "Portal"})
    store.create_client("spa", {"client_name": "Web shop"})
    store.create_client("machine", {})
    assert [c.client_id for c in store.find_clients(query)] == expected


@pytest.mark.parametrize(("field", "value"), [
    ("metadata", {"client_name": "Renamed", "redirect_uris": ["http://localhost/x"]}),
    ("trusted", True),
    ("active", False),
    ("expires_at", 1900000000.0),
], ids=["metadata", "trusted", "active", "expires_at"])
def test_update_client_changes_one_field_and_keeps_the_others(store, client, field, value):
    updated = store.update_client(CLIENT_ID, **{field: value})
    assert getattr(updated, field) == value
    assert updated == replace(client, **{field: value, "updated_at": updated.updated_at})
    assert store.get_client(CLIENT_ID) == updated


def test_update_client_moves_updated_at_forward(store, client):
    updated = store.update_client(CLIENT_ID, trusted=True)
    assert updated.updated_at >= client.updated_at
    assert updated.created_at == client.created_at


@pytest.mark.parametrize("field", ["client_id", "secret_enc", "created_at", "has_secret"])
def test_update_client_of_another_field_raises_type_error(store, client, field):
    with pytest.raises(TypeError):
        store.update_client(CLIENT_ID, **{field: "x"})
    assert store.get_client(CLIENT_ID) == client


def test_update_client_of_an_unknown_id_raises_not_found(store):
    with pytest.raises(NotFound):
        store.update_client("nobody", trusted=True)


def test_get_client_secret_returns_the_secret_in_clear(store, client):
    assert store.get_client_secret(CLIENT_ID) == CLIENT_SECRET


def test_get_client_secret_of_a_client_without_secret_is_none(store):
    record = store.create_client("spa", METADATA)
    assert record.has_secret is False
    assert store.get_client_secret("spa") is None


def test_get_client_secret_of_an_unknown_id_raises_not_found(store):
    with pytest.raises(NotFound):
        store.get_client_secret("nobody")


@pytest.mark.parametrize(("candidate", "expected"), [
    (CLIENT_SECRET, True),
    ("wrong-secret", False),
    ("", False),
    (CLIENT_SECRET[:-1], False),
    (CLIENT_SECRET + "x", False),
    (CLIENT_SECRET.upper(), False),
], ids=["right", "wrong", "empty", "prefix", "longer", "other-case"])
def test_check_client_secret_is_true_only_for_the_exact_secret(store, client, candidate,
                                                               expected):
    assert store.check_client_secret(CLIENT_ID, candidate) is expected


def test_check_client_secret_of_a_client_without_secret_is_false(store):
    store.create_client("spa", METADATA)
    assert store.check_client_secret("spa", "") is False


def test_check_client_secret_of_an_unknown_client_is_false(store):
    assert store.check_client_secret("nobody", CLIENT_SECRET) is False


def test_save_client_secret_replaces_the_secret(store, client):
    store.save_client_secret(CLIENT_ID, "new-secret-Pp0")
    assert store.check_client_secret(CLIENT_ID, "new-secret-Pp0") is True
    assert store.check_client_secret(CLIENT_ID, CLIENT_SECRET) is False


def test_save_client_secret_none_removes_the_secret(store, client):
    store.save_client_secret(CLIENT_ID, None)
    assert store.get_client(CLIENT_ID).has_secret is False
    assert store.get_client_secret(CLIENT_ID) is None


def test_save_client_secret_of_an_unknown_client_raises_not_found(store):
    with pytest.raises(NotFound):
        store.save_client_secret("nobody", "secret")


def test_the_secret_is_stored_encrypted_in_the_row(store, client):
    row = store.m.Client.get(store.m.Client.client_id == CLIENT_ID)
    assert row.secret_enc is not None
    assert row.secret_enc != CLIENT_SECRET
    assert CLIENT_SECRET not in row.secret_enc
    assert store.box.decrypt(row.secret_enc) == CLIENT_SECRET


def test_the_secret_is_not_in_clear_in_the_database_files(store, client, database_bytes):
    store.save_client_secret(CLIENT_ID, "rotated-secret-Yu7w")
    store.create_client("other", {}, secret="other-secret-Mb5c")
    data = database_bytes()
    assert CLIENT_ID.encode() in data  # the files hold the rows...
    for secret in (CLIENT_SECRET, "rotated-secret-Yu7w", "other-secret-Mb5c"):
        assert secret.encode() not in data  # ...but never a secret in clear


def test_delete_client_removes_it(store, client):
    store.delete_client(CLIENT_ID)
    with pytest.raises(NotFound):
        store.get_client(CLIENT_ID)


def test_delete_client_of_an_unknown_id_raises_not_found(store):
    with pytest.raises(NotFound):
        store.delete_client("nobody")


def test_delete_client_removes_its_tokens(store, client, user):
    store.save_token("tok", "access", CLIENT_ID, "openid", "fam", in_an_hour(), sub=user.sub)
    store.delete_client(CLIENT_ID)
    with pytest.raises(NotFound):
        store.get_token("tok")


def test_delete_client_removes_its_authorization_codes(store, client, user):
    store.save_code("code", CLIENT_ID, user.sub, REDIRECT_URI, "openid", in_an_hour())
    store.delete_client(CLIENT_ID)
    with pytest.raises(NotFound):
        store.consume_code("code")


def test_delete_client_removes_its_consents(store, client, user):
    store.save_consent(user.sub, CLIENT_ID, ["openid"])
    store.delete_client(CLIENT_ID)
    with pytest.raises(NotFound):
        store.get_consent(user.sub, CLIENT_ID)


def test_delete_client_keeps_the_grants_of_other_clients(store, client, user):
    store.create_client("other", {})
    store.save_token("tok", "access", "other", "openid", "fam", in_an_hour(), sub=user.sub)
    store.save_consent(user.sub, "other", ["openid"])
    store.delete_client(CLIENT_ID)
    assert store.get_token("tok").client_id == "other"
    assert store.get_consent(user.sub, "other") == ["openid"]


def test_registration_token_is_kept_as_a_digest_and_checked(store):
    store.create_client("reg-app", {"client_name": "x"})
    store.save_registration_token("reg-app", "rat-123")
    assert store.check_registration_token("reg-app", "rat-123") is True
    assert store.check_registration_token("reg-app", "rat-124") is False
    assert store.m.Client.get_by_id("reg-app").registration_token_hash != "rat-123"


def test_registration_token_of_an_unknown_client_does_not_check(store):
    assert store.check_registration_token("nobody", "rat-123") is False
