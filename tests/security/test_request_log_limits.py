"""Recording a request for the Logs screen (``app.logs``, ``app.redaction``) costs time linear
in the request, whatever a client sends before any authentication, and keeps a bounded row:
at most 100 names and 20 values of each parameter, with an ``(omitted)`` count of the rest;
at most 20 JWTs decoded; pocket-op's keys read once per row, so a rotated key is seen by the
next row. Found by the security review (issue 10): one form of 249,990 ``x=a`` held a worker
and the GIL for about a minute."""

from __future__ import annotations

import base64
import json
import time

import pytest
import requests

from app.logs import MAX_NAMES, MAX_VALUES, OMITTED
from app.redaction import MAX_JWTS
from tests.flows import WEB_REDIRECT, web_tokens

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
#: Just under the 1 MB body limit: 249,990 times "x=a&".
MOST_REPEATS = 249_990
#: Seconds a request may take on a slow machine; the quadratic code took ~60 s.
QUICK = 10


def segment(value: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


#: The smallest JWT the redactor decodes (a header with an alg, empty claims).
TINY_JWT = f"{segment({'alg': 'RS256'})}.e30.c"


def post(server, path: str, body: str | bytes, headers=FORM) -> requests.Response:
    return requests.post(server.url + path, data=body, headers=headers, timeout=120)


def recorded(server, path: str) -> dict:
    """The newest Logs row of a request to ``path``, as the admin API lists it."""
    response = requests.get(
        f"{server.url}/admin/api/events", params={"event": "http.request", "endpoint": path},
        headers={"Authorization": f"Bearer {server.app.admin_launch_token}"}, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["events"][0]["fields"]


def header_of(jwt: str) -> dict:
    part = jwt.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


# Parameters


def test_a_parameter_repeated_a_quarter_million_times_is_answered_within_seconds(
        fresh_server):
    server = fresh_server()
    started = time.perf_counter()
    response = post(server, "/token", "&".join(["x=a"] * MOST_REPEATS))
    assert response.status_code == 400
    assert time.perf_counter() - started < QUICK


def test_a_row_keeps_twenty_values_of_a_repeated_parameter_and_counts_the_others(
        fresh_server):
    server = fresh_server()
    post(server, "/token", "grant_type=password&" + "&".join(f"x={n}" for n in range(1000)))
    form = recorded(server, "/token")["request"]["form"]
    assert form["x"] == [str(n) for n in range(MAX_VALUES)]
    assert form[OMITTED] == {"values": {"x": 1000 - MAX_VALUES}, "names": 0}


def test_a_row_keeps_a_hundred_parameter_names_and_counts_the_others(fresh_server):
    server = fresh_server()
    post(server, "/token", "&".join(f"p{n}=v&p{n}=w" for n in range(150)))
    form = recorded(server, "/token")["request"]["form"]
    assert set(form) - {OMITTED} == {f"p{n}" for n in range(MAX_NAMES)}
    assert form["p0"] == ["v", "w"]
    assert form[OMITTED] == {"values": {}, "names": 50}


def test_a_row_without_anything_left_out_has_no_omitted_note(fresh_server):
    server = fresh_server()
    post(server, "/token", "grant_type=password&scope=a&scope=b")
    form = recorded(server, "/token")["request"]["form"]
    assert form == {"grant_type": "password", "scope": ["a", "b"]}


def test_a_redirect_query_keeps_twenty_values_of_a_repeated_parameter(demo_server):
    uri = WEB_REDIRECT + "?" + "&".join(["x=a"] * 200)
    response = requests.patch(
        f"{demo_server.url}/admin/api/clients/demo-web",
        json={"metadata": {"redirect_uris": [uri]}},
        headers={"Authorization": f"Bearer {demo_server.app.admin_launch_token}"}, timeout=10)
    assert response.status_code == 200, response.text
    answer = requests.get(demo_server.url + "/authorize", params={
        "client_id": "demo-web", "redirect_uri": uri, "response_type": "bogus"},
        allow_redirects=False, timeout=10)
    assert answer.status_code in (302, 303)
    fields = recorded(demo_server, "/authorize")
    query = fields["response"]["location_query"]
    assert query["x"] == ["a"] * MAX_VALUES
    assert query[OMITTED] == {"values": {"x": 200 - MAX_VALUES}, "names": 0}
    assert fields["error"] == "unsupported_response_type"


# JWTs and pocket-op's keys


def test_a_row_decodes_its_first_twenty_jwts_and_only_fingerprints_the_others(fresh_server):
    server = fresh_server()
    post(server, "/token", "&".join(f"j{n:02}={TINY_JWT}" for n in range(30)))
    form = recorded(server, "/token")["request"]["form"]
    decoded = {name for name, value in form.items() if isinstance(value, dict)}
    assert decoded == {f"j{n:02}" for n in range(MAX_JWTS)}
    assert form["j29"].startswith(f"[{len(TINY_JWT)} chars, sha256:")


def test_a_json_body_of_thirty_thousand_jwts_reads_pocket_ops_keys_once(fresh_server,
                                                                       monkeypatch):
    server = fresh_server()
    reads = []
    find_keys = server.store.find_keys
    monkeypatch.setattr(server.store, "find_keys",
                        lambda *statuses: reads.append(statuses) or find_keys(*statuses))
    started = time.perf_counter()
    response = post(server, "/register", json.dumps({"contacts": [TINY_JWT] * 30_000}),
                    {"Content-Type": "application/json"})
    assert response.status_code == 400
    assert time.perf_counter() - started < QUICK
    assert reads.count(("active", "published")) == 1


def test_a_key_rotated_through_the_admin_api_is_seen_by_the_next_row(demo_server):
    server = demo_server
    old_kid = header_of(web_tokens(server)["id_token"])["kid"]
    rotated = requests.post(
        f"{server.url}/admin/api/keys/{old_kid}/rotate",
        headers={"Authorization": f"Bearer {server.app.admin_launch_token}"}, timeout=10)
    assert rotated.status_code == 201, rotated.text
    new_kid = rotated.json()["kid"]
    assert header_of(web_tokens(server)["id_token"])["kid"] == new_kid
    id_token = recorded(server, "/token")["response"]["body"]["id_token"]
    assert id_token["signature"] == f"valid: pocket-op key {new_kid}"


# Bodies that cannot be read


@pytest.mark.parametrize(("path", "body", "headers", "kept"), [
    ("/register", "[" * 100_000, {"Content-Type": "application/json"},
     {"json": "(not valid JSON)"}),
    ("/token", "a=" + "x" * 1_000_000, FORM,
     {"form": "(not read: Request Entity Too Large)"}),
], ids=["json-nested-too-deep", "form-over-the-size-limit"])
def test_a_request_whose_body_cannot_be_read_is_still_recorded(fresh_server, path, body,
                                                               headers, kept):
    server = fresh_server()
    assert post(server, path, body, headers).status_code in (400, 413)
    sent = recorded(server, path)["request"]
    assert {name: sent[name] for name in kept} == kept
