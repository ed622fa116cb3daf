"""The admin gives clients the password grant (dynamic registration refuses it): a client it
creates with the grant can use it at once; saving the grant on a client that registered
itself takes that client over, ending its RFC 7592 registration access token, and the token
endpoint then honours the grant."""

from __future__ import annotations

import pytest

from tests.flows import basic

from .conftest import AdminApi

LEGACY = {"client_name": "Legacy app", "grant_types": ["password"], "response_types": [],
          "token_endpoint_auth_method": "client_secret_basic", "scope": "openid"}


def password_grant(server, client_id: str, secret: str):
    return server.post("/token", data={"grant_type": "password", "username": "bob",
                                       "password": "bob", "scope": "openid"},
                       headers=basic(client_id, secret))


@pytest.fixture
def registered(server) -> dict:
    """A client that registered itself (without the password grant)."""
    response = server.post("/register", json={"grant_types": ["client_credentials"],
                                              "response_types": [], "scope": "openid"})
    assert response.status_code == 201, response.text
    return response.json()


def enable_password(api: AdminApi, client_id: str):
    return api.patch(f"/clients/{client_id}", json={"metadata": {
        "grant_types": ["client_credentials", "password"]}})


def test_a_client_the_admin_creates_with_the_password_grant_can_use_it(api, server):
    created = api.post("/clients", json={"client_id": "legacy-app", "metadata": LEGACY})
    assert created.status_code == 201, created.text
    response = password_grant(server, "legacy-app", created.json()["client_secret"])
    assert response.status_code == 200, response.text


def test_the_admin_enabling_the_grant_on_a_registered_client_makes_it_usable(api, server,
                                                                            registered):
    client_id = registered["client_id"]
    assert enable_password(api, client_id).status_code == 200
    response = password_grant(server, client_id, registered["client_secret"])
    assert response.status_code == 200, response.text


def test_the_admin_enabling_the_grant_ends_the_registration_access_token(api, server,
                                                                       registered):
    client_id = registered["client_id"]
    enable_password(api, client_id)
    read = server.get(f"/register/{client_id}", headers={
        "Authorization": f"Bearer {registered['registration_access_token']}"})
    assert (read.status_code, read.json()["error"]) == (401, "invalid_token")


def test_the_take_over_is_in_the_update_event(api, registered):
    enable_password(api, registered["client_id"])
    [event] = api.events("client.updated")
    assert "registration_access_token" in event["fields"]["changed"]


def test_other_admin_changes_keep_the_registration_access_token(api, server, registered):
    client_id = registered["client_id"]
    assert api.patch(f"/clients/{client_id}", json={"metadata": {
        "client_name": "Renamed"}}).status_code == 200
    read = server.get(f"/register/{client_id}", headers={
        "Authorization": f"Bearer {registered['registration_access_token']}"})
    assert read.status_code == 200
