"""RFC 7009 at the real revocation endpoint: what is revoked (a refresh token takes its whole
grant along), what is quietly left alone (§2.2) and the exact errors (§2.2.1, RFC 6749 §5.2)."""

import json
import time
import uuid

import pytest
from jwcrypto import jwk, jwt

from tests.flows import (
    SPA_REDIRECT,
    TEST_SECRET,
    WEB_REDIRECT,
    Browser,
    basic,
    redirect_params,
    spa_request,
    web_tokens,
)

SECRET = TEST_SECRET


@pytest.fixture
def server(demo_server):
    return demo_server


def spa_tokens(server) -> dict:
    """alice's tokens for the public client demo-spa (code flow with PKCE)."""
    params, verifier = spa_request(scope="openid")
    code = redirect_params(Browser(server).sign_in_and_allow(**params))["code"]
    response = server.post("/token", data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": SPA_REDIRECT,
        "client_id": "demo-spa", "code_verifier": verifier})
    assert response.status_code == 200, response.text
    return response.json()


def revoke(server, token: str, client_id: str = "demo-web", **extra):
    return server.post("/revoke", data={"token": token, **extra}, headers=basic(client_id))


def userinfo_status(server, access_token: str) -> int:
    return server.get("/userinfo", headers={"Authorization": f"Bearer {access_token}"}).status_code


def refresh(server, refresh_token: str):
    return server.post("/token", headers=basic("demo-web"),
                       data={"grant_type": "refresh_token", "refresh_token": refresh_token})


def test_revoking_an_access_token_answers_200_and_userinfo_then_refuses_it(server):
    tokens = web_tokens(server)
    assert userinfo_status(server, tokens["access_token"]) == 200
    response = revoke(server, tokens["access_token"])
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert userinfo_status(server, tokens["access_token"]) == 401


def test_a_revoked_access_token_is_inactive_at_introspection(server):
    tokens = web_tokens(server)
    revoke(server, tokens["access_token"])
    response = server.post("/introspect", data={"token": tokens["access_token"]},
                           headers=basic("demo-machine"))
    assert response.status_code == 200
    assert response.json() == {"active": False}


def test_revoking_an_access_token_leaves_its_refresh_token_usable(server):
    tokens = web_tokens(server)
    revoke(server, tokens["access_token"])
    assert refresh(server, tokens["refresh_token"]).status_code == 200


def test_revoking_a_refresh_token_revokes_the_access_tokens_of_its_grant(server):
    tokens = web_tokens(server)
    response = revoke(server, tokens["refresh_token"], token_type_hint="refresh_token")
    assert response.status_code == 200
    assert userinfo_status(server, tokens["access_token"]) == 401
    again = refresh(server, tokens["refresh_token"])
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


def test_revoking_a_rotated_refresh_token_revokes_the_tokens_refreshed_from_it(server):
    tokens = web_tokens(server)
    newer = refresh(server, tokens["refresh_token"]).json()
    revoke(server, newer["refresh_token"])
    assert userinfo_status(server, newer["access_token"]) == 401


def test_revoking_one_grant_leaves_another_grant_of_the_same_client_alone(server):
    first, second = web_tokens(server), web_tokens(server)
    revoke(server, first["refresh_token"])
    assert userinfo_status(server, second["access_token"]) == 200


@pytest.mark.parametrize("hint", [None, "access_token", "refresh_token"],
                         ids=["no-hint", "right-hint", "wrong-hint"])
def test_token_type_hint_is_only_a_hint(server, hint):
    tokens = web_tokens(server)
    extra = {"token_type_hint": hint} if hint else {}
    assert revoke(server, tokens["access_token"], **extra).status_code == 200
    assert userinfo_status(server, tokens["access_token"]) == 401


@pytest.mark.parametrize("token", ["never-issued", "eyJhbGciOiJub25lIn0.e30."],
                         ids=["opaque", "jwt-shaped"])
def test_an_unknown_token_answers_200(server, token):
    response = revoke(server, token)
    assert response.status_code == 200


def test_revoking_a_token_twice_answers_200_both_times(server):
    tokens = web_tokens(server)
    assert revoke(server, tokens["access_token"]).status_code == 200
    assert revoke(server, tokens["access_token"]).status_code == 200


def test_an_expired_token_answers_200(server):
    server.store.save_token("expired-token", "access", client_id="demo-web", scope="openid",
                            family="expired-family", expires_at=time.time() - 60)
    assert revoke(server, "expired-token").status_code == 200


def test_a_token_of_another_client_is_refused_with_invalid_grant_and_not_revoked(server):
    tokens = spa_tokens(server)
    response = revoke(server, tokens["refresh_token"], client_id="demo-web")
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"
    assert userinfo_status(server, tokens["access_token"]) == 200


