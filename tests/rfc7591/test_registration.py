"""RFC 7591 §3 at the real registration endpoint: what a registration returns, that the new
client works at once, the redirect URI rules of CONTRACT.md, the initial access token and
request bodies that are not client metadata."""

import base64
import json

import pytest
from joserfc.jwk import ECKey

from tests.flows import Browser, redirect_params, spa_request
from tests.request_objects import DocumentHost

NATIVE = {
    "client_name": "Registered native app", "application_type": "native",
    "redirect_uris": ["http://127.0.0.1/callback"], "token_endpoint_auth_method": "none",
    "grant_types": ["authorization_code", "refresh_token"], "scope": "openid profile email",
}
MACHINE = {"grant_types": ["client_credentials"], "scope": "api.read"}


def register(server, metadata, **headers):
    return server.post("/register", json=metadata, headers=headers)


def basic(client_id: str, secret: str) -> dict:
    raw = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


@pytest.fixture
def server(fresh_server):
    return fresh_server()


@pytest.fixture
def sector(request):
    """A loopback web server answering GET /sector.json with ``request.param`` as JSON."""
    host = DocumentHost()
    yield host.put("/sector.json", json.dumps(request.param), content_type="application/json")
    host.stop()


def test_registration_is_201_with_the_metadata_and_what_the_server_issued(server):
    response = register(server, {"redirect_uris": ["https://app.example/cb"],
                                 "client_name": "Web app"})
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    body = response.json()
    assert body["client_name"] == "Web app"
    assert body["redirect_uris"] == ["https://app.example/cb"]
    assert body["client_secret"] and body["client_secret_expires_at"] == 0
    assert isinstance(body["client_id_issued_at"], int)
    assert body["registration_access_token"]
    assert body["registration_client_uri"] == f"{server.issuer}/register/{body['client_id']}"


def test_client_ids_are_random_and_url_safe(server):
    first, second = (register(server, MACHINE).json()["client_id"] for _ in range(2))
    assert first != second
    assert len(first) >= 16
    assert all(c.isalnum() or c in "-_" for c in first)


def test_omitted_metadata_gets_the_specified_defaults(server):
    body = register(server, {"redirect_uris": ["https://app.example/cb"]}).json()
    assert body["grant_types"] == ["authorization_code"]
    assert body["response_types"] == ["code"]
    assert body["token_endpoint_auth_method"] == "client_secret_basic"
    assert body["application_type"] == "web"
    assert body["id_token_signed_response_alg"] == "RS256"


def test_omitted_scope_registers_the_openid_connect_scopes(server):
    body = register(server, {"redirect_uris": ["https://app.example/cb"]}).json()
    assert {"openid", "profile", "email"} <= set(body["scope"].split())
    assert "api.read" not in body["scope"].split()


def test_client_credentials_client_registers_no_response_types(server):
    body = register(server, MACHINE).json()
    assert body["response_types"] == []
    assert "redirect_uris" not in body


def test_public_client_is_issued_no_client_secret(server):
    body = register(server, NATIVE).json()
    assert "client_secret" not in body and "client_secret_expires_at" not in body


def test_private_key_jwt_client_is_issued_no_client_secret(server):
    jwks = {"keys": [ECKey.generate_key("P-256").as_dict(private=False)]}
    body = register(server, {**MACHINE, "token_endpoint_auth_method": "private_key_jwt",
                             "jwks": jwks}).json()
    assert body["token_endpoint_auth_method"] == "private_key_jwt"
    assert "client_secret" not in body


def test_unknown_metadata_fields_are_kept_as_given(server):
    extra = {"x_team": "payments", "x_nested": {"a": [1, None, True]}, "x_null": None}
    body = register(server, {**MACHINE, **extra}).json()
    assert {key: body[key] for key in extra} == extra


def test_known_fields_sent_as_null_count_as_omitted(server):
    body = register(server, {**MACHINE, "logo_uri": None, "default_max_age": None}).json()
    assert "logo_uri" not in body and "default_max_age" not in body


def test_language_tagged_human_readable_fields_are_accepted(server):
    body = register(server, {**MACHINE, "client_name#fr": "Appli", "tos_uri#fr":
                             "https://app.example/cgu"}).json()
    assert body["client_name#fr"] == "Appli"


def test_client_id_and_client_secret_in_the_request_are_not_taken(server):
    response = register(server, {**MACHINE, "client_id": "demo-web", "client_secret": "mine"})
    body = response.json()
    assert response.status_code == 201
    assert body["client_id"] != "demo-web" and body["client_secret"] != "mine"
    assert server.store.get_client("demo-web").metadata["client_name"] == "Demo web app"


def test_registered_client_gets_a_client_credentials_token_at_once(server):
    body = register(server, MACHINE).json()
    response = server.post("/token", data={"grant_type": "client_credentials"},
                           headers=basic(body["client_id"], body["client_secret"]))
    assert response.status_code == 200
    assert response.json()["scope"] == "api.read"


def test_registered_public_client_runs_the_code_flow_with_pkce_at_once(server):
    client_id = register(server, NATIVE).json()["client_id"]
    redirect_uri = "http://127.0.0.1:53117/callback"  # RFC 8252 §7.3: any loopback port
    params, verifier = spa_request(client_id=client_id, redirect_uri=redirect_uri)
    back = redirect_params(Browser(server).sign_in_and_allow(**params))
    response = server.post("/token", data={
        "grant_type": "authorization_code", "code": back["code"], "redirect_uri": redirect_uri,
        "client_id": client_id, "code_verifier": verifier})
    assert response.status_code == 200
    assert {"access_token", "refresh_token", "id_token"} <= set(response.json())


