"""RFC 7592 §2 at the real client configuration endpoint: read, replace and delete a
registered client with its registration access token, and nothing without it."""

import base64

import pytest
import requests

from app.store import NotFound

WEB = {"client_name": "Web app", "redirect_uris": ["https://app.example/cb"],
       "grant_types": ["authorization_code", "client_credentials"], "scope": "openid api.read",
       "logo_uri": "https://app.example/logo.png"}


def auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def call(server, method: str, path: str, **kwargs) -> requests.Response:
    return requests.request(method, server.url + path, timeout=10, **kwargs)


def basic(client_id: str, secret: str) -> dict:
    raw = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


class Registered:
    """A client registered over HTTP, and calls to its configuration endpoint."""

    def __init__(self, server, metadata: dict):
        response = server.post("/register", json=metadata)
        assert response.status_code == 201, response.text
        self.server, self.body = server, response.json()
        self.client_id, self.token = self.body["client_id"], self.body["registration_access_token"]
        self.path = f"/register/{self.client_id}"

    def read(self, token: str | None = None, path: str | None = None):
        return self.server.get(path or self.path, headers=auth(token or self.token))

    def update(self, metadata: dict, token: str | None = None):
        return call(self.server, "PUT", self.path, json=metadata,
                    headers=auth(token or self.token))

    def delete(self, token: str | None = None):
        return call(self.server, "DELETE", self.path, headers=auth(token or self.token))

    def replacement(self, **changes) -> dict:
        """The metadata as registered, with ``client_id`` and ``changes``, ready to PUT."""
        issued = ("client_secret", "client_id_issued_at", "client_secret_expires_at",
                  "registration_access_token", "registration_client_uri")
        metadata = {k: v for k, v in self.body.items() if k not in issued}
        metadata.update(changes)
        return {k: v for k, v in metadata.items() if v is not None}


@pytest.fixture
def server(fresh_server):
    return fresh_server()


@pytest.fixture
def client(server):
    return Registered(server, WEB)


def assert_invalid_token(response):
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


# Read (§2.1)

def test_read_returns_the_registered_metadata_and_credentials(client):
    response = client.read()
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.json() == client.body


@pytest.mark.parametrize("headers", [{}, auth("wrong"), {"Authorization": "Basic eDp5"}],
                         ids=["missing", "wrong", "not-bearer"])
def test_read_without_the_registration_access_token_is_401_invalid_token(client, headers):
    assert_invalid_token(client.server.get(client.path, headers=headers))


def test_read_of_an_unknown_client_looks_like_a_wrong_token(client):
    assert_invalid_token(client.read(path="/register/no-such-client"))


def test_one_clients_token_does_not_open_another_client(server, client):
    other = Registered(server, WEB)
    assert_invalid_token(client.read(token=other.token))


def test_the_initial_access_token_does_not_open_a_client(fresh_server):
    server = fresh_server(registration_initial_access_token="tok")
    response = server.post("/register", json=WEB, headers=auth("tok"))
    client_id = response.json()["client_id"]
    assert_invalid_token(server.get(f"/register/{client_id}", headers=auth("tok")))


def test_the_registration_access_token_is_stored_only_as_a_digest(server, client):
    row = server.store.m.Client.get(server.store.m.Client.client_id == client.client_id)
    assert row.registration_token_hash and client.token not in row.registration_token_hash


# Update (§2.2)

def test_update_replaces_the_metadata_and_omitted_fields_are_removed(client):
    response = client.update(client.replacement(client_name="Renamed", logo_uri=None))
    assert response.status_code == 200
    body = response.json()
    assert body["client_name"] == "Renamed" and "logo_uri" not in body
    assert client.read().json()["client_name"] == "Renamed"
    assert "logo_uri" not in client.read().json()


def test_update_keeps_the_client_secret_and_the_registration_access_token(client):
    body = client.update(client.replacement(client_name="Renamed")).json()
    assert body["client_secret"] == client.body["client_secret"]
    assert body["registration_access_token"] == client.token
    token = client.server.post("/token", data={"grant_type": "client_credentials"},
                               headers=basic(client.client_id, client.body["client_secret"]))
    assert token.status_code == 200


