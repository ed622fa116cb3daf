"""SSO sessions (the cookie is a bearer secret: only its digest is stored) and remembered
consents."""

from __future__ import annotations

import time

import pytest

from app.store import NotFound
from app.store.records import SessionRecord

from .helpers import CLIENT_ID, sha256


def test_create_session_returns_the_cookie_and_the_record(store, user):
    before = time.time()
    cookie, record = store.create_session(user.sub, acr="urn:pocket-op:pwd", amr=["pwd"],
                                          user_agent="Firefox/130", ip="127.0.0.1")
    assert before <= record.created_at <= time.time()
    assert record == SessionRecord(
        sid=record.sid, sub=user.sub, auth_time=record.created_at, acr="urn:pocket-op:pwd",
        amr=["pwd"], user_agent="Firefox/130", ip="127.0.0.1", created_at=record.created_at,
        last_used_at=record.created_at, ended_at=None,
    )


def test_create_session_defaults_to_no_acr_no_amr_no_agent_no_ip(store, user):
    _, record = store.create_session(user.sub)
    assert (record.acr, record.amr, record.user_agent, record.ip) == (None, [], "", "")


def test_create_session_gives_a_fresh_cookie_and_sid_each_time(store, user):
    cookie1, record1 = store.create_session(user.sub)
    cookie2, record2 = store.create_session(user.sub)
    assert len({cookie1, cookie2, record1.sid, record2.sid}) == 4
    assert len(cookie1) >= 43  # 32 random bytes, base64url


def test_create_session_cuts_the_user_agent_to_300_characters(store, user):
    _, record = store.create_session(user.sub, user_agent="x" * 1000)
    assert record.user_agent == "x" * 300


def test_the_cookie_is_stored_only_as_its_sha256(store, user, database_bytes):
    cookie, record = store.create_session(user.sub)
    row = store.m.SsoSession.get(store.m.SsoSession.sid == record.sid)
    assert row.cookie_hash == sha256(cookie)
    assert cookie.encode() not in database_bytes()


def test_get_session_by_cookie_returns_the_session(store, user):
    cookie, record = store.create_session(user.sub, amr=["pwd"])
    assert store.get_session_by_cookie(cookie) == record


@pytest.mark.parametrize("cookie", ["unknown-cookie", ""], ids=["unknown", "empty"])
def test_get_session_by_cookie_of_an_unknown_cookie_raises_not_found(store, user, cookie):
    store.create_session(user.sub)
    with pytest.raises(NotFound):
        store.get_session_by_cookie(cookie)


def test_get_session_by_cookie_does_not_accept_the_sid(store, user):
    _, record = store.create_session(user.sub)
    with pytest.raises(NotFound):
        store.get_session_by_cookie(record.sid)


def test_end_session_makes_its_cookie_unknown(store, user):
    cookie, record = store.create_session(user.sub)
    store.end_session(record.sid)
    with pytest.raises(NotFound):
        store.get_session_by_cookie(cookie)


def test_end_session_twice_raises_not_found(store, user):
    _, record = store.create_session(user.sub)
    store.end_session(record.sid)
    with pytest.raises(NotFound):
        store.end_session(record.sid)


def test_end_session_of_an_unknown_sid_raises_not_found(store):
    with pytest.raises(NotFound):
        store.end_session("unknown-sid")


def test_end_session_leaves_the_other_sessions_of_the_user(store, user):
    _, first = store.create_session(user.sub)
    cookie, second = store.create_session(user.sub)
    store.end_session(first.sid)
    assert store.get_session_by_cookie(cookie) == second


def test_touch_session_moves_last_used_at_forward_only(store, user):
    cookie, record = store.create_session(user.sub)
    store.touch_session(record.sid)
    touched = store.get_session_by_cookie(cookie)
    assert touched.last_used_at >= record.last_used_at
    assert touched.auth_time == record.auth_time
    assert touched.created_at == record.created_at


def test_find_sessions_lists_live_sessions_oldest_first(store, user):
    other = store.create_user("bob", "bob")
    _, first = store.create_session(user.sub)
    _, ended = store.create_session(other.sub)
    _, third = store.create_session(other.sub)
    store.end_session(ended.sid)
    assert store.find_sessions() == [first, third]


def test_find_sessions_by_sub_lists_only_that_users_sessions(store, user):
    other = store.create_user("bob", "bob")
    _, first = store.create_session(user.sub)
    store.create_session(other.sub)
    _, third = store.create_session(user.sub)
    assert store.find_sessions(user.sub) == [first, third]
    assert store.find_sessions("nobody") == []


def test_save_consent_then_get_consent_returns_the_scopes_sorted_without_repeats(store, user,
                                                                                 client):
    store.save_consent(user.sub, CLIENT_ID, ["profile", "openid", "email", "openid"])
    assert store.get_consent(user.sub, CLIENT_ID) == ["email", "openid", "profile"]


def test_save_consent_again_replaces_the_scopes(store, user, client):
    store.save_consent(user.sub, CLIENT_ID, ["openid", "email"])
    store.save_consent(user.sub, CLIENT_ID, ["openid"])
    assert store.get_consent(user.sub, CLIENT_ID) == ["openid"]
    assert store.m.Consent.select().count() == 1


def test_consents_are_kept_per_client(store, user, client):
    store.create_client("other", {})
    store.save_consent(user.sub, CLIENT_ID, ["openid"])
    store.save_consent(user.sub, "other", ["email"])
    assert store.get_consent(user.sub, CLIENT_ID) == ["openid"]
    assert store.get_consent(user.sub, "other") == ["email"]


def test_get_consent_without_a_consent_raises_not_found(store, user, client):
    with pytest.raises(NotFound):
        store.get_consent(user.sub, CLIENT_ID)


def test_delete_consent_removes_it(store, user, client):
    store.save_consent(user.sub, CLIENT_ID, ["openid"])
    store.delete_consent(user.sub, CLIENT_ID)
    with pytest.raises(NotFound):
        store.get_consent(user.sub, CLIENT_ID)


def test_delete_consent_without_a_consent_raises_not_found(store, user, client):
    with pytest.raises(NotFound):
        store.delete_consent(user.sub, CLIENT_ID)


def test_get_session_returns_the_session_ended_or_not(store, user):
    _, record = store.create_session(user.sub)
    assert store.get_session(record.sid) == record
    store.end_session(record.sid)
    assert store.get_session(record.sid).ended_at is not None


def test_get_session_of_an_unknown_sid_raises_not_found(store):
    with pytest.raises(NotFound):
        store.get_session("unknown-sid")


def test_find_session_clients_lists_each_client_once_first_one_first(store, user, client):
    store.create_client("other", {})
    _, record = store.create_session(user.sub)
    store.add_session_client(record.sid, "other")
    store.add_session_client(record.sid, CLIENT_ID)
    store.add_session_client(record.sid, "other")
    assert store.find_session_clients(record.sid) == ["other", CLIENT_ID]


def test_find_session_clients_keeps_sessions_apart(store, user, client):
    _, first = store.create_session(user.sub)
    _, second = store.create_session(user.sub)
    store.add_session_client(first.sid, CLIENT_ID)
    assert store.find_session_clients(second.sid) == []


@pytest.mark.parametrize("known", ["session", "client"])
def test_add_session_client_of_an_unknown_session_or_client_raises_not_found(store, user, client,
                                                                             known):
    _, record = store.create_session(user.sub)
    sid, client_id = (record.sid, "no-such-client") if known == "session" else ("no-sid", CLIENT_ID)
    with pytest.raises(NotFound):
        store.add_session_client(sid, client_id)
