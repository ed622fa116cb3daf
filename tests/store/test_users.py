"""End users and the admin account: records, scrypt password hashes (never the password),
authentication, and what deleting a user takes with it."""

from __future__ import annotations

import time
import uuid
from dataclasses import replace

import pytest

from app.store import AlreadyExists, NotFound
from app.store.records import UserRecord

from .helpers import CLIENT_ID, PASSWORD, REDIRECT_URI, USERNAME, in_an_hour

CLAIMS = {"name": "Alice Adams", "email": "alice@example.com", "email_verified": True,
          "address": {"country": "FR", "locality": "Paris"}}
SCRYPT_PREFIX = "scrypt$16384$8$1$"


def password_hash(store, username: str) -> str:
    return store.m.User.get(store.m.User.username == username).password_hash


def test_create_user_returns_the_record_of_the_new_user(store):
    before = time.time()
    record = store.create_user(USERNAME, PASSWORD, CLAIMS)
    assert before <= record.created_at <= time.time()
    assert record == UserRecord(sub=record.sub, username=USERNAME, claims=CLAIMS, active=True,
                                created_at=record.created_at, updated_at=record.created_at)


def test_create_user_without_sub_gives_a_random_uuid(store):
    record = store.create_user(USERNAME, PASSWORD)
    assert str(uuid.UUID(record.sub)) == record.sub
    assert uuid.UUID(record.sub).version == 4


def test_create_user_keeps_a_given_sub(store):
    assert store.create_user(USERNAME, PASSWORD, sub="sub-1").sub == "sub-1"


def test_create_user_without_claims_has_empty_claims(store):
    assert store.create_user(USERNAME, PASSWORD).claims == {}


@pytest.mark.parametrize(("username", "sub"), [
    (USERNAME, "another-sub"),
    ("another-name", "sub-1"),
], ids=["same-username", "same-sub"])
def test_create_user_with_a_taken_username_or_sub_raises_already_exists(store, username, sub):
    store.create_user(USERNAME, PASSWORD, sub="sub-1")
    with pytest.raises(AlreadyExists):
        store.create_user(username, "other-password", sub=sub)


def test_get_user_finds_the_user_by_username(store, user):
    assert store.get_user(USERNAME) == user


def test_get_user_by_sub_finds_the_user_by_sub(store, user):
    assert store.get_user_by_sub(user.sub) == user


@pytest.mark.parametrize("method", ["get_user", "get_user_by_sub", "delete_user"])
def test_getting_or_deleting_an_unknown_user_raises_not_found(store, method):
    with pytest.raises(NotFound):
        getattr(store, method)("nobody")


def test_find_users_lists_every_user_ordered_by_username(store):
    for name in ("carol", "bob"):
        store.create_user(name, name)
    assert [u.username for u in store.find_users()] == ["bob", "carol"]


@pytest.mark.parametrize(("query", "expected"), [
    ("ALI", ["alice"]),
    ("sub-b", ["bob"]),
    ("Brown", ["bob"]),
    ("@example.com", ["alice", "bob"]),
    ("%", []),
    ("", ["alice", "bob", "carol"]),
], ids=["username-any-case", "sub", "name-claim", "email-claim", "no-wildcards", "empty"])
def test_find_users_with_a_query_lists_the_users_matching_it(store, query, expected):
    store.create_user("alice", "a", {"email": "alice@example.com"}, sub="sub-a")
    store.create_user("bob", "b", {"name": "Bob Brown", "email": "bob@example.com"}, sub="sub-b")
    store.create_user("carol", "c", {"address": {"locality": "Brownsville"}}, sub="sub-c")
    assert [u.username for u in store.find_users(query)] == expected


def test_the_password_is_stored_as_an_scrypt_hash(store, user):
    stored = password_hash(store, USERNAME)
    assert stored.startswith(SCRYPT_PREFIX)
    assert PASSWORD not in stored


