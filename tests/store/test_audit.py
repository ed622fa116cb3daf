"""The audit log (newest first, paged by id) and the key/value settings."""

from __future__ import annotations

import time

import pytest

from app.store import NotFound
from app.store.records import EventRecord


def add_events(store, *names: str) -> list[int]:
    return [store.add_event(name, {"n": i}) for i, name in enumerate(names)]


def test_add_event_returns_increasing_ids_from_1(store):
    assert add_events(store, "a", "b", "c") == [1, 2, 3]


def test_find_events_returns_the_event_as_added(store):
    before = time.time()
    event_id = store.add_event("client.created", {"client_id": "web", "nested": {"x": [1]}})
    [record] = store.find_events()
    assert before <= record.at <= time.time()
    assert record == EventRecord(id=event_id, at=record.at, event="client.created",
                                 fields={"client_id": "web", "nested": {"x": [1]}})


def test_find_events_of_a_new_store_is_empty(store):
    assert store.find_events() == []


def test_find_events_lists_newest_first(store):
    add_events(store, "a", "b", "c")
    assert [(e.id, e.event) for e in store.find_events()] == [(3, "c"), (2, "b"), (1, "a")]


@pytest.mark.parametrize(("after_id", "expected"), [
    (0, [4, 3, 2, 1]),
    (2, [4, 3]),
    (3, [4]),
    (4, []),
    (99, []),
], ids=["0", "2", "3", "last", "beyond"])
def test_find_events_after_id_lists_only_newer_events(store, after_id, expected):
    add_events(store, "a", "b", "c", "d")
    assert [e.id for e in store.find_events(after_id=after_id)] == expected


def test_find_events_limit_keeps_the_newest(store):
    add_events(store, "a", "b", "c", "d")
    assert [e.id for e in store.find_events(limit=2)] == [4, 3]


def test_find_events_by_event_name_lists_only_those(store):
    add_events(store, "user.created", "client.created", "user.created")
    found = store.find_events(event="user.created")
    assert [(e.id, e.event) for e in found] == [(3, "user.created"), (1, "user.created")]


def test_find_events_combines_after_id_limit_and_event(store):
    add_events(store, "x", "y", "x", "x", "y", "x")
    assert [e.id for e in store.find_events(after_id=1, limit=2, event="x")] == [6, 4]


def test_find_events_by_client_id_lists_only_that_clients_events(store):
    store.add_event("token.issued", {"client_id": "web"})
    store.add_event("token.issued", {"client_id": "spa"})
    store.add_event("user.created", {"sub": "web"})
    store.add_event("client.updated", {"client_id": "web"})
    assert [e.id for e in store.find_events(client_id="web")] == [4, 1]


def test_get_setting_of_an_unknown_key_raises_not_found(store):
    with pytest.raises(NotFound):
        store.get_setting("nothing")


@pytest.mark.parametrize("value", [
    {"a": 1, "b": [True, None, 1.5], "c": {"d": "é"}},
    ["x", 2],
    "text",
    42,
    False,
], ids=["object", "list", "string", "number", "boolean"])
def test_save_setting_then_get_setting_returns_the_value(store, value):
    store.save_setting("some", value)
    assert store.get_setting("some") == value


def test_save_setting_again_replaces_the_value(store):
    store.save_setting("theme", {"dark": False})
    store.save_setting("theme", {"dark": True})
    assert store.get_setting("theme") == {"dark": True}
    assert store.m.Setting.select().where(store.m.Setting.key == "theme").count() == 1


def test_settings_are_kept_per_key(store):
    store.save_setting("a", 1)
    store.save_setting("b", 2)
    assert (store.get_setting("a"), store.get_setting("b")) == (1, 2)


def test_ensure_secret_creates_a_random_secret_once(store):
    first = store.ensure_secret("admin_secret")
    assert len(first) >= 40
    assert store.ensure_secret("admin_secret") == first
    assert store.ensure_secret("other_secret") != first


def test_ensure_secret_keeps_the_secret_encrypted_and_across_reopening(store, open_store,
                                                                       database_bytes):
    secret = store.ensure_secret("admin_secret")
    assert secret.encode() not in database_bytes()
    store.close()
    assert open_store().ensure_secret("admin_secret") == secret
