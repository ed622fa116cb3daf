"""RFC 7662 at the real introspection endpoint: who may call it, what an active token's
description says, ``{"active": false}`` for everything else, and RFC 9701's signed JWT
response checked by jwcrypto against /jwks."""

import json
import time
import uuid

import pytest
from jwcrypto import jwe, jwk, jwt

from tests.flows import TEST_SECRET, basic, web_tokens
from tests.tokens import header_of, verify_jwt

JWT_TYPE = "application/token-introspection+jwt"
SECRET = TEST_SECRET


@pytest.fixture
def server(demo_server):
    return demo_server


def machine_token(server, as_jwt: bool = False) -> str:
    if as_jwt:
        metadata = server.store.get_client("demo-machine").metadata
        server.store.update_client("demo-machine",
                                   metadata={**metadata, "access_token_as_jwt": True})
    response = server.post("/token", headers=basic("demo-machine"),
                           data={"grant_type": "client_credentials", "scope": "api.read"})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def introspect(server, token: str, client_id: str = "demo-machine", **extra):
    headers = {**basic(client_id), **extra.pop("headers", {})}
    return server.post("/introspect", data={"token": token, **extra}, headers=headers)


def save_jwt_with_audience(server, client_id: str, aud: list[str], sub: str | None = None) -> str:
    """A JWT access token of ``client_id`` (for user ``sub``) whose ``aud`` also names
    resource servers (as a resource indicator makes one), stored as the token endpoint
    stores tokens."""
    now = int(time.time())
    token = jwt.JWT(header={"alg": "ES256", "typ": "at+jwt"}, claims={
        "iss": server.issuer, "sub": sub or client_id, "aud": aud, "client_id": client_id,
        "exp": now + 300, "iat": now, "jti": str(uuid.uuid4()), "scope": "api.read"})
    token.make_signed_token(jwk.JWK.generate(kty="EC", crv="P-256"))
    raw = token.serialize()
    server.store.save_token(raw, "access", client_id=client_id, scope="api.read", sub=sub,
                            family=str(uuid.uuid4()), expires_at=now + 300)
    return raw


def test_an_active_access_token_of_a_user_is_described(server):
    tokens = web_tokens(server)
    before = int(time.time())
    response = introspect(server, tokens["access_token"], client_id="demo-web")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    body = response.json()
    exp, iat = body.pop("exp"), body.pop("iat")
    assert body == {
        "active": True, "scope": "openid offline_access", "client_id": "demo-web",
        "username": "alice", "token_type": "Bearer",
        "sub": server.store.get_user("alice").sub, "aud": "demo-web", "iss": server.issuer,
    }
    assert iat <= before and exp - iat == tokens["expires_in"]


def test_an_active_refresh_token_has_token_type_refresh_token(server):
    tokens = web_tokens(server)
    body = introspect(server, tokens["refresh_token"], client_id="demo-web").json()
    assert body["active"] is True
    assert body["token_type"] == "refresh_token" and body["username"] == "alice"


def test_a_client_credentials_token_has_the_client_as_subject_and_no_username(server):
    body = introspect(server, machine_token(server)).json()
    assert body["active"] is True and body["sub"] == "demo-machine"
    assert body["client_id"] == "demo-machine" and body["scope"] == "api.read"
    assert "username" not in body


def test_a_jwt_access_token_is_described_with_its_own_jti_sub_exp_and_iat(server):
    token = machine_token(server, as_jwt=True)
    claims = verify_jwt(server, token)
    body = introspect(server, token).json()
    assert body["active"] is True
    assert {key: body[key] for key in ("jti", "sub", "exp", "iat")} == {
        key: claims[key] for key in ("jti", "sub", "exp", "iat")}


def test_an_opaque_access_token_has_no_jti(server):
    assert "jti" not in introspect(server, machine_token(server)).json()


def test_a_pairwise_client_token_carries_the_pairwise_subject(server):
    metadata = server.store.get_client("demo-web").metadata
    server.store.update_client("demo-web", metadata={**metadata, "subject_type": "pairwise"})
    tokens = web_tokens(server)
    id_token_sub = verify_jwt(server, tokens["id_token"])["sub"]
    body = introspect(server, tokens["access_token"], client_id="demo-web").json()
    assert body["sub"] == id_token_sub != server.store.get_user("alice").sub


