"""The logs resource (``app/admin/logs.py``, at ``/admin/api/events``): the Logs screen's
rows. Audit events and recorded HTTP requests (``http.request``), filtered server-side (event,
client, user, endpoint, level, text), paged newest first or after an id cursor that never skips
a row; secrets redacted, tokens fingerprinted, JWTs decoded without their signature; the
logging settings applied live."""

from __future__ import annotations

import json

import pytest

from tests.flows import TEST_SECRET, basic, web_code

from .conftest import spa_tokens

MACHINE = {"grant_types": ["client_credentials"], "scope": "api.read"}


def events(api, **params) -> dict:
    response = api.get("/events", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def requests_to(api, path: str, **params) -> list[dict]:
    return events(api, event="http.request", endpoint=path, **params)["events"]


@pytest.fixture
def demo(server):
    """demo-web and demo-machine with the secret the test knows."""
    for client_id in ("demo-web", "demo-machine"):
        server.store.save_client_secret(client_id, TEST_SECRET)
    return server


# Listing and paging


def test_events_are_listed_newest_first_with_id_time_name_level_and_fields(api):
    api.post("/clients", json={"client_id": "first", "metadata": MACHINE})
    api.post("/clients", json={"client_id": "second", "metadata": MACHINE})
    listed = events(api)["events"]
    assert [e["id"] for e in listed] == sorted((e["id"] for e in listed), reverse=True)
    assert listed[0]["event"] == "client.created" and listed[0]["fields"] == {
        "client_id": "second"}
    assert (listed[0]["level"], listed[0]["client_id"]) == ("info", "second")
    assert listed[0]["endpoint"] == "/admin/api/clients"
    assert listed[0]["at"] >= listed[1]["at"]


def test_event_filter_keeps_one_event_name(api):
    api.patch("/clients/demo-web", json={"trusted": True})
    assert {e["event"] for e in events(api, event="client.updated")["events"]} == {
        "client.updated"}


def test_client_id_filter_keeps_one_clients_rows(api):
    api.patch("/clients/demo-web", json={"trusted": True})
    api.patch("/clients/demo-spa", json={"trusted": True})
    listed = events(api, client_id="demo-web")["events"]
    assert listed and {e["client_id"] for e in listed} == {"demo-web"}


def test_polling_after_the_last_id_returns_only_newer_rows_oldest_first(api):
    last_id = events(api)["last_id"]
    assert events(api, after=last_id) == {"events": [], "last_id": last_id, "more": False}
    api.delete("/clients/demo-machine")
    api.delete("/clients/demo-web")
    newer = events(api, after=last_id)
    assert [(e["event"], e["client_id"]) for e in newer["events"]] == [
        ("client.deleted", "demo-machine"), ("client.deleted", "demo-web")]
    assert newer["last_id"] == newer["events"][-1]["id"] > last_id


def test_polling_never_skips_rows_when_more_arrive_than_a_page(api):
    cursor = events(api)["last_id"]
    for n in range(5):
        api.post("/clients", json={"client_id": f"c{n}", "metadata": MACHINE})
    seen, pages = [], []
    while True:
        page = events(api, after=cursor, limit=2, event="client.created")
        seen += [e["client_id"] for e in page["events"]]
        pages.append(page["more"])
        cursor = page["last_id"]
        if not page["more"]:
            break
    assert seen == [f"c{n}" for n in range(5)]
    assert pages == [True, True, False]


def test_before_pages_to_older_rows(api):
    newest = events(api, limit=2)
    older = events(api, limit=2, before=newest["events"][-1]["id"])
    assert newest["more"] is True
    assert max(e["id"] for e in older["events"]) < min(e["id"] for e in newest["events"])


def test_the_first_versions_after_id_still_works(api):
    last_id = events(api)["last_id"]
    api.delete("/clients/demo-machine")
    assert [e["event"] for e in events(api, after_id=last_id)["events"]] == ["client.deleted"]


def test_limit_keeps_the_newest(api):
    assert len(events(api, limit=2)["events"]) == 2


@pytest.mark.parametrize(("params", "field"), [
    ({"limit": "0"}, "limit"),
    ({"limit": "501"}, "limit"),
    ({"after": "-1"}, "after"),
    ({"after": "x"}, "after"),
    ({"after_id": "x"}, "after_id"),
    ({"before": "0"}, "before"),
    ({"level": "loud"}, "level"),
    ({"q": "x" * 501}, "q"),
], ids=["limit-zero", "limit-too-big", "negative-after", "after-text", "after-id-text",
        "before-zero", "unknown-level", "search-too-long"])
def test_a_bad_parameter_is_named(api, params, field):
    response = api.get("/events", params=params)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
    assert list(response.json()["fields"]) == [field]


def test_a_secret_shown_once_is_never_in_the_events(api):
    secret = api.post("/clients", json={"metadata": MACHINE}).json()["client_secret"]
    regenerated = api.post("/clients/demo-web/secret").json()["client_secret"]
    text = api.get("/events", params={"limit": 500}).text
    assert secret not in text and regenerated not in text


def test_events_need_the_admin(server):
    response = server.get("/admin/api/events")
    assert response.status_code == 401


# HTTP requests


def test_a_failed_token_request_is_recorded_with_its_parameters_and_error_response(api, demo):
    response = demo.post("/token", data={"grant_type": "authorization_code", "code": "bogus",
                                         "redirect_uri": "http://localhost:3000/callback"},
                         headers=basic("demo-web"))
    assert response.status_code == 400
    [row] = requests_to(api, "/token")
    fields = row["fields"]
    assert (fields["method"], fields["path"], fields["status"]) == ("POST", "/token", 400)
    assert (row["level"], row["client_id"], fields["error"]) == ("error", "demo-web",
                                                                   "invalid_grant")
    assert fields["request"]["form"]["grant_type"] == "authorization_code"
    assert fields["request"]["form"]["code"].startswith("[5 chars, sha256:")
    assert fields["request"]["headers"]["authorization"] == "Basic demo-web:[redacted]"
    assert fields["response"]["body"]["error"] == "invalid_grant"
    assert fields["duration_ms"] >= 0


def test_secrets_and_tokens_of_a_code_flow_are_never_recorded_in_clear(api, demo):
    code = web_code(demo)
    posted_secret = demo.post("/token", data={  # refused: demo-web uses client_secret_basic
        "grant_type": "authorization_code", "code": "x", "client_id": "demo-web",
        "client_secret": TEST_SECRET, "redirect_uri": "http://localhost:3000/callback"})
    response = demo.post("/token", headers=basic("demo-web"), data={
        "grant_type": "authorization_code", "code": code,
        "redirect_uri": "http://localhost:3000/callback"})
    tokens = response.json()
    text = api.get("/events", params={"limit": 500}).text
    for secret in (TEST_SECRET, code, tokens["access_token"], tokens["id_token"],
                   tokens["refresh_token"], tokens["id_token"].rsplit(".", 1)[1]):
        assert secret not in text
    refused, accepted = requests_to(api, "/token")[::-1]
    assert posted_secret.status_code == 401
    assert refused["fields"]["request"]["form"]["client_secret"] == "[redacted]"
    assert accepted["fields"]["response"]["body"]["refresh_token"].startswith("[43 chars")


def test_a_jwt_in_a_response_is_kept_decoded_with_its_signature_checked(api, server):
    tokens = spa_tokens(server)
    [row] = requests_to(api, "/token")
    id_token = row["fields"]["response"]["body"]["id_token"]
    header = json.loads(_b64(tokens["id_token"].split(".")[0]))
    assert id_token["jwt_header"] == header
    assert id_token["jwt_claims"]["aud"] == "demo-spa"
    assert id_token["signature"] == f"valid: pocket-op key {header['kid']}"
    assert row["sub"] == server.store.get_user("alice").sub


def test_a_redirect_is_recorded_with_its_parameters_redacted(api, server):
    spa_tokens(server)
    rows = requests_to(api, "/interaction")
    redirect = next(r for r in rows if r["fields"]["status"] == 302)["fields"]["response"]
    assert redirect["location"] == "http://127.0.0.1:8765/callback"
    assert redirect["location_query"]["code"].startswith("[")
    assert "iss" in redirect["location_query"]
    [login] = [r for r in rows if "password" in r["fields"]["request"].get("form", {})]
    assert login["fields"]["request"]["form"]["password"] == "[redacted]"
    assert login["fields"]["request"]["form"]["username"] == "alice"


def test_the_login_forms_request_names_the_user_who_signed_in(api, server):
    spa_tokens(server, "bob")
    rows = requests_to(api, "/interaction")
    [login] = [r for r in rows if "password" in r["fields"]["request"].get("form", {})]
    assert login["sub"] == server.store.get_user("bob").sub


def test_the_admin_api_and_static_files_are_not_recorded(api, server):
    server.get("/admin/static/admin.css")
    api.get("/clients")
    paths = {e["endpoint"] for e in events(api, event="http.request", limit=500)["events"]}
    assert not any(path.startswith(("/admin", "/static")) for path in paths)


# Filters across events and requests


def test_endpoint_filter_keeps_the_request_and_its_events(api, demo):
    demo.post("/token", data={"grant_type": "password"}, headers=basic("demo-web"))
    demo.get("/jwks")
    listed = events(api, endpoint="/token")["events"]
    assert {e["event"] for e in listed} == {"http.request", "token.error"}
    assert len({e["request_id"] for e in listed}) == 1


def test_level_warning_keeps_warnings_and_errors(api, demo):
    demo.get("/jwks")
    demo.post("/token", data={"grant_type": "client_credentials"},
              headers=basic("demo-machine", "wrong"))
    levels = {e["level"] for e in events(api, level="warning", limit=500)["events"]}
    assert levels == {"error"}
    assert "info" in {e["level"] for e in events(api, limit=500)["events"]}


def test_user_filter_takes_a_username(api, server):
    spa_tokens(server, "bob")
    spa_tokens(server, "alice")
    bob = server.store.get_user("bob").sub
    listed = events(api, user="bob", limit=500)["events"]
    assert listed and {e["sub"] for e in listed} == {bob}
    assert {"login.succeeded", "http.request"} <= {e["event"] for e in listed}


def test_search_finds_text_in_the_fields(api):
    api.post("/clients", json={"client_id": "needle-app", "metadata": MACHINE})
    assert [e["client_id"] for e in events(api, q="needle")["events"]] == ["needle-app"]


def test_request_id_lists_the_rows_of_one_request(api, demo):
    demo.post("/token", data={"grant_type": "password"}, headers=basic("demo-web"))
    [row] = requests_to(api, "/token")
    listed = events(api, request_id=row["request_id"])["events"]
    assert [e["event"] for e in listed] == ["http.request", "token.error"]


# Logging settings, applied without a restart


def test_http_logging_off_stops_recording_requests(api, server):
    assert api.put("/settings/http_logging", json={"value": False}).json()["applied"] is True
    cursor = events(api)["last_id"]
    server.get("/jwks")
    assert requests_to(api, "/jwks", after=cursor) == []
    api.put("/settings/http_logging", json={"value": True})
    server.get("/jwks")
    assert len(requests_to(api, "/jwks", after=cursor)) == 1


def test_audit_logging_off_stops_storing_events_but_not_requests(api, demo):
    api.put("/settings/audit_logging", json={"value": False})
    cursor = events(api)["last_id"]
    demo.post("/token", data={"grant_type": "password"}, headers=basic("demo-web"))
    assert [e["event"] for e in events(api, after=cursor)["events"]] == ["http.request"]


def test_log_retention_bounds_the_rows_kept(api, server):
    api.put("/settings/log_retention", json={"value": 100})
    for _ in range(210):
        api.patch("/clients/demo-web", json={"trusted": True})
    listed = events(api, limit=500)["events"]
    assert 100 <= len(listed) < 200
    assert min(e["id"] for e in listed) > 100


@pytest.mark.parametrize(("name", "value"), [
    ("http_logging", "sometimes"), ("audit_logging", 3), ("log_retention", 5),
    ("log_level", "verbose")], ids=["http", "audit", "retention", "level"])
def test_a_bad_logging_setting_is_refused_naming_it(api, name, value):
    response = api.put(f"/settings/{name}", json={"value": value})
    assert response.status_code == 400
    assert list(response.json()["fields"]) == [name]


def _b64(part: str) -> bytes:
    import base64

    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
