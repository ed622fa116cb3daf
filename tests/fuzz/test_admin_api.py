"""The admin JSON API (``/admin/api``) under hostile bodies: any JSON (wrong types, nesting,
lone surrogates, huge numbers), the resources' own field names holding any value, bytes that
are not JSON and wrong content types, on every state-changing route. Invariant: never a 5xx
or a leak; an error is the admin API's one JSON shape (``error``, ``error_description`` and,
for validation errors, ``fields`` naming each field as a string).

The requests change what they reach, so they go to a server of their own (module scope),
never to the shared fuzz target."""

import json
import shutil

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import LiveServer
from tests.fuzz.strategies import NASTY, dumps, fuzz, json_value
from tests.fuzz.wire import Wire, check_no_leak

FIELDS = {
    "clients": ["client_id", "client_name", "redirect_uris", "grant_types", "response_types",
                "token_endpoint_auth_method", "scope", "trusted", "active", "expires_at",
                "jwks", "jwks_uri", "default_acr_values", "metadata"],
    "scopes": ["name", "kind", "description", "claims"],
    "users": ["username", "password", "claims", "active", "sub"],
    "acrs": ["value", "level", "description", "enabled", "default"],
    "keys": ["kind"],
    "settings": ["value"],
    "try-it": ["flow"],
    "import": ["format", "clients", "scopes", "users", "acrs", "settings", "keys"],
}
CONTENT_TYPES = [b"application/json", b"application/json", b"application/json; charset=utf-8",
                 b"text/plain", b"application/x-www-form-urlencoded", b"application/jso"]


@pytest.fixture(scope="module")
def admin(tmp_path_factory, seeded_data_dir, fuzz_errors):
    """(wire, routes with the resource each fuzzes, bearer header) on a server of its own."""
    data_dir = tmp_path_factory.mktemp("admin-fuzz") / "data"
    shutil.copytree(seeded_data_dir, data_dir)
    server = LiveServer(data_dir)
    alice = server.store.get_user("alice").sub
    routes = [
        ("POST", "/admin/api/clients", "clients"),
        ("PUT", "/admin/api/clients/demo-web", "clients"),
        ("PATCH", "/admin/api/clients/demo-web", "clients"),
        ("POST", "/admin/api/clients/demo-machine/try-it", "try-it"),
        ("POST", "/admin/api/scopes", "scopes"),
        ("PATCH", "/admin/api/scopes/api.read", "scopes"),
        ("POST", "/admin/api/users", "users"),
        ("PATCH", f"/admin/api/users/{alice}", "users"),
        ("POST", "/admin/api/keys", "keys"),
        ("PUT", "/admin/api/settings/access_token_lifetime", "settings"),
        ("PUT", "/admin/api/settings/log_level", "settings"),
        ("POST", "/admin/api/acrs", "acrs"),
        ("PATCH", "/admin/api/acrs/urn:pocket-op:mfa", "acrs"),
        ("POST", "/admin/api/import?mode=merge", "import"),
    ]
    bearer = (b"Authorization", f"Bearer {server.app.admin_launch_token}".encode())
    yield Wire(server, fuzz_errors), routes, bearer
    server.stop()


def check_admin_reply(reply) -> None:
    """The admin API's error shape. Unlike an OAuth error (RFC 6749 §5.2), its description
    may quote what was sent (a name with a quote in it, say): JSON escapes it."""
    check_no_leak(reply)
    if 400 <= reply.status < 500:
        assert reply.mimetype == "application/json", reply.describe()
        error = json.loads(reply.body)
        assert isinstance(error, dict), reply.describe()
        assert isinstance(error.get("error"), str) and error["error"], reply.describe()
        assert isinstance(error.get("error_description"), str), reply.describe()
        fields = error.get("fields")
        assert fields is None or (isinstance(fields, dict) and all(
            isinstance(name, str) and isinstance(problem, str)
            for name, problem in fields.items())), reply.describe()


@st.composite
def body(draw, resource: str) -> bytes:
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return draw(st.sampled_from(NASTY))
    if kind == 1:
        return dumps(draw(json_value()))
    return dumps(draw(st.dictionaries(st.sampled_from(FIELDS[resource]), json_value(),
                                      max_size=5)))


@fuzz
@given(data=st.data(), content_type=st.sampled_from(CONTENT_TYPES))
def test_hostile_bodies_get_the_admin_api_s_json_errors(admin, data, content_type):
    wire, routes, bearer = admin
    method, path, resource = data.draw(st.sampled_from(routes))
    payload = data.draw(body(resource))
    reply = wire.send(method, path, [bearer, (b"Content-Type", content_type)], payload)
    check_admin_reply(reply)


@fuzz
@given(name=st.text(min_size=1, max_size=40), method=st.sampled_from(["PATCH", "DELETE"]),
       resource=st.sampled_from(["clients", "scopes", "users", "acrs", "sessions", "settings",
                                 "keys"]))
def test_hostile_names_in_the_path_get_the_admin_api_s_json_errors(admin, name, method,
                                                                   resource):
    from urllib.parse import quote

    wire, _, bearer = admin
    reply = wire.send(method, f"/admin/api/{resource}/{quote(name, safe='')}",
                      [bearer, (b"Content-Type", b"application/json")], b"{}")
    check_admin_reply(reply)