@pytest.mark.parametrize(("make_token", "owner", "caller"), [
    (lambda server: machine_token(server), "demo-machine", "demo-web"),
    (lambda server: machine_token(server, as_jwt=True), "demo-machine", "demo-web"),
    (lambda server: web_tokens(server)["refresh_token"], "demo-web", "demo-machine"),
], ids=["reference-access-token", "jwt-access-token", "refresh-token"])
def test_another_clients_token_is_active_false_exactly_as_an_unknown_token(
        server, make_token, owner, caller):
    """RFC 7662 §2.2: a token "the protected resource is not allowed to introspect" gets
    "active": false, and nothing tells it apart from a token that does not exist."""
    token = make_token(server)
    assert introspect(server, token, client_id=owner).json()["active"] is True
    refused = introspect(server, token, client_id=caller)
    unknown = introspect(server, "never-issued", client_id=caller)
    assert refused.status_code == unknown.status_code == 200
    assert refused.json() == {"active": False}
    assert refused.content == unknown.content
    assert refused.headers["Content-Type"] == unknown.headers["Content-Type"]


def test_another_clients_token_is_active_false_in_the_jwt_response_too(server):
    response = introspect(server, machine_token(server), client_id="demo-web",
                          headers={"Accept": JWT_TYPE})
    claims = verify_jwt(server, response.text, algs=["RS256"])
    assert claims["token_introspection"] == {"active": False}


def test_a_token_whose_audience_includes_the_caller_is_described_to_it(server):
    token = save_jwt_with_audience(server, "demo-web", ["demo-web", "demo-machine"])
    body = introspect(server, token, client_id="demo-machine").json()
    assert body["active"] is True and body["client_id"] == "demo-web"
    assert body["aud"] == ["demo-web", "demo-machine"]


def test_a_token_revoked_at_the_revocation_endpoint_is_inactive(server):
    token = machine_token(server)
    assert server.post("/revoke", data={"token": token},
                       headers=basic("demo-machine")).status_code == 200
    assert introspect(server, token).json() == {"active": False}


def save_expired_token(server) -> str:
    server.store.save_token("expired-token", "access", client_id="demo-machine", scope="api.read",
                            family="expired-family", expires_at=time.time() - 60)
    return "expired-token"


def save_revoked_token(server) -> str:
    token = machine_token(server)
    server.store.revoke_token(token)
    return token


def save_token_of_disabled_client(server) -> str:
    """demo-machine may introspect it (its audience), but demo-web is disabled."""
    token = save_jwt_with_audience(server, "demo-web", ["demo-web", "demo-machine"])
    server.store.update_client("demo-web", active=False)
    return token


def save_token_of_disabled_user(server) -> str:
    """demo-machine may introspect it (its audience), but alice is disabled."""
    sub = server.store.get_user("alice").sub
    token = save_jwt_with_audience(server, "demo-web", ["demo-web", "demo-machine"], sub=sub)
    server.store.update_user(sub, active=False)
    return token


@pytest.mark.parametrize("make_token", [
    lambda server: "never-issued",
    lambda server: "eyJhbGciOiJub25lIn0.e30.",
    save_expired_token,
    save_revoked_token,
    save_token_of_disabled_client,
    save_token_of_disabled_user,
], ids=["unknown", "unknown-jwt-shaped", "expired", "revoked", "disabled-client",
        "disabled-user"])
def test_an_inactive_token_is_active_false_and_nothing_else(server, make_token):
    response = introspect(server, make_token(server))
    assert response.status_code == 200
    assert response.json() == {"active": False}


@pytest.mark.parametrize("hint", ["access_token", "refresh_token", "id_token"],
                         ids=["right-hint", "wrong-hint", "unknown-hint"])
def test_token_type_hint_is_ignored(server, hint):
    body = introspect(server, machine_token(server), token_type_hint=hint).json()
    assert body["active"] is True and body["token_type"] == "Bearer"


@pytest.mark.parametrize("data", [{}, {"token": ""}], ids=["nothing", "empty-token"])
def test_a_missing_token_is_invalid_request(server, data):
    response = server.post("/introspect", data=data, headers=basic("demo-machine"))
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_request",
                               "error_description": "Missing 'token' parameter."}


def test_a_public_client_cannot_introspect(server):
    token = machine_token(server)
    response = server.post("/introspect", data={"token": token, "client_id": "demo-spa"})
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