@pytest.mark.parametrize("uri", [
    "http://localhost:3000/callback", "http://127.0.0.1/callback", "http://[::1]:8080/cb",
    "http://127.1.2.3/cb",
], ids=["localhost", "ipv4-loopback", "ipv6-loopback", "loopback-range"])
def test_plain_http_loopback_redirect_is_accepted_for_a_web_client(server, uri):
    response = register(server, {"application_type": "web", "redirect_uris": [uri]})
    assert response.status_code == 201
    assert response.json()["redirect_uris"] == [uri]


def test_plain_http_redirect_off_loopback_is_invalid_redirect_uri_for_a_web_client(server):
    response = register(server, {"redirect_uris": ["http://app.example/callback"]})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_redirect_uri"
    assert "'redirect_uris'" in response.json()["error_description"]


@pytest.mark.parametrize("uri", ["com.example.app:/oauth2redirect", "https://app.example/cb",
                                 "http://localhost/cb"],
                         ids=["private-use-scheme", "claimed-https", "loopback-http"])
def test_native_client_may_register_rfc8252_redirects(server, uri):
    response = register(server, {"application_type": "native", "redirect_uris": [uri],
                                 "token_endpoint_auth_method": "none"})
    assert response.status_code == 201


@pytest.mark.parametrize("sector", [["https://app.example/cb", "https://other.example/cb"]],
                         indirect=True)
def test_sector_identifier_listing_every_redirect_uri_is_accepted(server, sector):
    response = register(server, {"redirect_uris": ["https://app.example/cb",
                                                   "https://other.example/cb"],
                                 "subject_type": "pairwise", "sector_identifier_uri": sector})
    assert response.status_code == 201


@pytest.mark.parametrize("sector", [["https://app.example/cb"]], indirect=True)
def test_sector_identifier_missing_a_redirect_uri_is_invalid_client_metadata(server, sector):
    response = register(server, {"redirect_uris": ["https://app.example/cb",
                                                   "https://other.example/cb"],
                                 "subject_type": "pairwise", "sector_identifier_uri": sector})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_client_metadata"
    assert "'sector_identifier_uri'" in response.json()["error_description"]


@pytest.mark.parametrize("sector", [{"not": "an array"}], indirect=True)
def test_sector_identifier_document_that_is_not_an_array_is_invalid_client_metadata(
        server, sector):
    response = register(server, {"redirect_uris": ["https://app.example/cb"],
                                 "sector_identifier_uri": sector})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_client_metadata"


def test_sector_identifier_on_a_host_not_allowed_is_refused_without_fetching(server):
    response = register(server, {"redirect_uris": ["https://app.example/cb"],
                                 "sector_identifier_uri": "https://sector.example/s.json"})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_client_metadata"
    assert "fetch_allowed_hosts" in response.json()["error_description"]


def test_registration_is_recorded_as_an_event_without_secrets(server):
    body = register(server, MACHINE).json()
    event = server.store.find_events(event="client.registered", limit=1)[0]
    assert event.fields["client_id"] == body["client_id"]
    recorded = json.dumps(event.fields)
    assert body["client_secret"] not in recorded
    assert body["registration_access_token"] not in recorded


def test_discovery_advertises_the_registration_endpoint(live_server):
    document = live_server.get("/.well-known/openid-configuration").json()
    assert document["registration_endpoint"] == f"{live_server.issuer}/register"


# The initial access token (RFC 7591 §3, "registration_initial_access_token" setting).

@pytest.fixture
def guarded(fresh_server):
    return fresh_server(registration_initial_access_token="tok")


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"},
                                     {"Authorization": "Basic dG9rOg=="},
                                     {"Authorization": "Bearer "}],
                         ids=["missing", "wrong", "not-bearer", "empty"])
def test_registration_without_the_initial_access_token_is_401_invalid_token(guarded, headers):
    response = register(guarded, MACHINE, **headers)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"
    challenge = response.headers["WWW-Authenticate"]
    assert challenge.startswith("Bearer ") and 'error="invalid_token"' in challenge


def test_registration_with_the_initial_access_token_succeeds(guarded):
    response = register(guarded, MACHINE, Authorization="Bearer tok")
    assert response.status_code == 201


def test_an_unneeded_bearer_token_does_not_hinder_open_registration(server):
    assert register(server, MACHINE, Authorization="Bearer anything").status_code == 201


# Bodies that are not client metadata: 400, never a 500.

@pytest.mark.parametrize("data", [
    b"[]", b'"text"', b"42", b"null", b"true", b"{", b"{'single': 'quotes'}", b"",
    b'{"default_max_age": NaN}', b'{"a": Infinity}', b"\xff\xfe\x00", b"[" * 100_000,
    b'{"n": 1' + b"0" * 5000 + b"}",
], ids=["array", "string", "number", "null", "boolean", "truncated", "not-json", "empty",
        "nan", "infinity", "bad-encoding", "deep-nesting", "huge-integer"])
def test_a_body_that_is_not_a_json_object_is_invalid_request(server, data):
    response = server.post("/register", data=data, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "text/plain",
                                          None], ids=["form", "text", "none"])
def test_a_body_that_is_not_application_json_is_invalid_request(server, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    response = server.post("/register", data=json.dumps(MACHINE), headers=headers)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_a_failed_registration_creates_no_client(server):
    before = {record.client_id for record in server.store.find_clients()}
    register(server, {**MACHINE, "scope": "nonexistent"})
    assert {record.client_id for record in server.store.find_clients()} == before
