"""RFC 9068 JWT access tokens, per client (the seed's ``access_token_as_jwt``), verified by
jwcrypto; reference tokens otherwise."""

import base64

import pytest

from tests.tokens import header_of, verify_jwt

SECRET = "jwt-secret"


@pytest.fixture
def server(fresh_server):
    server = fresh_server()
    server.store.save_client_secret("demo-machine", SECRET)
    return server


def client_token(server) -> dict:
    auth = base64.b64encode(f"demo-machine:{SECRET}".encode()).decode()
    response = server.post("/token", data={"grant_type": "client_credentials"},
                           headers={"Authorization": f"Basic {auth}"})
    assert response.status_code == 200
    return response.json()


def use_jwt(server, **extra):
    metadata = server.store.get_client("demo-machine").metadata
    server.store.update_client("demo-machine",
                               metadata={**metadata, "access_token_as_jwt": True, **extra})


def test_reference_tokens_are_opaque_by_default(server):
    assert client_token(server)["access_token"].count(".") == 0


def test_jwt_access_token_has_typ_at_jwt_and_the_rfc9068_claims(server):
    use_jwt(server)
    token = client_token(server)["access_token"]
    assert header_of(token)["typ"] == "at+jwt"
    claims = verify_jwt(server, token, algs=["RS256"])
    assert claims["iss"] == server.issuer and claims["client_id"] == "demo-machine"
    assert claims["sub"] == "demo-machine" and claims["aud"] == "demo-machine"
    assert claims["scope"] == "api.read api.write"
    assert claims["exp"] - claims["iat"] == 3600 and claims["jti"]


def test_jwt_access_token_uses_the_clients_signing_alg(server):
    use_jwt(server, access_token_signing_alg="ES256")
    token = client_token(server)["access_token"]
    assert header_of(token)["alg"] == "ES256"
    verify_jwt(server, token, algs=["ES256"])
