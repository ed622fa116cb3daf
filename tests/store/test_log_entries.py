"""The Logs screen's view of the audit table: rows with level, client, user, endpoint and
request id; filtered, paged by id (newest first, or oldest first after a cursor) and pruned
to a maximum count."""

from __future__ import annotations

import pytest

from app.store.records import LogEntry


def add(store, event="token.issued", fields=None, **columns) -> int:
    return store.add_event(event, fields or {}, **columns)


def ids(entries: list[LogEntry]) -> list[int]:
    return [entry.id for entry in entries]


def test_a_row_keeps_every_column_as_added(store):
    row_id = add(store, "http.request", {"status": 400}, level="error", client_id="web",
                 sub="s-1", endpoint="/token", request_id="r-1")
    assert store.find_log_entries() == [LogEntry(
        id=row_id, at=store.find_log_entries()[0].at, event="http.request",
        fields={"status": 400}, level="error", client_id="web", sub="s-1", endpoint="/token",
        request_id="r-1")]


def test_client_id_and_sub_default_to_the_fields_of_those_names(store):
    add(store, "consent.granted", {"client_id": "web", "sub": "s-1"})
    [entry] = store.find_log_entries()
    assert (entry.client_id, entry.sub, entry.level) == ("web", "s-1", "info")


def test_without_a_cursor_the_newest_come_first_and_before_pages_to_older_ones(store):
    for _ in range(5):
        add(store)
    assert ids(store.find_log_entries(limit=2)) == [5, 4]
    assert ids(store.find_log_entries(limit=2, before=4)) == [3, 2]


def test_after_a_cursor_the_rows_come_oldest_first_so_polling_never_skips_one(store):
    for _ in range(5):
        add(store)
    assert ids(store.find_log_entries(after=1, limit=2)) == [2, 3]
    assert ids(store.find_log_entries(after=3, limit=2)) == [4, 5]
    assert store.find_log_entries(after=5) == []


@pytest.mark.parametrize(("filters", "expected"), [
    ({"event": "login.failed"}, [3]),
    ({"client_id": "spa"}, [2]),
    ({"user": "s-bob"}, [3, 1]),
    ({"endpoint": "/token"}, [2]),
    ({"endpoint": "/interaction"}, [3]),
    ({"levels": ["warning", "error"]}, [3, 2]),
    ({"request_id": "r-1"}, [1]),
    ({"text": "Wrong"}, [3]),
    ({"text": "login"}, [3]),
    ({"client_id": "spa", "levels": ["info"]}, []),
], ids=["event", "client", "user-sub", "endpoint", "endpoint-subpath", "levels",
        "request-id", "text-in-fields", "text-in-event-name", "combined"])
def test_each_filter_keeps_only_the_matching_rows(store, filters, expected):
    add(store, "consent.granted", {"client_id": "web", "sub": "s-bob"}, request_id="r-1",
        endpoint="/interaction-other")
    add(store, "http.request", {"status": 400}, client_id="spa", level="error",
        endpoint="/token")
    add(store, "login.failed", {"username": "bob", "reason": "Wrong password"},
        level="warning", sub="s-bob", endpoint="/interaction/abc/login")
    assert ids(store.find_log_entries(**filters)) == expected


def test_user_filter_takes_a_username_and_finds_its_subs_rows(store, user):
    add(store, "login.succeeded", {"sub": user.sub})
    add(store, "login.failed", {"username": user.username})
    add(store, "login.succeeded", {"sub": "someone-else"})
    assert ids(store.find_log_entries(user=user.username)) == [2, 1]


def test_text_search_treats_percent_and_underscore_literally(store):
    add(store, "a", {"x": "50%_off"})
    add(store, "b", {"x": "50 off"})
    assert ids(store.find_log_entries(text="%_")) == [1]


def test_prune_keeps_the_newest_rows(store):
    for _ in range(6):
        add(store)
    assert store.prune_events(keep=4) == 2
    assert ids(store.find_log_entries()) == [6, 5, 4, 3]
    assert store.prune_events(keep=4) == 0


def test_find_events_still_lists_event_records_newest_first(store):
    add(store, "client.created", {"client_id": "web"}, level="info", endpoint="/x")
    [record] = store.find_events()
    assert (record.event, record.fields) == ("client.created", {"client_id": "web"})


def test_a_row_written_later_keeps_the_time_it_was_given(store):
    add(store, "http.request", at=1735689600.5)
    assert store.find_log_entries()[0].at == 1735689600.5
