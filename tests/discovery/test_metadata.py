"""OpenID Connect Discovery 1.0 §4 and RFC 8414 §3: the metadata documents tell the truth.

Every endpoint URL they advertise answers, both documents agree, and the issuer is exact.
"""

import pytest
import requests

from app.oauth.registry import Registry

DOCUMENTS = ["/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"]


def advertised_urls(document: dict) -> dict[str, str]:
    return {key: value for key, value in document.items()
            if key != "issuer" and isinstance(value, str) and value.startswith("http")}


@pytest.mark.parametrize("path", DOCUMENTS, ids=["openid", "rfc8414"])
def test_metadata_document_is_json_with_the_exact_issuer(live_server, path):
    response = live_server.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.json()["issuer"] == live_server.issuer


def test_both_metadata_documents_are_identical(live_server):
    openid, oauth = (live_server.get(path).json() for path in DOCUMENTS)
    assert openid == oauth


def test_every_advertised_endpoint_answers(live_server):
    document = live_server.get(DOCUMENTS[0]).json()
    urls = advertised_urls(document)
    assert "jwks_uri" in urls
    for key, url in urls.items():
        assert url.startswith(live_server.issuer + "/"), key
        # The issuer names localhost; the server listens on 127.0.0.1.
        response = requests.get(url.replace(live_server.issuer, live_server.url), timeout=10)
        assert response.status_code != 404, key
        assert response.status_code < 500, (key, response.status_code)


def test_every_advertised_endpoint_is_wired_in_the_registry(live_server):
    document = live_server.get(DOCUMENTS[0]).json()
    wired = live_server.app.registry.endpoints()
    assert set(advertised_urls(document)) == set(wired)
    rules = {rule.endpoint for rule in live_server.app.url_map.iter_rules()}
    assert set(wired.values()) <= rules


def test_an_issuer_with_a_path_serves_its_metadata_below_that_path(fresh_server):
    server = fresh_server(issuer="http://localhost:1234/realms/dev")
    document = server.get("/realms/dev/.well-known/openid-configuration").json()
    assert document["issuer"] == "http://localhost:1234/realms/dev"
    assert document["jwks_uri"] == "http://localhost:1234/realms/dev/jwks"
    assert server.get("/realms/dev/jwks").status_code == 200


def test_rfc8414_path_inserted_well_known_uri_answers_for_an_issuer_with_a_path(fresh_server):
    """RFC 8414 §3.1: the well-known suffix goes between the host and the issuer's path."""
    server = fresh_server(issuer="http://localhost:1234/realms/dev")
    response = server.get("/.well-known/oauth-authorization-server/realms/dev")
    assert response.status_code == 200
    assert response.json()["issuer"] == "http://localhost:1234/realms/dev"


def test_unknown_path_is_a_json_404_without_internals(live_server):
    response = live_server.get("/no/such/endpoint")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert "Traceback" not in response.text


def test_registry_refuses_to_wire_one_metadata_key_twice():
    registry = Registry()
    registry.add_endpoint("jwks_uri", "jwks.jwks")
    with pytest.raises(ValueError):
        registry.add_endpoint("jwks_uri", "other.jwks")


def test_registry_lists_supported_values_once_in_registration_order():
    registry = Registry()
    registry.add_supported("grant_types_supported", "authorization_code", "refresh_token")
    registry.add_supported("grant_types_supported", "refresh_token", "client_credentials")
    document = registry.metadata("http://op", lambda endpoint: "/x")
    assert document["grant_types_supported"] == [
        "authorization_code", "refresh_token", "client_credentials"]
