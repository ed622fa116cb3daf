"""OpenID Connect Core §9 client authentication at the real token endpoint: every method
succeeds, and fails with invalid_client when wrong (RFC 6749 §5.2, RFC 7523 §3)."""

import json
import time
import uuid

import pytest
from jwcrypto import jwk as jc_jwk
from jwcrypto import jwt as jc_jwt

from tests.request_objects import DocumentHost

SECRET = "a-long-enough-client-secret-for-hs256-0123456789"
CLIENT_KEY = jc_jwk.JWK.generate(kty="EC", crv="P-256", kid="client-key-1")
OTHER_KEY = jc_jwk.JWK.generate(kty="EC", crv="P-256", kid="client-key-1")


def assertion(server, client_id, key, alg, **overrides) -> str:
    now = int(time.time())
    claims = {"iss": client_id, "sub": client_id, "aud": server.issuer + "/token",
              "iat": now, "exp": now + 60, "jti": str(uuid.uuid4()), **overrides}
    header = {"alg": alg, **({"kid": key.get("kid")} if key.get("kid") else {})}
    token = jc_jwt.JWT(header=header, claims=claims)
    token.make_signed_token(key)
    return token.serialize()


def client_credentials(server, **data):
    return server.post("/token", data={"grant_type": "client_credentials", **data})


def jwt_auth(token: str) -> dict:
    return {"client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": token}


def add_client(server, client_id: str, method: str, **metadata):
    server.store.create_client(client_id, {
        "grant_types": ["client_credentials"], "response_types": [], "scope": "api.read",
        "token_endpoint_auth_method": method, **metadata}, secret=SECRET)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from tests.conftest import LiveServer

    server = LiveServer(tmp_path_factory.mktemp("auth") / "data")
    add_client(server, "basic-app", "client_secret_basic")
    add_client(server, "post-app", "client_secret_post")
    add_client(server, "hmac-app", "client_secret_jwt")
    add_client(server, "pkjwt-app", "private_key_jwt",
               jwks={"keys": [json.loads(CLIENT_KEY.export_public())]})
    yield server
    server.stop()


@pytest.fixture(scope="module")
def jwks_host():
    """A client's jwks_uri on loopback."""
    host = DocumentHost()
    body = json.dumps({"keys": [json.loads(CLIENT_KEY.export_public())]})
    yield host.put("/jwks.json", body, content_type="application/json")
    host.stop()


def test_client_secret_basic_succeeds(server):
    assert client_credentials(server, scope="api.read").status_code == 401
    response = server.post("/token", data={"grant_type": "client_credentials"},
                           auth=("basic-app", SECRET))
    assert response.status_code == 200


def test_client_secret_post_succeeds_and_fails_with_a_wrong_secret(server):
    assert client_credentials(server, client_id="post-app", client_secret=SECRET).status_code == 200
    wrong = client_credentials(server, client_id="post-app", client_secret="nope")
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"


def test_client_secret_jwt_succeeds(server):
    key = jc_jwk.JWK(kty="oct", k=jc_jwk.base64url_encode(SECRET.encode()))
    token = assertion(server, "hmac-app", key, "HS256")
    assert client_credentials(server, **jwt_auth(token)).status_code == 200


def test_client_secret_jwt_signed_with_a_wrong_secret_is_invalid_client(server):
    key = jc_jwk.JWK(kty="oct", k=jc_jwk.base64url_encode(b"x" * 48))
    response = client_credentials(server, **jwt_auth(assertion(server, "hmac-app", key, "HS256")))
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"


@pytest.mark.parametrize("alg", ["HS256", "HS384", "HS512"])
def test_a_registered_clients_secret_is_long_enough_for_every_advertised_hmac_alg(server, alg):
    """RFC 7518 §3.2: "A key of the same size as the hash output [...] or larger MUST be
    used"; jwcrypto refuses to sign HS512 with a shorter secret."""
    document = server.get("/.well-known/openid-configuration").json()
    assert alg in document["token_endpoint_auth_signing_alg_values_supported"]
    registered = server.post("/register", json={
        "grant_types": ["client_credentials"], "token_endpoint_auth_method": "client_secret_jwt",
        "token_endpoint_auth_signing_alg": alg, "scope": "api.read"}).json()
    secret = registered["client_secret"]
    key = jc_jwk.JWK(kty="oct", k=jc_jwk.base64url_encode(secret.encode()))
    token = assertion(server, registered["client_id"], key, alg)
    response = client_credentials(server, **jwt_auth(token))
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("audience", ["token-endpoint", "issuer"])
def test_private_key_jwt_accepts_the_token_endpoint_or_the_issuer_as_audience(server, audience):
    aud = server.issuer + "/token" if audience == "token-endpoint" else server.issuer
    token = assertion(server, "pkjwt-app", CLIENT_KEY, "ES256", aud=aud)
    assert client_credentials(server, **jwt_auth(token)).status_code == 200


@pytest.mark.parametrize(("overrides", "key"), [
    ({}, OTHER_KEY),
    ({"aud": "http://elsewhere.example/token"}, CLIENT_KEY),
    ({"exp": int(time.time()) - 3600}, CLIENT_KEY),
    ({"iss": "someone-else"}, CLIENT_KEY),
    ({"exp": int(time.time()) + 86400}, CLIENT_KEY),
], ids=["wrong-key", "wrong-audience", "expired", "iss-not-sub", "exp-too-far"])
def test_private_key_jwt_with_a_bad_assertion_is_invalid_client(server, overrides, key):
    token = assertion(server, "pkjwt-app", key, "ES256", **overrides)
    response = client_credentials(server, **jwt_auth(token))
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"


def test_a_replayed_assertion_jti_is_invalid_client(server):
    token = assertion(server, "pkjwt-app", CLIENT_KEY, "ES256")
    assert client_credentials(server, **jwt_auth(token)).status_code == 200
    again = client_credentials(server, **jwt_auth(token))
    assert again.status_code == 401 and "used before" in again.json()["error_description"]


def test_private_key_jwt_with_keys_from_a_loopback_jwks_uri(server, jwks_host):
    add_client(server, "uri-app", "private_key_jwt", jwks_uri=jwks_host)
    token = assertion(server, "uri-app", CLIENT_KEY, "ES256")
    assert client_credentials(server, **jwt_auth(token)).status_code == 200


def test_jwks_uri_on_a_host_not_allowed_is_not_fetched(server):
    add_client(server, "far-app", "private_key_jwt", jwks_uri="https://keys.example.net/jwks")
    response = client_credentials(server, **jwt_auth(assertion(server, "far-app", CLIENT_KEY,
                                                                "ES256")))
    assert response.status_code == 401
    assert response.json()["error_description"] == "The client's 'jwks_uri' cannot be fetched."


def test_secret_auth_for_a_private_key_jwt_client_is_invalid_client(server):
    response = server.post("/token", data={"grant_type": "client_credentials"},
                           auth=("pkjwt-app", SECRET))
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"


def test_garbage_assertion_is_invalid_client_not_a_server_error(server):
    response = client_credentials(server, **jwt_auth("not-a-jwt"))
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"


def test_public_client_authenticates_with_none_only_by_client_id(live_server):
    response = live_server.post("/token", data={"grant_type": "refresh_token",
                                                "refresh_token": "unknown",
                                                "client_id": "demo-spa"})
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"
