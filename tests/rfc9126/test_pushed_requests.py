"""RFC 9126 through the real PAR and authorization endpoints: push, then authorize with the
single-use request_uri; client authentication as at the token endpoint; the same validation
as the authorization endpoint; PAR required per client and server-wide."""

import time
import uuid

import pytest
from jwcrypto import jwt as jc_jwt

from tests.flows import Browser, basic, pkce_pair, redirect_params
from tests.request_objects import SIGNING_KEYS, public_jwks, request_claims, sign, unsigned
from tests.tokens import verify_jwt

REDIRECT = "http://127.0.0.1:7201/cb"
SECRET = "par-client-secret-0123456789abcdef"
URN = "urn:ietf:params:oauth:request_uri:"


def add_client(server, client_id: str, **metadata) -> None:
    server.store.create_client(client_id, {
        "redirect_uris": [REDIRECT], "grant_types": ["authorization_code"],
        "response_types": ["code"], "token_endpoint_auth_method": "client_secret_basic",
        "scope": "openid profile email", **metadata,
    }, secret=SECRET, trusted=True)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from tests.conftest import LiveServer

    server = LiveServer(tmp_path_factory.mktemp("par") / "data")
    add_client(server, "par-app", jwks=public_jwks())
    add_client(server, "par-post-app", token_endpoint_auth_method="client_secret_post")
    add_client(server, "par-jwt-app", token_endpoint_auth_method="private_key_jwt",
               jwks=public_jwks())
    add_client(server, "par-spa", token_endpoint_auth_method="none")
    add_client(server, "par-required-app", require_pushed_authorization_requests=True)
    add_client(server, "par-janssen-app", require_par=True, par_lifetime=1)
    add_client(server, "par-long-app", par_lifetime=600)
    yield server
    server.stop()


def request_params(**overrides) -> dict:
    return {"response_type": "code", "redirect_uri": REDIRECT, "scope": "openid email",
            "state": "pushed-state", "nonce": "pushed-nonce", **overrides}


def push(server, client_id: str = "par-app", **overrides):
    return server.post("/par", data={"client_id": client_id, **request_params(**overrides)},
                       headers=basic(client_id, SECRET))


def pushed_uri(server, client_id: str = "par-app", **overrides) -> str:
    response = push(server, client_id, **overrides)
    assert response.status_code == 201, response.text
    return response.json()["request_uri"]


def assertion(server, client_id: str) -> str:
    now = int(time.time())
    token = jc_jwt.JWT(header={"alg": "ES256", "kid": SIGNING_KEYS["ES256"].get("kid")},
                       claims={"iss": client_id, "sub": client_id, "aud": server.issuer + "/par",
                               "iat": now, "exp": now + 60, "jti": str(uuid.uuid4())})
    token.make_signed_token(SIGNING_KEYS["ES256"])
    return token.serialize()


def test_push_answers_201_with_a_urn_request_uri_and_the_default_lifetime(server):
    response = push(server)
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    body = response.json()
    assert body["request_uri"].startswith(URN) and len(body["request_uri"]) > len(URN) + 30
    assert body["expires_in"] == 60


def test_expires_in_is_the_clients_par_lifetime(server):
    response = push(server, "par-long-app")
    assert response.status_code == 201 and response.json()["expires_in"] == 600


def test_pushed_request_then_authorization_signs_in_and_issues_a_code(server):
    browser = Browser(server)
    page = browser.authorize(client_id="par-app", request_uri=pushed_uri(server))
    assert page.status_code == 200 and 'name="password"' in page.text
    back = redirect_params(browser.login(page, "alice", "alice"))
    assert back["state"] == "pushed-state" and back["iss"] == server.issuer
    token = server.post("/token", headers=basic("par-app", SECRET), data={
        "grant_type": "authorization_code", "code": back["code"], "redirect_uri": REDIRECT})
    assert token.status_code == 200, token.text
    claims = verify_jwt(server, token.json()["id_token"])
    assert claims["nonce"] == "pushed-nonce" and claims["email"] == "alice@example.com"


def test_reused_request_uri_is_refused_with_invalid_request_uri(server):
    uri = pushed_uri(server, prompt="none")
    first = redirect_params(Browser(server).authorize(client_id="par-app", request_uri=uri))
    assert first["error"] == "login_required" and first["state"] == "pushed-state"
    again = redirect_params(Browser(server).authorize(client_id="par-app", request_uri=uri))
    assert again["error"] == "invalid_request_uri" and "state" not in again


def test_expired_request_uri_is_refused_with_invalid_request_uri(server):
    response = push(server, "par-janssen-app")
    assert response.json()["expires_in"] == 1
    time.sleep(1.2)
    back = redirect_params(Browser(server).authorize(
        client_id="par-janssen-app", request_uri=response.json()["request_uri"]))
    assert back["error"] == "invalid_request_uri"


def test_request_uri_pushed_by_another_client_is_refused(server):
    uri = pushed_uri(server, "par-app")
    back = redirect_params(Browser(server).authorize(client_id="par-post-app", request_uri=uri))
    assert back["error"] == "invalid_request_uri"


def test_outer_parameters_do_not_change_a_pushed_request(server):
    uri = pushed_uri(server, prompt="none")
    back = redirect_params(Browser(server).authorize(
        client_id="par-app", request_uri=uri, state="outer", prompt="login",
        redirect_uri="http://127.0.0.1:7201/cb"))
    assert back["error"] == "login_required" and back["state"] == "pushed-state"