@pytest.mark.parametrize(("headers", "data"), [
    (basic("demo-machine", "wrong"), {}),
    (basic("nobody"), {}),
    ({}, {}),
    ({}, {"client_id": "demo-machine"}),
    ({}, {"client_id": "demo-machine", "client_secret": SECRET}),
], ids=["wrong-secret", "unknown-client", "no-credentials", "confidential-as-public",
        "post-for-a-basic-client"])
def test_failed_client_authentication_is_401_invalid_client(server, headers, data):
    response = server.post("/introspect", data={"token": machine_token(server), **data},
                           headers=headers)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_a_client_registered_for_client_secret_post_introspects_with_it(server):
    token = web_tokens(server)["access_token"]
    metadata = server.store.get_client("demo-web").metadata
    server.store.update_client("demo-web", metadata={
        **metadata, "token_endpoint_auth_method": "client_secret_post"})
    response = server.post("/introspect", data={"token": token, "client_id": "demo-web",
                                                 "client_secret": SECRET})
    assert response.status_code == 200 and response.json()["active"] is True


def test_a_client_registered_for_private_key_jwt_introspects_with_an_assertion(server):
    key = jwk.JWK.generate(kty="EC", crv="P-256", kid="rs-key")
    server.store.create_client("resource-server", {
        "grant_types": ["client_credentials"], "response_types": [], "scope": "api.read",
        "token_endpoint_auth_method": "private_key_jwt",
        "jwks": {"keys": [json.loads(key.export_public())]}})
    now = int(time.time())
    assertion = jwt.JWT(header={"alg": "ES256", "kid": "rs-key"}, claims={
        "iss": "resource-server", "sub": "resource-server", "aud": server.issuer + "/introspect",
        "iat": now, "exp": now + 60, "jti": str(uuid.uuid4())})
    assertion.make_signed_token(key)
    response = server.post("/introspect", data={
        "token": save_jwt_with_audience(server, "demo-machine", ["resource-server"]),
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "client_assertion": assertion.serialize()})
    assert response.status_code == 200 and response.json()["active"] is True


def test_the_jwt_response_is_signed_and_wraps_the_json_response(server):
    token = machine_token(server)
    expected = introspect(server, token).json()
    response = introspect(server, token, headers={"Accept": JWT_TYPE})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == JWT_TYPE
    assert response.headers["Cache-Control"] == "no-store"
    header = header_of(response.text)
    assert header["typ"] == "token-introspection+jwt" and header["alg"] == "RS256"
    claims = verify_jwt(server, response.text, algs=["RS256"])
    assert claims["iss"] == server.issuer and claims["aud"] == "demo-machine"
    assert abs(claims["iat"] - time.time()) < 60
    assert claims["token_introspection"] == expected


def test_the_jwt_response_has_no_top_level_sub_or_exp(server):
    response = introspect(server, machine_token(server), headers={"Accept": JWT_TYPE})
    claims = verify_jwt(server, response.text, algs=["RS256"])
    assert "sub" not in claims and "exp" not in claims


def test_the_jwt_response_for_an_inactive_token_says_only_active_false(server):
    response = introspect(server, "never-issued", headers={"Accept": JWT_TYPE})
    claims = verify_jwt(server, response.text, algs=["RS256"])
    assert claims["token_introspection"] == {"active": False}


@pytest.mark.parametrize("accept", [None, "*/*", "application/json",
                                    f"application/json, {JWT_TYPE};q=0.5"],
                         ids=["none", "anything", "json", "json-preferred"])
def test_json_is_the_answer_unless_the_jwt_is_preferred(server, accept):
    headers = {"Accept": accept} if accept else {}
    response = introspect(server, machine_token(server), headers=headers)
    assert response.headers["Content-Type"] == "application/json"
    assert response.json()["active"] is True


def test_errors_stay_json_when_the_jwt_is_asked_for(server):
    response = server.post("/introspect", data={"token": "x"},
                           headers={**basic("demo-machine", "wrong"), "Accept": JWT_TYPE})
    assert response.status_code == 401
    assert response.headers["Content-Type"] == "application/json"
    assert response.json()["error"] == "invalid_client"


def test_introspection_endpoint_refuses_get(live_server):
    response = live_server.get("/introspect")
    assert response.status_code == 405 and response.json()["error"] == "method_not_allowed"