def test_update_with_the_matching_client_secret_is_accepted(client):
    metadata = client.replacement(client_secret=client.body["client_secret"])
    assert client.update(metadata).status_code == 200


def test_update_to_a_public_client_drops_the_client_secret(client):
    response = client.update(client.replacement(token_endpoint_auth_method="none",
                                                grant_types=["authorization_code"]))
    assert response.status_code == 200
    assert "client_secret" not in response.json()
    assert client.server.store.get_client_secret(client.client_id) is None


def test_update_to_a_confidential_client_issues_a_client_secret(server):
    public = Registered(server, {**WEB, "grant_types": ["authorization_code"],
                                 "token_endpoint_auth_method": "none"})
    response = public.update(public.replacement(token_endpoint_auth_method="client_secret_post"))
    assert response.status_code == 200
    assert response.json()["client_secret"]


@pytest.mark.parametrize("changes", [
    {"client_id": None}, {"client_id": "demo-web"}, {"client_secret": "not-the-secret"},
    {"client_secret": 12}, {"registration_access_token": "x"},
    {"registration_client_uri": "https://op.example/register/x"},
    {"client_id_issued_at": 0}, {"client_secret_expires_at": 0},
], ids=["without-client-id", "other-client-id", "wrong-client-secret", "client-secret-number",
        "registration-access-token", "registration-client-uri", "client-id-issued-at",
        "client-secret-expires-at"])
def test_update_breaking_an_rfc7592_rule_is_invalid_request(client, changes):
    response = client.update(client.replacement(**changes))
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
    assert client.read().json() == client.body


@pytest.mark.parametrize("changes, error", [
    ({"redirect_uris": ["http://app.example/cb"]}, "invalid_redirect_uri"),
    ({"grant_types": "client_credentials"}, "invalid_client_metadata"),
    ({"scope": "nonexistent"}, "invalid_client_metadata"),
], ids=["http-redirect-off-loopback", "grant-types-string", "unknown-scope"])
def test_update_with_invalid_metadata_is_refused_and_changes_nothing(client, changes, error):
    response = client.update(client.replacement(**changes))
    assert response.status_code == 400
    assert response.json()["error"] == error
    assert client.read().json() == client.body


@pytest.mark.parametrize("data", [b"[]", b"{", b"null"], ids=["array", "truncated", "null"])
def test_update_with_a_body_that_is_not_a_json_object_is_invalid_request(client, data):
    response = call(client.server, "PUT", client.path, data=data, headers={
        **auth(client.token), "Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_update_with_a_wrong_token_is_401_and_changes_nothing(client):
    assert_invalid_token(client.update(client.replacement(client_name="X"), token="wrong"))
    assert client.read().json() == client.body


def test_update_is_recorded_as_an_event(client):
    client.update(client.replacement(client_name="Renamed"))
    event = client.server.store.find_events(event="client.updated", limit=1)[0]
    assert event.fields["client_id"] == client.client_id


# Delete (§2.3)

def test_delete_is_204_and_the_client_is_gone(client):
    response = client.delete()
    assert response.status_code == 204
    assert response.content == b""
    assert_invalid_token(client.read())
    with pytest.raises(NotFound):
        client.server.store.get_client(client.client_id)


def test_a_deleted_client_can_no_longer_get_tokens_and_its_tokens_are_gone(client):
    secret = client.body["client_secret"]
    issued = client.server.post("/token", data={"grant_type": "client_credentials"},
                                headers=basic(client.client_id, secret)).json()
    client.delete()
    response = client.server.post("/token", data={"grant_type": "client_credentials"},
                                  headers=basic(client.client_id, secret))
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"
    with pytest.raises(NotFound):
        client.server.store.get_token(issued["access_token"])


def test_delete_with_a_wrong_token_is_401_and_the_client_stays(client):
    assert_invalid_token(client.delete(token="wrong"))
    assert client.read().status_code == 200


def test_delete_is_recorded_as_an_event(client):
    client.delete()
    event = client.server.store.find_events(event="client.deleted", limit=1)[0]
    assert event.fields["client_id"] == client.client_id
