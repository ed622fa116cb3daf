"""The enabled-ACRs store: the seeds every database has, create / update / delete, one
default that stays enabled."""

from __future__ import annotations

import pytest

from app.store import AlreadyExists, NotFound


def values(records) -> list[str]:
    return [record.value for record in records]


def test_a_new_store_has_the_seed_acrs_by_level_with_1_as_default(store):
    acrs = store.find_acrs()
    assert [(a.value, a.level, a.enabled) for a in acrs] == [
        ("0", 0, True), ("1", 1, True), ("urn:pocket-op:mfa", 2, True)]
    assert store.get_default_acr().value == "1"
    assert [a.value for a in acrs if a.default] == ["1"]


def test_create_then_get_returns_the_acr(store):
    created = store.create_acr("urn:x:gold", 3, "Gold", enabled=False)
    assert store.get_acr("urn:x:gold") == created
    assert (created.level, created.description, created.enabled, created.default) == (
        3, "Gold", False, False)


def test_create_of_an_existing_value_raises_already_exists(store):
    with pytest.raises(AlreadyExists):
        store.create_acr("1", 5)


def test_get_of_an_unknown_value_raises_not_found(store):
    with pytest.raises(NotFound):
        store.get_acr("nope")


def test_find_acrs_can_keep_only_the_enabled_or_disabled_ones(store):
    store.update_acr("urn:pocket-op:mfa", enabled=False)
    assert values(store.find_acrs(enabled=True)) == ["0", "1"]
    assert values(store.find_acrs(enabled=False)) == ["urn:pocket-op:mfa"]


def test_update_changes_only_the_fields_given(store):
    before = store.get_acr("urn:pocket-op:mfa")
    after = store.update_acr("urn:pocket-op:mfa", level=7)
    assert (after.level, after.description, after.enabled) == (7, before.description, True)
    assert after.updated_at >= before.updated_at


def test_update_of_an_unknown_value_raises_not_found(store):
    with pytest.raises(NotFound):
        store.update_acr("nope", level=1)


def test_the_default_cannot_be_disabled_or_deleted(store):
    with pytest.raises(ValueError):
        store.update_acr("1", enabled=False)
    with pytest.raises(ValueError):
        store.delete_acr("1")
    assert store.get_acr("1").enabled


def test_set_default_moves_the_one_default(store):
    store.set_default_acr("urn:pocket-op:mfa")
    assert store.get_default_acr().value == "urn:pocket-op:mfa"
    assert [a.value for a in store.find_acrs() if a.default] == ["urn:pocket-op:mfa"]


def test_a_disabled_acr_cannot_become_the_default(store):
    store.update_acr("0", enabled=False)
    with pytest.raises(ValueError):
        store.set_default_acr("0")
    assert store.get_default_acr().value == "1"


def test_delete_removes_the_acr(store):
    store.delete_acr("urn:pocket-op:mfa")
    assert values(store.find_acrs()) == ["0", "1"]
    with pytest.raises(NotFound):
        store.delete_acr("urn:pocket-op:mfa")


def test_acrs_are_kept_across_reopening(store, open_store):
    store.create_acr("urn:x:kept", 4)
    store.close()
    assert open_store().get_acr("urn:x:kept").level == 4
