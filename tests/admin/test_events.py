"""``/admin/api/events``: the audit events, newest first, filtered by event name or client_id,
and polled with ``after_id``."""

from __future__ import annotations

import pytest

MACHINE = {"grant_types": ["client_credentials"], "scope": "api.read"}


def events(api, **params) -> dict:
    response = api.get("/events", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_events_are_listed_newest_first_with_id_time_name_and_fields(api):
    api.post("/clients", json={"client_id": "first", "metadata": MACHINE})
    api.post("/clients", json={"client_id": "second", "metadata": MACHINE})
    listed = events(api)["events"]
    assert [e["id"] for e in listed] == sorted((e["id"] for e in listed), reverse=True)
    assert listed[0]["event"] == "client.created" and listed[0]["fields"] == {
        "client_id": "second"}
    assert listed[0]["at"] >= listed[1]["at"]


def test_event_filter_keeps_one_event_name(api):
    api.patch("/clients/demo-web", json={"trusted": True})
    assert {e["event"] for e in events(api, event="client.updated")["events"]} == {
        "client.updated"}


def test_client_id_filter_keeps_one_clients_events(api):
    api.patch("/clients/demo-web", json={"trusted": True})
    api.patch("/clients/demo-spa", json={"trusted": True})
    listed = events(api, client_id="demo-web")["events"]
    assert listed and {e["fields"]["client_id"] for e in listed} == {"demo-web"}


def test_polling_with_after_id_returns_only_newer_events_and_the_last_id(api):
    last_id = events(api)["last_id"]
    assert events(api, after_id=last_id) == {"events": [], "last_id": last_id}
    api.delete("/clients/demo-machine")
    newer = events(api, after_id=last_id)
    assert [e["event"] for e in newer["events"]] == ["client.deleted"]
    assert newer["last_id"] == newer["events"][0]["id"] > last_id


def test_limit_keeps_the_newest(api):
    assert len(events(api, limit=2)["events"]) == 2


@pytest.mark.parametrize(("params", "field"), [
    ({"limit": "0"}, "limit"),
    ({"limit": "501"}, "limit"),
    ({"after_id": "-1"}, "after_id"),
    ({"after_id": "x"}, "after_id"),
], ids=["limit-zero", "limit-too-big", "negative-after-id", "after-id-text"])
def test_a_bad_number_names_the_parameter(api, params, field):
    response = api.get("/events", params=params)
    assert response.status_code == 400
    assert list(response.json()["fields"]) == [field]


def test_a_secret_shown_once_is_never_in_the_events(api):
    secret = api.post("/clients", json={"metadata": MACHINE}).json()["client_secret"]
    regenerated = api.post("/clients/demo-web/secret").json()["client_secret"]
    text = api.get("/events", params={"limit": 500}).text
    assert secret not in text and regenerated not in text
