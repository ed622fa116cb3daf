"""RFC 7636 at the real endpoints: S256 and plain verified, a mismatch is invalid_grant;
RFC 9700 §2.1.1: plain only for a client that registered ``code_challenge_method`` plain."""

import pytest

from tests.flows import (
    SPA_REDIRECT,
    WEB_REDIRECT,
    Browser,
    pkce_pair,
    redirect_params,
    spa_request,
)

MUST_USE_S256 = "'code_challenge_method': this client must use S256."


def code_for(server, **params) -> str:
    return redirect_params(Browser(server).sign_in_and_allow(**params))["code"]


def redeem(server, code, verifier=None):
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": SPA_REDIRECT,
            "client_id": "demo-spa"}
    if verifier is not None:
        data["code_verifier"] = verifier
    return server.post("/token", data=data)


def test_s256_verifier_is_accepted(fresh_server):
    server = fresh_server()
    params, verifier = spa_request()
    assert redeem(server, code_for(server, **params), verifier).status_code == 200


def register_method(server, client_id: str, method: str) -> None:
    metadata = server.store.get_client(client_id).metadata
    server.store.update_client(client_id, metadata={**metadata, "code_challenge_method": method})


def test_plain_verifier_is_accepted_for_a_client_registered_for_plain(fresh_server):
    server = fresh_server()
    register_method(server, "demo-spa", "plain")
    verifier = pkce_pair()[0]
    params, _ = spa_request(code_challenge=verifier, code_challenge_method="plain")
    assert redeem(server, code_for(server, **params), verifier).status_code == 200


def test_s256_stays_accepted_for_a_client_registered_for_plain(fresh_server):
    server = fresh_server()
    register_method(server, "demo-spa", "plain")
    params, verifier = spa_request()
    assert redeem(server, code_for(server, **params), verifier).status_code == 200


@pytest.mark.parametrize(("method", "description"), [
    ("plain", "Invalid " + MUST_USE_S256),
    (None, "Missing " + MUST_USE_S256),
], ids=["plain", "no-method-means-plain"])
def test_plain_is_invalid_request_for_a_public_client_that_did_not_register_it(
        fresh_server, method, description):
    """RFC 7636 §4.4.1: an unsupported transformation is "invalid_request" at the
    authorization endpoint; §4.3: a missing method "Defaults to "plain"". Redirected, since
    the client and its redirect_uri are verified."""
    server = fresh_server()
    verifier = pkce_pair()[0]
    params, _ = spa_request(code_challenge=verifier, code_challenge_method=method)
    params = {key: value for key, value in params.items() if value is not None}
    error = redirect_params(Browser(server).authorize(**params))
    assert error["error"] == "invalid_request" and error["error_description"] == description
    assert error["state"] == params["state"] and "code" not in error


def test_plain_is_invalid_request_for_a_confidential_client_that_did_not_register_it(
        demo_server):
    verifier = pkce_pair()[0]
    error = redirect_params(Browser(demo_server).authorize(
        client_id="demo-web", response_type="code", scope="openid", redirect_uri=WEB_REDIRECT,
        state="st", code_challenge=verifier, code_challenge_method="plain"))
    assert error["error"] == "invalid_request"
    assert error["error_description"] == "Invalid " + MUST_USE_S256


@pytest.mark.parametrize("method", ["S256", "plain"])
def test_code_challenge_method_is_client_metadata_accepted_at_registration(live_server, method):
    response = live_server.post("/register", json={
        "redirect_uris": ["http://127.0.0.1/cb"], "token_endpoint_auth_method": "none",
        "application_type": "native", "code_challenge_method": method})
    assert response.status_code == 201 and response.json()["code_challenge_method"] == method


@pytest.mark.parametrize("method", ["s256", "S512", "none", 256],
                         ids=["lower-case", "unknown", "none", "not-a-string"])
def test_another_code_challenge_method_is_invalid_client_metadata(live_server, method):
    response = live_server.post("/register", json={
        "redirect_uris": ["http://127.0.0.1/cb"], "code_challenge_method": method})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_client_metadata"
    assert "'code_challenge_method'" in response.json()["error_description"]


def test_a_client_registered_for_plain_at_registration_redeems_a_plain_code(live_server):
    client_id = live_server.post("/register", json={
        "redirect_uris": ["http://127.0.0.1/cb"], "token_endpoint_auth_method": "none",
        "application_type": "native", "code_challenge_method": "plain"}).json()["client_id"]
    verifier = pkce_pair()[0]
    code = code_for(live_server, client_id=client_id, response_type="code", scope="openid",
                    redirect_uri="http://127.0.0.1/cb", state="st", code_challenge=verifier,
                    code_challenge_method="plain")
    response = live_server.post("/token", data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": "http://127.0.0.1/cb",
        "client_id": client_id, "code_verifier": verifier})
    assert response.status_code == 200, response.text


def test_discovery_keeps_both_methods_since_plain_is_per_client(live_server):
    document = live_server.get("/.well-known/openid-configuration").json()
    assert document["code_challenge_methods_supported"] == ["S256", "plain"]


@pytest.mark.parametrize("verifier", [pkce_pair()[0], "x" * 43], ids=["other-verifier", "short"])
def test_verifier_mismatch_is_invalid_grant(fresh_server, verifier):
    server = fresh_server()
    params, _ = spa_request()
    response = redeem(server, code_for(server, **params), verifier)
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_missing_verifier_is_invalid_request(fresh_server):
    server = fresh_server()
    params, _ = spa_request()
    response = redeem(server, code_for(server, **params))
    assert response.json()["error"] == "invalid_request"
