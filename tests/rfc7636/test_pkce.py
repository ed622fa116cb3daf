"""RFC 7636 at the real endpoints: S256 and plain verified, a mismatch is invalid_grant."""

import pytest

from tests.flows import SPA_REDIRECT, Browser, pkce_pair, redirect_params, spa_request


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


def test_plain_verifier_is_accepted(fresh_server):
    server = fresh_server()
    verifier = pkce_pair()[0]
    params, _ = spa_request(code_challenge=verifier, code_challenge_method="plain")
    assert redeem(server, code_for(server, **params), verifier).status_code == 200


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