def test_the_same_password_hashes_differently_for_two_users(store, user):
    store.create_user("bob", PASSWORD)
    assert password_hash(store, "bob") != password_hash(store, USERNAME)


def test_the_password_is_not_in_clear_in_the_database_files(store, user, database_bytes):
    data = database_bytes()
    assert USERNAME.encode() in data
    assert PASSWORD.encode() not in data


def test_authenticate_user_with_the_right_password_returns_the_user(store, user):
    assert store.authenticate_user(USERNAME, PASSWORD) == user


@pytest.mark.parametrize(("username", "password"), [
    (USERNAME, "wrong-password"),
    (USERNAME, ""),
    (USERNAME, PASSWORD.upper()),
    ("nobody", PASSWORD),
], ids=["wrong-password", "empty-password", "other-case", "unknown-user"])
def test_authenticate_user_with_wrong_credentials_returns_none(store, user, username, password):
    assert store.authenticate_user(username, password) is None


def test_authenticate_user_refuses_an_inactive_user(store, user):
    store.update_user(user.sub, active=False)
    assert store.authenticate_user(USERNAME, PASSWORD) is None


def test_update_user_replaces_the_claims(store, user):
    updated = store.update_user(user.sub, claims={"name": "Alice B."})
    assert updated == replace(user, claims={"name": "Alice B."}, updated_at=updated.updated_at)
    assert store.get_user(USERNAME) == updated


def test_update_user_changes_the_password(store, user):
    store.update_user(user.sub, password="new-password")
    assert store.authenticate_user(USERNAME, PASSWORD) is None
    assert store.authenticate_user(USERNAME, "new-password") == store.get_user(USERNAME)
    assert password_hash(store, USERNAME).startswith(SCRYPT_PREFIX)


@pytest.mark.parametrize("active", [False, True], ids=["deactivate", "reactivate"])
def test_update_user_sets_active(store, user, active):
    store.update_user(user.sub, active=not active)
    assert store.update_user(user.sub, active=active).active is active
    assert store.get_user(USERNAME).active is active


def test_update_user_leaves_what_it_is_not_given(store, user):
    updated = store.update_user(user.sub)
    assert updated == replace(user, updated_at=updated.updated_at)
    assert updated.updated_at >= user.updated_at
    assert store.authenticate_user(USERNAME, PASSWORD) == updated


def test_update_user_of_an_unknown_sub_raises_not_found(store):
    with pytest.raises(NotFound):
        store.update_user("nobody", active=False)


def test_delete_user_removes_it(store, user):
    store.delete_user(user.sub)
    with pytest.raises(NotFound):
        store.get_user_by_sub(user.sub)
    assert store.authenticate_user(USERNAME, PASSWORD) is None


def test_delete_user_frees_the_username(store, user):
    store.delete_user(user.sub)
    assert store.create_user(USERNAME, "another").username == USERNAME


def test_delete_user_ends_its_sessions(store, user):
    cookie, _ = store.create_session(user.sub)
    store.delete_user(user.sub)
    with pytest.raises(NotFound):
        store.get_session_by_cookie(cookie)
    assert store.find_sessions() == []


def test_delete_user_removes_its_consents_codes_and_tokens(store, user, client):
    store.save_consent(user.sub, CLIENT_ID, ["openid"])
    store.save_code("code", CLIENT_ID, user.sub, REDIRECT_URI, "openid", in_an_hour())
    store.save_token("tok", "access", CLIENT_ID, "openid", "fam", in_an_hour(), sub=user.sub)
    store.delete_user(user.sub)
    with pytest.raises(NotFound):
        store.get_consent(user.sub, CLIENT_ID)
    with pytest.raises(NotFound):
        store.consume_code("code")
    with pytest.raises(NotFound):
        store.get_token("tok")


def test_check_admin_password_is_true_for_the_saved_password(store):
    store.save_admin_password("admin", "admin-password")
    assert store.check_admin_password("admin", "admin-password") is True


