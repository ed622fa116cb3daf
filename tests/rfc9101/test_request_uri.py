"""RFC 9101 §5.2 at the real authorization endpoint: request objects by reference, fetched
from a loopback host; only a request_uri the client registered is fetched (discovery says
require_request_uri_registration); unregistered, unreachable or unallowed URIs are
invalid_request_uri."""

import pytest

from tests.flows import Browser, redirect_params
from tests.request_objects import (
    DocumentHost,
    encrypt_to_op,
    public_jwks,
    request_claims,
    sign,
)

REDIRECT = "http://127.0.0.1:7102/cb"
SECRET = "request-uri-client-secret-0123456789abcdef"
#: What uri-app registered in request_uris (on the document host, plus one far host).
OBJECTS = ["/objects/RS256", "/objects/PS256", "/objects/ES256", "/objects/EdDSA",
           "/objects/enc", "/missing", "/html", "/unregistered-elsewhere"]
FAR_OBJECT = "https://objects.example.net/request.jwt"


@pytest.fixture(scope="module")
def host():
    host = DocumentHost()
    yield host
    host.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory, host):
    from tests.conftest import LiveServer

    server = LiveServer(tmp_path_factory.mktemp("jar-uri") / "data")
    uri_app = {"request_uris": [host.url + path for path in OBJECTS] + [FAR_OBJECT]}
    for client_id, extra in (("uri-app", uri_app),
                             ("registered-uri-app", {"request_uris": [host.url + "/listed#x"]}),
                             ("unregistered-uri-app", {})):
        server.store.create_client(client_id, {
            "redirect_uris": [REDIRECT], "grant_types": ["authorization_code"],
            "response_types": ["code"], "token_endpoint_auth_method": "client_secret_basic",
            "scope": "openid profile", "jwks": public_jwks(), **extra,
        }, secret=SECRET, trusted=True)
    browser = Browser(server)
    browser.login(browser.authorize(client_id="uri-app", response_type="code",
                                    redirect_uri=REDIRECT, scope="openid"), "alice", "alice")
    server.browser = browser
    yield server
    server.stop()


def by_reference(server, client_id: str, request_uri: str, **outer):
    return server.browser.authorize(client_id=client_id, request_uri=request_uri, **outer)


@pytest.mark.parametrize("alg", ["RS256", "PS256", "ES256", "EdDSA"])
def test_request_object_by_reference_is_fetched_and_used(server, host, alg):
    token = sign(request_claims(server, "uri-app", REDIRECT, state=f"by-ref-{alg}"), alg)
    uri = host.put(f"/objects/{alg}", token)
    back = redirect_params(by_reference(server, "uri-app", uri))
    assert back["state"] == f"by-ref-{alg}" and "code" in back
    assert f"/objects/{alg}" in host.requests


def test_encrypted_request_object_by_reference_is_used(server, host):
    token = encrypt_to_op(server, sign(request_claims(server, "uri-app", REDIRECT,
                                                      state="by-ref-encrypted"), "ES256"))
    back = redirect_params(by_reference(server, "uri-app", host.put("/objects/enc", token)))
    assert back["state"] == "by-ref-encrypted" and "code" in back


def test_registered_request_uri_is_matched_without_its_fragment(server, host):
    token = sign(request_claims(server, "registered-uri-app", REDIRECT, state="listed"), "ES256")
    uri = host.put("/listed", token)
    back = redirect_params(by_reference(server, "registered-uri-app", uri + "#x"))
    assert back["state"] == "listed" and "code" in back


@pytest.mark.parametrize("client", ["registered-uri-app", "unregistered-uri-app"],
                         ids=["not-among-its-request-uris", "client-registered-none"])
def test_an_unregistered_request_uri_is_refused_without_fetching(server, host, client):
    """RFC 9101 §10.4.1 / discovery's require_request_uri_registration: only a request_uri
    the client registered is fetched."""
    token = sign(request_claims(server, client, REDIRECT), "ES256")
    uri = host.put(f"/unlisted-{client}", token)
    back = redirect_params(by_reference(server, client, uri, redirect_uri=REDIRECT,
                                        state="outer"))
    assert back["error"] == "invalid_request_uri" and back["state"] == "outer"
    assert f"/unlisted-{client}" not in host.requests


def test_registered_request_uri_on_a_host_not_allowed_is_invalid_request_uri(server):
    back = redirect_params(by_reference(server, "uri-app", FAR_OBJECT, redirect_uri=REDIRECT))
    assert back["error"] == "invalid_request_uri"


@pytest.mark.parametrize("uri", [
    "ftp://127.0.0.1/request.jwt",
    "urn:ietf:params:oauth:request_uri:never-pushed-xyz",
    "not a uri",
], ids=["not-http", "unknown-par-urn", "garbage"])
def test_request_uri_that_cannot_be_fetched_is_invalid_request_uri(server, uri):
    back = redirect_params(by_reference(server, "uri-app", uri, redirect_uri=REDIRECT))
    assert back["error"] == "invalid_request_uri"


def test_request_uri_answering_404_is_invalid_request_uri(server, host):
    back = redirect_params(by_reference(server, "uri-app", host.url + "/missing",
                                        redirect_uri=REDIRECT))
    assert back["error"] == "invalid_request_uri"


def test_request_uri_serving_something_else_than_a_jwt_is_invalid_request_object(server, host):
    uri = host.put("/html", "<html>hello</html>")
    back = redirect_params(by_reference(server, "uri-app", uri, redirect_uri=REDIRECT))
    assert back["error"] == "invalid_request_object"

