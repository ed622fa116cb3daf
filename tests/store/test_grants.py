"""Authorization codes (single use, even under concurrency) and tokens (revocation by token,
family and code). Only SHA-256 digests of the bearer values are stored."""

from __future__ import annotations

import threading
import time

import pytest

from app.store import AlreadyExists, CodeAlreadyUsed, NotFound
from app.store.records import CodeRecord, TokenRecord

from .helpers import CLIENT_ID, REDIRECT_URI, in_an_hour, sha256

CODE = "code-Hk2p9Qz7Lm4Rt8Vw"
TOKEN = "token-Jc6n1Xb3Fs5Dy0Ge"
DATA = {"nonce": "n-0S6_WzA2Mj", "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        "claims": {"userinfo": {"email": None}}}


@pytest.fixture
def code(store, client, user) -> CodeRecord:
    return store.save_code(CODE, CLIENT_ID, user.sub, REDIRECT_URI, "openid email",
                           in_an_hour(), sid="sid-1", data=DATA)


def save_token(store, token: str, **fields) -> TokenRecord:
    values = {"kind": "access", "client_id": CLIENT_ID, "scope": "openid", "family": "fam-1",
              "expires_at": in_an_hour(), **fields}
    return store.save_token(token, **values)


def test_save_code_returns_the_record_keyed_by_the_code_digest(store, client, user):
    expires_at = in_an_hour()
    record = store.save_code(CODE, CLIENT_ID, user.sub, REDIRECT_URI, "openid email",
                             expires_at, sid="sid-1", data=DATA)
    assert record == CodeRecord(code_hash=sha256(CODE), client_id=CLIENT_ID, sub=user.sub,
                                redirect_uri=REDIRECT_URI, scope="openid email",
                                expires_at=expires_at, sid="sid-1", data=DATA)


def test_save_code_defaults_to_no_sid_and_empty_data(store, client, user):
    record = store.save_code(CODE, CLIENT_ID, user.sub, REDIRECT_URI, "openid", in_an_hour())
    assert (record.sid, record.data) == (None, {})
    assert store.consume_code(CODE) == record


def test_save_code_twice_raises_already_exists(store, code, user):
    with pytest.raises(AlreadyExists):
        store.save_code(CODE, CLIENT_ID, user.sub, REDIRECT_URI, "openid", in_an_hour())


def test_consume_code_returns_the_saved_record(store, code):
    assert store.consume_code(CODE) == code


def test_consume_code_twice_raises_code_already_used(store, code):
    store.consume_code(CODE)
    with pytest.raises(CodeAlreadyUsed):
        store.consume_code(CODE)


def test_code_already_used_carries_the_code_hash(store, code):
    store.consume_code(CODE)
    with pytest.raises(CodeAlreadyUsed) as raised:
        store.consume_code(CODE)
    assert raised.value.code_hash == sha256(CODE)


def test_code_already_used_is_a_not_found(store, code):
    assert issubclass(CodeAlreadyUsed, NotFound)


def test_consume_code_of_an_unknown_code_raises_not_found(store, code):
    with pytest.raises(NotFound) as raised:
        store.consume_code("unknown-code")
    assert type(raised.value) is NotFound


def test_consume_code_of_an_expired_code_raises_not_found(store, client, user):
    store.save_code(CODE, CLIENT_ID, user.sub, REDIRECT_URI, "openid", time.time() - 1)
    with pytest.raises(NotFound) as raised:
        store.consume_code(CODE)
    assert type(raised.value) is NotFound


def test_a_consumed_code_stays_consumed_after_reopening_the_store(store, code, open_store):
    store.consume_code(CODE)
    store.close()
    with pytest.raises(CodeAlreadyUsed):
        open_store().consume_code(CODE)


def test_the_code_is_stored_only_as_its_sha256(store, code, database_bytes):
    rows = list(store.m.AuthorizationCode.select())
    assert [row.code_hash for row in rows] == [sha256(CODE)]
    assert sha256(CODE).encode() in database_bytes()
    assert CODE.encode() not in database_bytes()


def test_of_8_threads_consuming_one_code_exactly_one_wins(store, code):
    barrier = threading.Barrier(8)
    results: list[object] = []
    lock = threading.Lock()

    def consume() -> None:
        barrier.wait()
        try:
            outcome: object = store.consume_code(CODE)
        except Exception as exc:  # every outcome is asserted below
            outcome = exc
        finally:
            store.close()  # this thread's connection
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=consume) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    winners = [r for r in results if isinstance(r, CodeRecord)]
    losers = [r for r in results if isinstance(r, CodeAlreadyUsed)]
    assert winners == [code]
    assert len(losers) == 7
    assert {loser.code_hash for loser in losers} == {sha256(CODE)}


def test_save_token_returns_the_record_keyed_by_the_token_digest(store, client, user):
    expires_at, before = in_an_hour(), time.time()
    record = store.save_token(TOKEN, "refresh", CLIENT_ID, "openid offline_access", "fam-1",
                              expires_at, sub=user.sub, code_hash=sha256(CODE), sid="sid-1",
                              data={"auth_time": 1700000000})
    assert before <= record.created_at <= time.time()
    assert record == TokenRecord(
        token_hash=sha256(TOKEN), kind="refresh", client_id=CLIENT_ID, sub=user.sub,
        scope="openid offline_access", family="fam-1", expires_at=expires_at,
        created_at=record.created_at, revoked_at=None, code_hash=sha256(CODE), sid="sid-1",
        data={"auth_time": 1700000000},
    )


