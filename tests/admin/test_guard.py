"""Who may call the admin API: the launch token or a signed-in admin (cookie plus CSRF token),
from loopback, from the server's own origin; and what every admin answer carries. Signing in
and out is ``test_login.py``."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from app.admin import guard
from app.hosts import check_loopback_address
from tests.conftest import LiveServer

from .conftest import ADMIN_PASSWORD, AdminApi, sign_in

NEW_CLIENT = {"metadata": {"grant_types": ["client_credentials"]}}


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/clients"),
    ("GET", "/settings"),
    ("GET", "/session"),
    ("POST", "/clients"),
    ("DELETE", "/sessions/abc"),
    ("GET", "/no-such-resource"),
], ids=["list-clients", "list-settings", "session", "create-client", "revoke", "unknown-path"])
def test_a_request_without_credentials_is_refused_with_401(live_server, method, path):
    response = AdminApi(live_server).request(method, path, json={})
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", [
    "Bearer not-the-launch-token",
    "Bearer ",
    "Basic YWRtaW46YWRtaW4=",
], ids=["wrong-token", "empty-token", "basic-scheme"])
def test_a_wrong_authorization_header_is_refused_with_401(live_server, header):
    response = AdminApi(live_server).get("/clients", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"


def test_the_launch_token_as_a_bearer_token_is_let_in(live_server):
    response = AdminApi(live_server, live_server.app.admin_launch_token).get("/clients")
    assert response.status_code == 200


def test_each_launch_has_its_own_token(live_server, fresh_server):
    assert fresh_server().app.admin_launch_token != live_server.app.admin_launch_token


def test_a_state_changing_bearer_call_needs_no_csrf_token(api):
    assert api.post("/clients", json=NEW_CLIENT).status_code == 201


def test_a_state_changing_cookie_request_without_csrf_token_is_refused_with_403(server):
    admin, _ = sign_in(server)
    response = admin.post("/clients", json=NEW_CLIENT)
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"
    assert "X-CSRF-Token" in response.json()["error_description"]


def test_a_state_changing_cookie_request_with_a_wrong_csrf_token_is_refused_with_403(server):
    admin, csrf = sign_in(server)
    response = admin.post("/clients", json=NEW_CLIENT, headers={"X-CSRF-Token": csrf[:-1]})
    assert response.status_code == 403


def test_the_csrf_token_of_another_session_is_refused(server):
    admin, _ = sign_in(server)
    _, other_csrf = sign_in(server)
    response = admin.post("/clients", json=NEW_CLIENT, headers={"X-CSRF-Token": other_csrf})
    assert response.status_code == 403


def test_a_state_changing_cookie_request_with_its_csrf_token_is_let_in(server):
    admin, csrf = sign_in(server)
    response = admin.post("/clients", json=NEW_CLIENT, headers={"X-CSRF-Token": csrf})
    assert response.status_code == 201


def test_a_tampered_session_cookie_is_refused(server):
    admin, _ = sign_in(server)
    cookie = admin.http.cookies.get(guard.COOKIE)
    forged = cookie[:-2] + ("AA" if not cookie.endswith("AA") else "BB")
    response = AdminApi(server).get("/clients", headers={"Cookie": f"{guard.COOKIE}={forged}"})
    assert response.status_code == 401


def test_a_session_survives_a_restart_on_the_same_data_dir(server):
    admin, csrf = sign_in(server)
    cookie = admin.http.cookies.get(guard.COOKIE)
    server.stop()
    again = LiveServer(Path(server.settings.data_dir))
    try:
        headers = {"Cookie": f"{guard.COOKIE}={cookie}", "X-CSRF-Token": csrf}
        response = AdminApi(again).post("/clients", json=NEW_CLIENT, headers=headers)
        assert response.status_code == 201
    finally:
        again.stop()


def test_a_session_cookie_of_another_data_dir_is_refused(server, fresh_server):
    admin, _ = sign_in(server)
    cookie = admin.http.cookies.get(guard.COOKIE)
    other = fresh_server()
    response = AdminApi(other).get("/clients", headers={"Cookie": f"{guard.COOKIE}={cookie}"})
    assert response.status_code == 401


@pytest.mark.parametrize("origin", [
    "http://evil.example",
    "null",
    "http://127.0.0.1:1",
    "https://localhost",
], ids=["other-site", "opaque", "other-port", "other-scheme"])
def test_a_state_changing_request_from_another_origin_is_refused_with_403(api, origin):
    response = api.post("/clients", json=NEW_CLIENT, headers={"Origin": origin})
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"


def test_signing_in_from_another_origin_is_refused_with_403(server):
    response = AdminApi(server).post("/session", headers={"Origin": "http://evil.example"},
                                     json={"username": "admin", "password": ADMIN_PASSWORD})
    assert response.status_code == 403


@pytest.mark.parametrize("own", ["request", "issuer"])
def test_the_servers_own_origin_is_accepted(api, own):
    origin = api.server.url if own == "request" else api.server.issuer
    response = api.post("/clients", json=NEW_CLIENT, headers={"Origin": origin})
    assert response.status_code == 201


def test_a_host_header_naming_another_host_is_refused_as_misdirected(api):
    """The whole server answers 421 first (app/hosts.py); the admin guard's own Host check
    stays behind it."""
    response = api.get("/clients", headers={"Host": f"rebound.example:{api.server.server.port}"})
    assert response.status_code == 421


def test_a_non_loopback_caller_is_refused_with_403(live_server):
    client = live_server.app.test_client()
    headers = {"Authorization": f"Bearer {live_server.app.admin_launch_token}"}
    response = client.get("/admin/api/clients", headers=headers,
                          environ_base={"REMOTE_ADDR": "192.168.1.20"})
    assert response.status_code == 403
    assert response.get_json()["error"] == "forbidden"


@pytest.mark.parametrize(("address", "expected"), [
    ("127.0.0.1", True),
    ("127.8.9.10", True),
    ("::1", True),
    ("::ffff:127.0.0.1", True),
    ("192.168.1.20", False),
    ("::ffff:10.0.0.1", False),
    ("", False),
    (None, False),
    ("localhost", False),
])
def test_check_loopback_accepts_only_loopback_addresses(address, expected):
    assert check_loopback_address(address) is expected


def test_admin_answers_are_not_stored_framed_or_shared_cross_origin(api):
    response = api.get("/clients", headers={"Origin": "http://evil.example"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert not [name for name in response.headers if name.lower().startswith("access-control")]


def test_refusals_are_not_stored_either(live_server):
    response = AdminApi(live_server).get("/clients")
    assert response.headers["Cache-Control"] == "no-store"


def test_a_non_json_body_is_refused_with_400(api):
    response = api.post("/clients", data="metadata=x",
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_the_launch_token_is_refused_where_it_does_not_belong(live_server):
    """The launch token opens the admin API only, not e.g. userinfo."""
    headers = {"Authorization": f"Bearer {live_server.app.admin_launch_token}"}
    assert requests.get(live_server.url + "/userinfo", headers=headers,
                        timeout=10).status_code == 401
