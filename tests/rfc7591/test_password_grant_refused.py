"""Dynamic registration does not hand out the password grant (RFC 6749 §4.3; RFC 9700 §2.4:
it "MUST NOT be used"): open registration would give any web page a client to guess
passwords with at /token. Neither a registration (RFC 7591 §3) nor an update through the
client configuration endpoint (RFC 7592 §2.2) may list it; the admin creates such clients."""

from __future__ import annotations

import pytest
import requests

REFUSED = {"error": "invalid_client_metadata",
           "error_description": "Invalid 'grant_types': the password grant is only for clients "
                                "created in the admin."}
MACHINE = {"grant_types": ["client_credentials"], "scope": "openid"}


@pytest.fixture
def server(fresh_server):
    return fresh_server()


@pytest.mark.parametrize("grant_types", [["password"], ["client_credentials", "password"],
                                         ["password", "refresh_token"]],
                         ids=["alone", "with-client-credentials", "with-refresh-token"])
def test_a_registration_listing_the_password_grant_is_invalid_client_metadata(server,
                                                                             grant_types):
    response = server.post("/register", json={**MACHINE, "grant_types": grant_types})
    assert (response.status_code, response.json()) == (400, REFUSED)


def test_a_refused_registration_creates_no_client(server):
    before = len(server.store.find_clients())
    server.post("/register", json={**MACHINE, "grant_types": ["password"]})
    assert len(server.store.find_clients()) == before


def test_an_update_adding_the_password_grant_is_invalid_client_metadata(server):
    registered = server.post("/register", json=MACHINE).json()
    client_id = registered["client_id"]
    response = requests.put(f"{server.url}/register/{client_id}", timeout=10, json={
        **MACHINE, "client_id": client_id, "grant_types": ["client_credentials", "password"]},
        headers={"Authorization": f"Bearer {registered['registration_access_token']}"})
    assert (response.status_code, response.json()) == (400, REFUSED)
    assert server.store.get_client(client_id).metadata["grant_types"] == ["client_credentials"]