@pytest.mark.parametrize("client_id", ["par-required-app", "par-janssen-app"],
                         ids=["require_pushed_authorization_requests", "require_par"])
def test_client_that_requires_par_is_refused_a_plain_authorization_request(server, client_id):
    back = redirect_params(Browser(server).authorize(client_id=client_id, **request_params()))
    assert back["error"] == "invalid_request" and back["state"] == "pushed-state"


def test_client_that_requires_par_is_served_through_par(server):
    uri = pushed_uri(server, "par-required-app", prompt="none")
    back = redirect_params(Browser(server).authorize(client_id="par-required-app",
                                                     request_uri=uri))
    assert back["error"] == "login_required"


def test_server_wide_require_par_refuses_plain_requests_and_is_advertised(fresh_server):
    server = fresh_server(require_par=True)
    add_client(server, "any-app")
    document = server.get("/.well-known/openid-configuration").json()
    assert document["require_pushed_authorization_requests"] is True
    plain = redirect_params(Browser(server).authorize(client_id="any-app", **request_params()))
    assert plain["error"] == "invalid_request"
    uri = pushed_uri(server, "any-app", prompt="none")
    pushed = redirect_params(Browser(server).authorize(client_id="any-app", request_uri=uri))
    assert pushed["error"] == "login_required"


def test_discovery_advertises_the_par_endpoint_and_that_par_is_optional(server):
    document = server.get("/.well-known/openid-configuration").json()
    assert document["pushed_authorization_request_endpoint"] == server.issuer + "/par"
    assert document["require_pushed_authorization_requests"] is False


AUTHENTICATIONS = [
    ("client_secret_basic", "par-app", lambda s: ({}, basic("par-app", SECRET))),
    ("client_secret_post", "par-post-app",
     lambda s: ({"client_secret": SECRET}, {})),
    ("private_key_jwt", "par-jwt-app", lambda s: ({
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "client_assertion": assertion(s, "par-jwt-app")}, {})),
    ("none-with-pkce", "par-spa", lambda s: ({"code_challenge": pkce_pair()[1],
                                              "code_challenge_method": "S256"}, {})),
]


@pytest.mark.parametrize(("client_id", "credentials"), [case[1:] for case in AUTHENTICATIONS],
                         ids=[case[0] for case in AUTHENTICATIONS])
def test_client_authenticates_as_at_the_token_endpoint(server, client_id, credentials):
    data, headers = credentials(server)
    response = server.post("/par", data={"client_id": client_id, **request_params(), **data},
                           headers=headers)
    assert response.status_code == 201, response.text


@pytest.mark.parametrize("headers", [basic("par-app", "wrong"), {}], ids=["wrong-secret",
                                                                        "no-credentials"])
def test_push_without_valid_client_authentication_is_invalid_client(server, headers):
    response = server.post("/par", data={"client_id": "par-app", **request_params()},
                           headers=headers)
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"


INVALID_PUSHES = [
    ("unregistered-redirect-uri", {"redirect_uri": "http://evil.example/cb"}, "invalid_request"),
    ("scope-not-allowed", {"scope": "openid api.write"}, "invalid_scope"),
    ("unknown-response-type", {"response_type": "banana"}, "unsupported_response_type"),
    ("unknown-prompt", {"prompt": "sometimes"}, "invalid_request"),
    ("request-uri-pushed", {"request_uri": URN + "abc"}, "invalid_request"),
    ("client-id-of-another-client", {"client_id": "par-post-app"}, "invalid_request"),
    ("query-jwt-with-tokens", {"response_type": "code id_token",
                               "response_mode": "query.jwt"}, "invalid_request"),
]


@pytest.mark.parametrize(("changes", "error"), [case[1:] for case in INVALID_PUSHES],
                         ids=[case[0] for case in INVALID_PUSHES])
def test_invalid_pushed_request_is_refused_as_json(server, changes, error):
    data = {"client_id": "par-app", **request_params(), **changes}
    response = server.post("/par", data=data, headers=basic("par-app", SECRET))
    assert response.status_code == 400, response.text
    assert response.json()["error"] == error
    assert "Location" not in response.headers


def test_public_client_must_push_pkce(server):
    response = server.post("/par", data={"client_id": "par-spa", **request_params()})
    assert response.status_code == 400 and response.json()["error"] == "invalid_request"


def test_pushed_signed_request_object_is_used(server):
    token = sign(request_claims(server, "par-app", REDIRECT, state="from-object",
                                prompt="none"), "PS256")
    response = server.post("/par", data={"client_id": "par-app", "request": token},
                           headers=basic("par-app", SECRET))
    assert response.status_code == 201, response.text
    back = redirect_params(Browser(server).authorize(
        client_id="par-app", request_uri=response.json()["request_uri"]))
    assert back["error"] == "login_required" and back["state"] == "from-object"


def test_pushed_invalid_request_object_is_invalid_request_object(server):
    token = unsigned(request_claims(server, "par-app", REDIRECT))
    response = server.post("/par", data={"client_id": "par-app", "request": token},
                           headers=basic("par-app", SECRET))
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request_object"


def test_par_endpoint_answers_get_with_405(server):
    assert server.get("/par").status_code == 405