def test_discovery_advertises_the_endpoint_with_the_token_endpoint_methods_but_none(live_server):
    document = live_server.get("/.well-known/openid-configuration").json()
    assert document["introspection_endpoint"] == live_server.issuer + "/introspect"
    assert document["introspection_endpoint_auth_methods_supported"] == [
        method for method in document["token_endpoint_auth_methods_supported"]
        if method != "none"]


def register_resource_server(server, **metadata) -> tuple[str, str]:
    """A confidential client registered at the real registration endpoint."""
    response = server.post("/register", json={
        "grant_types": ["client_credentials"], "scope": "api.read", **metadata})
    assert response.status_code == 201, response.text
    body = response.json()
    return body["client_id"], body["client_secret"]


def own_jwt_response(server, client_id: str, secret: str):
    """The client's own access token, introspected with ``Accept`` asking for the JWT."""
    auth = basic(client_id, secret)
    token = server.post("/token", headers=auth, data={"grant_type": "client_credentials"})
    return server.post("/introspect", data={"token": token.json()["access_token"]},
                       headers={**auth, "Accept": JWT_TYPE})


def test_discovery_advertises_the_jwt_response_algs(live_server):
    """RFC 9701 §7: introspection_signing_alg_values_supported and the encryption pair."""
    document = live_server.get("/.well-known/openid-configuration").json()
    assert "RS256" in document["introspection_signing_alg_values_supported"]
    assert document["introspection_encryption_alg_values_supported"]
    assert document["introspection_encryption_enc_values_supported"]


def test_every_advertised_signing_alg_signs_the_jwt_response_of_a_client_registered_for_it(
        fresh_server):
    """RFC 9701 §6 introspection_signed_response_alg, for each value discovery lists."""
    server = fresh_server()
    document = server.get("/.well-known/openid-configuration").json()
    for alg in document["introspection_signing_alg_values_supported"]:
        client_id, secret = register_resource_server(server,
                                                     introspection_signed_response_alg=alg)
        response = own_jwt_response(server, client_id, secret)
        assert response.headers["Content-Type"] == JWT_TYPE
        assert header_of(response.text)["alg"] == alg
        claims = verify_jwt(server, response.text, algs=[alg])
        assert claims["aud"] == client_id and claims["token_introspection"]["active"] is True


def test_every_advertised_encryption_alg_and_enc_encrypt_the_signed_jwt_response(fresh_server):
    """RFC 9701 §6: "the response will be signed then encrypted, with the result being a
    Nested JWT"; decrypted with jwcrypto, the inner JWT verifies against /jwks."""
    server = fresh_server()
    document = server.get("/.well-known/openid-configuration").json()
    keys = [jwk.JWK.generate(kty="RSA", size=2048, kid="rsa-enc", use="enc"),
            jwk.JWK.generate(kty="EC", crv="P-256", kid="ec-enc", use="enc")]
    jwks = {"keys": [json.loads(key.export_public()) for key in keys]}
    private = jwk.JWKSet()
    for key in keys:
        private.add(key)
    for alg in document["introspection_encryption_alg_values_supported"]:
        for enc in document["introspection_encryption_enc_values_supported"]:
            client_id, secret = register_resource_server(
                server, jwks=jwks, introspection_encrypted_response_alg=alg,
                introspection_encrypted_response_enc=enc)
            response = own_jwt_response(server, client_id, secret)
            assert response.headers["Content-Type"] == JWT_TYPE
            outer = jwe.JWE()
            outer.deserialize(response.text, key=private)
            assert (outer.jose_header["alg"], outer.jose_header["enc"]) == (alg, enc)
            assert outer.jose_header["cty"] == "JWT"
            claims = verify_jwt(server, outer.payload.decode(), algs=["RS256"])
            assert claims["aud"] == client_id


def test_the_encrypted_jwt_response_defaults_to_a128cbc_hs256(fresh_server):
    """RFC 9701 §6 introspection_encrypted_response_enc: "the default for this value is
    A128CBC-HS256"."""
    server = fresh_server()
    key = jwk.JWK.generate(kty="RSA", size=2048, kid="rsa-enc", use="enc")
    client_id, secret = register_resource_server(
        server, jwks={"keys": [json.loads(key.export_public())]},
        introspection_encrypted_response_alg="RSA-OAEP-256")
    outer = jwe.JWE()
    outer.deserialize(own_jwt_response(server, client_id, secret).text, key=key)
    assert outer.jose_header["enc"] == "A128CBC-HS256"
