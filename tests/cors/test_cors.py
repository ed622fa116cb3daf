"""CORS only where browsers call the OP directly (SPAs): discovery, JWKS, token, userinfo,
revocation; never on the interactive pages or the health check."""

import pytest

ORIGIN = {"Origin": "http://localhost:5173"}


@pytest.mark.parametrize("path", ["/.well-known/openid-configuration",
                                  "/.well-known/oauth-authorization-server", "/jwks"])
def test_documents_allow_any_origin(live_server, path):
    response = live_server.get(path, headers=ORIGIN)
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("path", ["/token", "/userinfo", "/revoke"])
def test_preflight_of_browser_endpoints_allows_post_and_the_authorization_header(
        live_server, path):
    import requests

    response = requests.options(live_server.url + path, timeout=10, headers={
        **ORIGIN, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "Authorization" in response.headers["Access-Control-Allow-Headers"]


def test_token_errors_are_readable_cross_origin(live_server):
    response = live_server.post("/token", data={"grant_type": "client_credentials"},
                                headers=ORIGIN)
    assert response.status_code == 401
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("path", ["/authorize", "/healthz", "/introspect"])
def test_interactive_and_server_side_endpoints_send_no_cors_headers(live_server, path):
    response = live_server.get(path, headers=ORIGIN)
    assert "Access-Control-Allow-Origin" not in response.headers
