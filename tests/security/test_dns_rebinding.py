"""DNS rebinding: a page whose name resolves to 127.0.0.1 still sends its own name in Host;
every OP endpoint answers such a request 421 (app/hosts.py)."""

from __future__ import annotations

import pytest

from tests.flows import spa_request

REBOUND = "evil.test"
ENDPOINTS = [
    ("POST", "/register", {"json": {"redirect_uris": ["http://127.0.0.1/cb"]}}),
    ("POST", "/par", {"data": {"client_id": "demo-spa"}}),
    ("POST", "/introspect", {"data": {"token": "x"}}),
    ("POST", "/token", {"data": {"grant_type": "password", "username": "alice"}}),
    ("GET", "/authorize", {"params": spa_request()[0]}),
    ("GET", "/.well-known/openid-configuration", {}),
    ("GET", "/no-such-page", {}),
    ("GET", "/healthz", {}),
]


@pytest.mark.parametrize("method,path,kwargs", ENDPOINTS, ids=[p for _, p, _ in ENDPOINTS])
def test_a_request_naming_another_host_is_misdirected(live_server, method, path, kwargs):
    response = live_server.http_request(method, path, host=f"{REBOUND}:{live_server.port}",
                                        **kwargs)
    assert response.status_code == 421
    assert response.json()["error"] == "invalid_request"
    assert "allowed_hosts" in response.json()["error_description"]


def test_registration_through_a_rebound_name_creates_no_client(fresh_server):
    server = fresh_server()
    before = len(server.store.find_clients())
    response = server.http_request("POST", "/register", host=REBOUND,
                                   json={"redirect_uris": ["http://127.0.0.1/cb"]})
    assert response.status_code == 421
    assert len(server.store.find_clients()) == before


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::1]", "app.localhost",
                                  "LOCALHOST.", "192.168.1.20", "[fe80::1]"])
def test_loopback_names_and_ip_literals_are_served(live_server, host):
    response = live_server.http_request("GET", "/.well-known/openid-configuration",
                                        host=f"{host}:{live_server.port}")
    assert response.status_code == 200


@pytest.mark.parametrize("host", ["localhost.evil.test", "127.0.0.1.evil.test"])
def test_lookalike_hosts_are_misdirected(live_server, host):
    response = live_server.http_request("GET", "/.well-known/openid-configuration", host=host)
    assert response.status_code == 421


@pytest.mark.parametrize("host", ["evil.test@localhost", "localhost:notaport", "",
                                  "127.0.0.1:9400 : x"])
def test_an_invalid_host_header_is_a_bad_request(live_server, host):
    """RFC 9112 §3.2: a Host header field with an invalid field value is a 400."""
    response = live_server.http_request("GET", "/.well-known/openid-configuration", host=host)
    assert response.status_code == 400
    assert response.json()["error_description"] == "Invalid 'Host' header."


def test_the_issuers_host_is_served(fresh_server):
    server = fresh_server(issuer="http://op.example.test:9400")
    response = server.http_request("GET", "/.well-known/openid-configuration",
                                   host="op.example.test:9400")
    assert response.status_code == 200


def test_the_allowed_hosts_setting_adds_names(fresh_server):
    server = fresh_server(allowed_hosts="dev.example.test, Other.Example.test")
    for host in ("dev.example.test", "other.example.test:8080"):
        response = server.http_request("GET", "/.well-known/openid-configuration", host=host)
        assert response.status_code == 200, host
    assert server.http_request("GET", "/healthz", host=REBOUND).status_code == 421
