"""Signing and encryption keys: the active -> published -> retired life cycle, and the private
half stored encrypted."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from joserfc import jwt
from joserfc.jwk import ECKey

from app import keys
from app.store import AlreadyExists, NotFound
from app.store.records import KeyRecord


def jwk_pair(kid: str, kty: str = "EC") -> tuple[dict, dict]:
    public = {"kty": kty, "kid": kid, "x": f"x-of-{kid}"}
    return public, {**public, "d": f"private-d-of-{kid}-Wq3"}


def activate(store, kid: str, kty: str = "EC", use: str = "sig",
             algs: tuple[str, ...] = ("ES256",)) -> KeyRecord:
    public, private = jwk_pair(kid, kty)
    return store.activate_key(kid, kty, use, list(algs), public, private)


def statuses(store) -> dict[str, str]:
    return {record.kid: record.status for record in store.find_keys()}


def test_activate_key_returns_the_active_record(store):
    before = time.time()
    record = activate(store, "k1")
    assert before <= record.created_at <= time.time()
    assert record == KeyRecord(kid="k1", kty="EC", use="sig", algs=["ES256"], status="active",
                               public_jwk=jwk_pair("k1")[0], created_at=record.created_at,
                               retired_at=None)


def test_get_key_returns_what_activate_key_returned(store):
    created = activate(store, "k1")
    assert store.get_key("k1") == created


@pytest.mark.parametrize("method", ["get_key", "get_private_jwk", "retire_key"])
def test_a_method_given_an_unknown_kid_raises_not_found(store, method):
    with pytest.raises(NotFound):
        getattr(store, method)("nothing")


def test_activate_key_makes_the_previous_key_of_the_same_kind_published(store):
    activate(store, "k1")
    activate(store, "k2")
    assert statuses(store) == {"k1": "published", "k2": "active"}


def test_activate_key_leaves_published_and_retired_keys_as_they_are(store):
    activate(store, "k1")
    activate(store, "k2")
    store.retire_key("k1")
    activate(store, "k3")
    activate(store, "k4")
    assert statuses(store) == {"k1": "retired", "k2": "published", "k3": "published",
                               "k4": "active"}


@pytest.mark.parametrize(("kty", "use", "algs"), [
    ("RSA", "sig", ("ES256",)),
    ("EC", "enc", ("ES256",)),
    ("EC", "sig", ("ES384",)),
    ("EC", "sig", ("ES256", "ES384")),
], ids=["other-kty", "other-use", "other-alg", "more-algs"])
def test_activate_key_keeps_the_active_key_of_another_kind(store, kty, use, algs):
    activate(store, "k1")
    activate(store, "k2", kty=kty, use=use, algs=algs)
    assert statuses(store) == {"k1": "active", "k2": "active"}


def test_activate_key_with_a_taken_kid_raises_already_exists_and_changes_nothing(store):
    activate(store, "k1")
    activate(store, "k2")
    with pytest.raises(AlreadyExists):
        activate(store, "k1")
    assert statuses(store) == {"k1": "published", "k2": "active"}


def test_get_private_jwk_returns_the_private_jwk(store):
    activate(store, "k1")
    assert store.get_private_jwk("k1") == jwk_pair("k1")[1]


def test_the_private_jwk_is_stored_encrypted(store, database_bytes):
    activate(store, "k1")
    row = store.m.SigningKey.get(store.m.SigningKey.kid == "k1")
    assert "private-d-of-k1" not in row.private_jwk_enc
    assert b"x-of-k1" in database_bytes()
    assert b"private-d-of-k1" not in database_bytes()


def test_find_keys_lists_keys_oldest_first(store):
    key = store.m.SigningKey
    for created_at, kid in enumerate(("k3", "k1", "k2")):
        activate(store, kid)
        # explicit times: a coarse clock (15 ms on Windows) would tie them
        key.update(created_at=1700000000.0 + created_at).where(key.kid == kid).execute()
    assert [record.kid for record in store.find_keys()] == ["k3", "k1", "k2"]


@pytest.mark.parametrize(("wanted", "expected"), [
    (("active",), ["k3"]),
    (("published",), ["k2"]),
    (("retired",), ["k1"]),
    (("active", "published"), ["k2", "k3"]),
    ((), ["k1", "k2", "k3"]),
], ids=["active", "published", "retired", "active-and-published", "all"])
def test_find_keys_filters_by_status(store, wanted, expected):
    for kid in ("k1", "k2", "k3"):
        activate(store, kid)
    store.retire_key("k1")
    assert [record.kid for record in store.find_keys(*wanted)] == expected


@pytest.mark.parametrize(("use", "alg", "expected"), [
    ("sig", "ES256", "ec"),
    ("sig", "RS256", "rsa"),
    ("sig", "PS256", "rsa"),
    ("enc", "RSA-OAEP", "rsa-enc"),
], ids=["ES256", "RS256", "PS256", "RSA-OAEP"])
def test_get_active_key_picks_the_active_key_for_use_and_alg(store, use, alg, expected):
    activate(store, "ec")
    activate(store, "rsa", kty="RSA", algs=("RS256", "PS256"))
    activate(store, "rsa-enc", kty="RSA", use="enc", algs=("RSA-OAEP",))
    assert store.get_active_key(use, alg).kid == expected


def test_get_active_key_ignores_published_keys(store):
    activate(store, "k1")
    activate(store, "k2")
    assert store.get_active_key("sig", "ES256").kid == "k2"


@pytest.mark.parametrize(("use", "alg"), [("sig", "EdDSA"), ("enc", "ES256")],
                         ids=["unknown-alg", "wrong-use"])
def test_get_active_key_without_a_match_raises_not_found(store, use, alg):
    activate(store, "k1")
    with pytest.raises(NotFound):
        store.get_active_key(use, alg)


def test_retire_key_refuses_an_active_key(store):
    activate(store, "k1")
    with pytest.raises(ValueError):
        store.retire_key("k1")
    assert store.get_key("k1").status == "active"


def test_retire_key_retires_a_published_key(store):
    activate(store, "k1")
    activate(store, "k2")
    published = store.get_key("k1")
    before = time.time()
    record = store.retire_key("k1")
    assert before <= record.retired_at <= time.time()
    assert record == replace(published, status="retired", retired_at=record.retired_at)
    assert store.get_key("k1") == record
    assert [k.kid for k in store.find_keys("active", "published")] == ["k2"]


def test_retire_key_twice_keeps_the_first_retired_at(store):
    activate(store, "k1")
    activate(store, "k2")
    first = store.retire_key("k1")
    assert store.retire_key("k1") == first


def test_a_real_key_round_trips_through_the_store_and_signs(store, database_bytes):
    record = keys.create_key(store, next(kind for kind in keys.KINDS if kind.name == "ec-sig"))
    private = store.get_private_jwk(record.kid)
    public_members = ("kty", "crv", "x", "y", "kid")
    assert {k: private[k] for k in public_members} == {
        k: record.public_jwk[k] for k in public_members}
    assert private["d"].encode() not in database_bytes()
    token = jwt.encode({"alg": "ES256"}, {"sub": "x"}, keys.signing_key(store, "ES256"))
    assert jwt.decode(token, ECKey.import_key(record.public_jwk)).claims == {"sub": "x"}


def test_save_key_stores_the_key_as_given_private_half_included(store):
    public, private = jwk_pair("k1")
    record = store.save_key("k1", "EC", "sig", ["ES256"], "retired", public, private,
                            created_at=100.0, retired_at=200.0)
    assert record == KeyRecord(kid="k1", kty="EC", use="sig", algs=["ES256"],
                               status="retired", public_jwk=public, created_at=100.0,
                               retired_at=200.0)
    assert store.get_private_jwk("k1") == private


def test_save_key_overwrites_the_key_with_the_same_kid(store):
    activate(store, "k1")
    public, private = jwk_pair("k1")
    store.save_key("k1", "EC", "sig", ["ES256"], "published", public, {**private, "d": "new"},
                   created_at=5.0)
    assert store.get_key("k1").status == "published"
    assert store.get_private_jwk("k1")["d"] == "new"


def test_save_key_as_active_leaves_the_former_active_key_of_its_kind_published(store):
    activate(store, "k1")
    activate(store, "r1", kty="RSA", algs=("RS256",))
    public, private = jwk_pair("k2")
    store.save_key("k2", "EC", "sig", ["ES256"], "active", public, private, created_at=1.0)
    assert statuses(store) == {"k1": "published", "r1": "active", "k2": "active"}


def test_save_key_refuses_an_unknown_status(store):
    public, private = jwk_pair("k1")
    with pytest.raises(ValueError):
        store.save_key("k1", "EC", "sig", ["ES256"], "lost", public, private, created_at=1.0)