def test_save_token_without_sub_is_a_client_token(store, client):
    record = save_token(store, TOKEN)
    assert (record.sub, record.code_hash, record.sid, record.data) == (None, None, None, {})


def test_get_token_returns_the_saved_record(store, client):
    saved = save_token(store, TOKEN)
    assert store.get_token(TOKEN) == saved


def test_get_token_of_an_unknown_token_raises_not_found(store, client):
    save_token(store, TOKEN)
    with pytest.raises(NotFound):
        store.get_token("unknown-token")


def test_get_token_returns_expired_tokens_too(store, client):
    saved = save_token(store, TOKEN, expires_at=time.time() - 1)
    assert store.get_token(TOKEN) == saved


def test_save_token_twice_raises_already_exists(store, client):
    save_token(store, TOKEN)
    with pytest.raises(AlreadyExists):
        save_token(store, TOKEN, kind="refresh")


def test_the_token_is_stored_only_as_its_sha256(store, client, database_bytes):
    save_token(store, TOKEN)
    assert [row.token_hash for row in store.m.Token.select()] == [sha256(TOKEN)]
    assert sha256(TOKEN).encode() in database_bytes()
    assert TOKEN.encode() not in database_bytes()


def test_revoke_token_sets_revoked_at_and_counts_one(store, client):
    save_token(store, TOKEN)
    before = time.time()
    assert store.revoke_token(TOKEN) == 1
    assert before <= store.get_token(TOKEN).revoked_at <= time.time()


def test_revoke_token_twice_counts_zero_and_keeps_the_first_revoked_at(store, client):
    save_token(store, TOKEN)
    store.revoke_token(TOKEN)
    first = store.get_token(TOKEN).revoked_at
    assert store.revoke_token(TOKEN) == 0
    assert store.get_token(TOKEN).revoked_at == first


def test_revoke_token_of_an_unknown_token_counts_zero(store, client):
    assert store.revoke_token("unknown-token") == 0


def test_revoke_token_leaves_other_tokens_of_the_family(store, client):
    save_token(store, "t1")
    save_token(store, "t2")
    store.revoke_token("t1")
    assert store.get_token("t2").revoked_at is None


def test_revoke_family_revokes_every_live_token_of_the_family_only(store, client):
    save_token(store, "a1", family="fam-a")
    save_token(store, "a2", family="fam-a", kind="refresh")
    save_token(store, "a3", family="fam-a")
    save_token(store, "b1", family="fam-b")
    store.revoke_token("a3")
    assert store.revoke_family("fam-a") == 2
    revoked = {t: store.get_token(t).revoked_at is not None for t in ("a1", "a2", "a3", "b1")}
    assert revoked == {"a1": True, "a2": True, "a3": True, "b1": False}


def test_revoke_family_of_an_unknown_family_counts_zero(store, client):
    save_token(store, TOKEN)
    assert store.revoke_family("fam-unknown") == 0


def test_revoke_tokens_of_code_revokes_the_tokens_issued_for_that_code_only(store, client):
    save_token(store, "c1", code_hash=sha256(CODE))
    save_token(store, "c2", code_hash=sha256(CODE), kind="refresh", family="fam-2")
    save_token(store, "other", code_hash=sha256("another-code"))
    save_token(store, "no-code")
    assert store.revoke_tokens_of_code(sha256(CODE)) == 2
    revoked = {t: store.get_token(t).revoked_at is not None
               for t in ("c1", "c2", "other", "no-code")}
    assert revoked == {"c1": True, "c2": True, "other": False, "no-code": False}


def test_a_replayed_code_lets_the_caller_revoke_what_it_issued(store, code, user):
    store.consume_code(CODE)
    save_token(store, TOKEN, sub=user.sub, code_hash=code.code_hash)
    with pytest.raises(CodeAlreadyUsed) as raised:
        store.consume_code(CODE)
    assert store.revoke_tokens_of_code(raised.value.code_hash) == 1
    assert store.get_token(TOKEN).revoked_at is not None


def test_revoke_session_tokens_revokes_the_sessions_grants_but_offline_access_ones(store,
                                                                                  client):
    save_token(store, "s1", family="fam-s", sid="sid-1")
    save_token(store, "s2", family="fam-s", sid="sid-1", kind="refresh")
    save_token(store, "off", family="fam-o", sid="sid-1", kind="refresh",
               scope="openid offline_access")
    save_token(store, "other", family="fam-x", sid="sid-2")
    assert store.revoke_session_tokens("sid-1") == 2
    revoked = {t: store.get_token(t).revoked_at is not None for t in ("s1", "s2", "off", "other")}
    assert revoked == {"s1": True, "s2": True, "off": False, "other": False}


def test_revoke_session_tokens_of_an_unknown_session_counts_zero(store, client):
    save_token(store, TOKEN, sid="sid-1")
    assert store.revoke_session_tokens("sid-unknown") == 0