@pytest.mark.parametrize(("username", "password"), [
    ("admin", "wrong"),
    ("admin", ""),
    ("root", "admin-password"),
], ids=["wrong-password", "empty-password", "unknown-admin"])
def test_check_admin_password_is_false_for_wrong_credentials(store, username, password):
    store.save_admin_password("admin", "admin-password")
    assert store.check_admin_password(username, password) is False


def test_check_admin_password_without_any_admin_is_false(store):
    assert store.check_admin_password("admin", "") is False


def test_save_admin_password_again_replaces_the_password(store):
    store.save_admin_password("admin", "first-password")
    store.save_admin_password("admin", "second-password")
    assert store.check_admin_password("admin", "first-password") is False
    assert store.check_admin_password("admin", "second-password") is True
    assert store.m.Admin.select().count() == 1


def test_the_admin_password_is_stored_as_an_scrypt_hash(store, database_bytes):
    store.save_admin_password("admin", "admin-password-Hq4")
    stored = store.m.Admin.get(store.m.Admin.username == "admin").password_hash
    assert stored.startswith(SCRYPT_PREFIX)
    assert b"admin-password-Hq4" not in database_bytes()


def test_a_saved_admin_session_checks_until_it_is_deleted(store):
    store.save_admin_session("session-1", time.time() + 60)
    assert store.check_admin_session("session-1") is True
    store.delete_admin_session("session-1")
    assert store.check_admin_session("session-1") is False


def test_an_unknown_admin_session_does_not_check(store):
    store.save_admin_session("session-1", time.time() + 60)
    assert store.check_admin_session("session-2") is False


def test_an_admin_session_past_its_end_does_not_check(store):
    store.save_admin_session("session-1", time.time() - 1)
    assert store.check_admin_session("session-1") is False


def test_deleting_one_admin_session_keeps_the_others(store):
    store.save_admin_session("session-1", time.time() + 60)
    store.save_admin_session("session-2", time.time() + 60)
    store.delete_admin_session("session-1")
    assert store.check_admin_session("session-2") is True


def test_admin_sessions_are_stored_as_digests(store, database_bytes):
    store.save_admin_session("session-id-Vb81", time.time() + 60)
    assert b"session-id-Vb81" not in database_bytes()


def test_get_user_password_hash_returns_the_stored_scrypt_hash(store, user):
    stored = store.get_user_password_hash(user.sub)
    assert stored == password_hash(store, USERNAME)
    assert stored.startswith(SCRYPT_PREFIX) and PASSWORD not in stored


def test_get_user_password_hash_of_an_unknown_sub_raises_not_found(store):
    with pytest.raises(NotFound):
        store.get_user_password_hash("nobody")


def test_save_user_creates_a_user_whose_password_hash_is_kept_as_given(store, user):
    copied = store.get_user_password_hash(user.sub)
    record = store.save_user("sub-2", "carol", copied, {"name": "Carol"}, active=False)
    assert (record.sub, record.username, record.claims, record.active) == (
        "sub-2", "carol", {"name": "Carol"}, False)
    assert store.get_user_password_hash("sub-2") == copied


def test_save_user_overwrites_the_user_with_the_same_sub(store, user):
    other = store.create_user("bob", "bob-password-Xy7").sub
    store.save_user(user.sub, "alice2", store.get_user_password_hash(other), {"x": 1})
    assert store.get_user_by_sub(user.sub).username == "alice2"
    assert store.authenticate_user("alice2", "bob-password-Xy7").sub == user.sub
    assert store.authenticate_user("alice2", PASSWORD) is None


def test_save_user_with_a_username_another_sub_holds_raises_already_exists(store, user):
    with pytest.raises(AlreadyExists):
        store.save_user("sub-2", USERNAME, store.get_user_password_hash(user.sub), {})
    assert [record.sub for record in store.find_users()] == [user.sub]