def test_a_public_client_revokes_its_own_token_with_its_client_id(server):
    tokens = spa_tokens(server)
    response = server.post("/revoke", data={"token": tokens["refresh_token"],
                                            "client_id": "demo-spa"})
    assert response.status_code == 200
    assert userinfo_status(server, tokens["access_token"]) == 401


def test_a_client_registered_for_client_secret_post_revokes_with_it(server):
    metadata = {**server.store.get_client("demo-web").metadata,
                "token_endpoint_auth_method": "client_secret_post"}
    server.store.update_client("demo-web", metadata=metadata)
    params = {"client_id": "demo-web", "response_type": "code", "scope": "openid",
              "redirect_uri": WEB_REDIRECT, "state": "st", "nonce": "n"}
    code = redirect_params(Browser(server).sign_in_and_allow(**params))["code"]
    credentials = {"client_id": "demo-web", "client_secret": SECRET}
    tokens = server.post("/token", data={"grant_type": "authorization_code", "code": code,
                                         "redirect_uri": WEB_REDIRECT, **credentials}).json()
    response = server.post("/revoke", data={"token": tokens["access_token"], **credentials})
    assert response.status_code == 200
    assert userinfo_status(server, tokens["access_token"]) == 401


def test_a_client_registered_for_private_key_jwt_revokes_with_an_assertion(server):
    key = jwk.JWK.generate(kty="EC", crv="P-256", kid="app-key")
    metadata = server.store.get_client("demo-machine").metadata
    server.store.update_client("demo-machine", metadata={
        **metadata, "token_endpoint_auth_method": "private_key_jwt",
        "jwks": {"keys": [json.loads(key.export_public())]}})
    server.store.save_token("machine-token", "access", client_id="demo-machine",
                            scope="api.read", family="machine-family",
                            expires_at=time.time() + 600)
    now = int(time.time())
    assertion = jwt.JWT(header={"alg": "ES256", "kid": "app-key"}, claims={
        "iss": "demo-machine", "sub": "demo-machine", "aud": server.issuer + "/revoke",
        "iat": now, "exp": now + 60, "jti": str(uuid.uuid4())})
    assertion.make_signed_token(key)
    response = server.post("/revoke", data={
        "token": "machine-token",
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "client_assertion": assertion.serialize()})
    assert response.status_code == 200
    assert server.store.get_token("machine-token").revoked_at is not None


def test_an_unsupported_token_type_hint_is_unsupported_token_type(server):
    tokens = web_tokens(server)
    response = revoke(server, tokens["access_token"], token_type_hint="id_token")
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_token_type"
    assert userinfo_status(server, tokens["access_token"]) == 200


@pytest.mark.parametrize("data", [{}, {"token": ""}, {"token_type_hint": "access_token"}],
                         ids=["nothing", "empty-token", "hint-only"])
def test_a_missing_token_is_invalid_request(server, data):
    response = server.post("/revoke", data=data, headers=basic("demo-web"))
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_request"
    assert body["error_description"] == "Missing 'token' parameter."


@pytest.mark.parametrize(("headers", "data"), [
    (basic("demo-web", "wrong"), {}),
    (basic("nobody"), {}),
    ({}, {}),
    ({}, {"client_id": "demo-web"}),
    ({}, {"client_id": "demo-web", "client_secret": SECRET}),
    ({}, {"client_id": "nobody"}),
], ids=["wrong-secret", "unknown-client-basic", "no-credentials", "confidential-as-public",
        "post-for-a-basic-client", "unknown-client-id"])
def test_failed_client_authentication_is_401_invalid_client(server, headers, data):
    tokens = web_tokens(server)
    response = server.post("/revoke", data={"token": tokens["access_token"], **data},
                           headers=headers)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert userinfo_status(server, tokens["access_token"]) == 200


def test_wrong_basic_credentials_get_a_basic_challenge(server):
    response = server.post("/revoke", data={"token": "x"}, headers=basic("demo-web", "wrong"))
    assert response.headers["WWW-Authenticate"].startswith("Basic ")


def test_revocation_is_audited_without_the_token(server):
    tokens = web_tokens(server)
    revoke(server, tokens["refresh_token"])
    events = server.store.find_events(event="token.revoked")
    assert [e.fields["kind"] for e in events] == ["refresh"]
    assert events[0].fields["count"] == 2
    assert tokens["refresh_token"] not in str(events[0].fields)


def test_revocation_endpoint_refuses_get(live_server):
    response = live_server.get("/revoke")
    assert response.status_code == 405 and response.json()["error"] == "method_not_allowed"


def test_discovery_advertises_the_endpoint_with_the_token_endpoint_auth_methods(live_server):
    document = live_server.get("/.well-known/openid-configuration").json()
    assert document["revocation_endpoint"] == live_server.issuer + "/revoke"
    assert (document["revocation_endpoint_auth_methods_supported"]
            == document["token_endpoint_auth_methods_supported"])
