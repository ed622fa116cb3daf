"""Metadata this server does not act on yet is neither stored nor echoed (RFC 7591 §3.2.1:
the response holds what was registered), so no client believes it got the behaviour; a
token binding the client asked for is refused rather than silently dropped (RFC 9449 §5.2,
RFC 8705 §3.4)."""

from __future__ import annotations

import pytest

from app.oauth.client_metadata.fields import NOT_ACTED_ON, REFUSED_WHEN_TRUE
from tests.admin.conftest import AdminApi

BASE = {"redirect_uris": ["https://app.example/cb"]}
#: A plausible value of each field a Janssen or CIBA/mTLS/UMA client would send.
VALUES = {
    "software_statement": "eyJhbGciOiJub25lIn0.e30.", "authorized_origins": [
        "https://app.example"], "allow_spontaneous_scopes": True,
    "spontaneous_scopes": [r"user:\d+"], "additional_audience": ["https://api.example"],
    "include_claims_in_id_token": False, "persist_client_authorizations": False,
    "rpt_as_jwt": True, "claims_redirect_uri": ["https://app.example/claims"],
    "backchannel_token_delivery_mode": "poll",
    "backchannel_client_notification_endpoint": "https://app.example/notify",
    "backchannel_authentication_request_signing_alg": "RS256",
    "backchannel_user_code_parameter": True, "tls_client_auth_subject_dn": "CN=app",
    "tls_client_auth_san_dns": "app.example", "tls_client_auth_san_uri": "https://app.example",
    "tls_client_auth_san_ip": "127.0.0.1", "tls_client_auth_san_email": "a@app.example",
    "authorization_details_types": ["payment_initiation"],
    "dpop_bound_access_tokens": False, "tls_client_certificate_bound_access_tokens": False,
}


def test_every_field_not_acted_on_has_a_case_here():
    assert set(VALUES) == set(NOT_ACTED_ON)


@pytest.mark.parametrize("field", sorted(VALUES))
def test_a_field_not_acted_on_is_accepted_but_not_echoed(live_server, field):
    response = live_server.post("/register", json={**BASE, field: VALUES[field]})
    assert response.status_code == 201, response.text
    body = response.json()
    assert field not in body
    read = live_server.get(f"/register/{body['client_id']}", headers={
        "Authorization": f"Bearer {body['registration_access_token']}"})
    assert read.status_code == 200 and field not in read.json()


@pytest.mark.parametrize("field", REFUSED_WHEN_TRUE)
def test_a_token_binding_the_server_cannot_give_is_refused(live_server, field):
    response = live_server.post("/register", json={**BASE, field: True})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_client_metadata"
    assert field in response.json()["error_description"]


def test_the_admin_api_does_not_store_a_field_not_acted_on(fresh_server):
    server = fresh_server()
    api = AdminApi(server, server.app.admin_launch_token)
    response = api.post("/clients", json={"client_id": "janssen-app", "metadata": {
        **BASE, "include_claims_in_id_token": False, "rpt_as_jwt": True}})
    assert response.status_code == 201, response.text
    stored = server.store.get_client("janssen-app").metadata
    assert "include_claims_in_id_token" not in stored and "rpt_as_jwt" not in stored


def test_the_admin_api_refuses_dpop_bound_tokens(fresh_server):
    server = fresh_server()
    api = AdminApi(server, server.app.admin_launch_token)
    response = api.post("/clients", json={"metadata": {**BASE, "dpop_bound_access_tokens": True}})
    assert response.status_code == 400
    assert "dpop_bound_access_tokens" in response.text


def test_fields_stored_before_this_rule_are_not_echoed(fresh_server):
    server = fresh_server()
    body = server.post("/register", json=BASE).json()
    record = server.store.get_client(body["client_id"])
    server.store.update_client(body["client_id"], metadata={
        **record.metadata, "dpop_bound_access_tokens": True, "rpt_as_jwt": True})
    read = server.get(f"/register/{body['client_id']}", headers={
        "Authorization": f"Bearer {body['registration_access_token']}"})
    assert read.status_code == 200
    assert "dpop_bound_access_tokens" not in read.json() and "rpt_as_jwt" not in read.json()


def test_try_it_never_says_tokens_are_dpop_bound(fresh_server):
    """Try it acts as the client; with no DPoP at this server it must not claim a binding."""
    server = fresh_server()
    record = server.store.get_client("demo-machine")
    server.store.update_client("demo-machine", metadata={
        **record.metadata, "dpop_bound_access_tokens": True})
    api = AdminApi(server, server.app.admin_launch_token)
    plan = api.get("/clients/demo-machine/try-it")
    assert plan.status_code == 200, plan.text
    assert "DPoP" not in plan.text
