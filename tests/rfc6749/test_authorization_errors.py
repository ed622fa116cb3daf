"""RFC 6749 §4.1.2.1 and RFC 8252 at the real authorization endpoint: which errors are shown
on a page (client or redirect_uri not trusted) and which are redirected, with state and iss."""

import pytest

from tests.flows import SPA_REDIRECT, Browser, redirect_params, spa_request


def test_unknown_client_gets_an_error_page_that_names_what_was_sent(live_server):
    params, _ = spa_request(client_id="no-such-app")
    page = Browser(live_server).authorize(**params)
    assert page.status_code == 400 and "Location" not in page.headers
    assert "invalid_client" in page.text and "no-such-app" in page.text
    assert "no client has this client_id" in page.text


def test_unregistered_redirect_uri_gets_an_error_page_listing_the_registered_ones(live_server):
    params, _ = spa_request(redirect_uri="http://evil.example/callback")
    page = Browser(live_server).authorize(**params)
    assert page.status_code == 400 and "Location" not in page.headers
    assert "http://evil.example/callback" in page.text
    assert "http://127.0.0.1/callback" in page.text


def test_missing_client_id_gets_an_error_page(live_server):
    page = Browser(live_server).authorize(response_type="code")
    assert page.status_code == 400 and "invalid_client" in page.text


def test_duplicated_parameter_gets_an_error_page(live_server):
    response = Browser(live_server).http.get(
        live_server.url + "/authorize?client_id=demo-spa&client_id=demo-web",
        allow_redirects=False, timeout=10)
    assert response.status_code == 400 and "invalid_request" in response.text


@pytest.mark.parametrize("port", ["8765", "1", "65000"], ids=["port-8765", "port-1", "port-65000"])
def test_loopback_redirect_matches_on_any_port(live_server, port):
    params, _ = spa_request(redirect_uri=f"http://127.0.0.1:{port}/callback", prompt="none")
    back = redirect_params(Browser(live_server).authorize(**params))
    assert back["error"] == "login_required"  # redirected: the URI was accepted


def test_ipv6_loopback_redirect_matches_on_any_port(live_server):
    params, _ = spa_request(redirect_uri="http://[::1]:4000/callback", prompt="none")
    response = Browser(live_server).authorize(**params)
    assert response.headers["Location"].startswith("http://[::1]:4000/callback?")


@pytest.mark.parametrize("uri", ["http://127.0.0.1:8765/other", "https://127.0.0.1/callback",
                                 "http://localhost:8765/callback"],
                         ids=["other-path", "https", "localhost-name"])
def test_loopback_rule_keeps_scheme_host_and_path_exact(live_server, uri):
    page = Browser(live_server).authorize(**spa_request(redirect_uri=uri)[0])
    assert page.status_code == 400 and "Location" not in page.headers


def test_redirect_uris_regex_admits_matching_uris(fresh_server):
    server = fresh_server()
    metadata = {**server.store.get_client("demo-spa").metadata,
                "redirect_uris_regex": r"https://app\.example/cb/[a-z]+"}
    server.store.update_client("demo-spa", metadata=metadata)
    params, _ = spa_request(redirect_uri="https://app.example/cb/abc", prompt="none")
    assert Browser(server).authorize(**params).headers["Location"].startswith(
        "https://app.example/cb/abc?")


@pytest.mark.parametrize(("change", "error"), [
    ({"response_type": "banana"}, "unsupported_response_type"),
    ({"scope": "openid api.admin"}, "invalid_scope"),
    ({"code_challenge": "", "code_challenge_method": ""}, "invalid_request"),
    ({"code_challenge_method": "S512"}, "invalid_request"),
    ({"prompt": "none login"}, "invalid_request"),
    ({"prompt": "sometimes"}, "invalid_request"),
    ({"response_mode": "carrier_pigeon"}, "invalid_request"),
    ({"max_age": "soon"}, "invalid_request"),
], ids=["unknown-response-type", "scope-not-allowed",
        "public-client-without-pkce", "unknown-pkce-method", "prompt-none-combined",
        "unknown-prompt", "unknown-response-mode", "bad-max-age"])
def test_errors_after_the_redirect_uri_is_verified_are_redirected(live_server, change, error):
    params, _ = spa_request(**change)
    params = {k: v for k, v in params.items() if v != ""}
    back = redirect_params(Browser(live_server).authorize(**params))
    assert back["error"] == error
    assert back["state"] == params["state"] and back["iss"] == live_server.issuer


def test_response_type_the_client_did_not_register_is_unauthorized_client(fresh_server):
    server = fresh_server()
    metadata = {**server.store.get_client("demo-spa").metadata, "response_types": ["none"]}
    server.store.update_client("demo-spa", metadata=metadata)
    params, _ = spa_request()
    back = redirect_params(Browser(server).authorize(**params))
    assert back["error"] == "unauthorized_client" and back["state"] == params["state"]


def test_openid_request_without_redirect_uri_is_refused(live_server):
    params, _ = spa_request()
    del params["redirect_uri"]
    response = Browser(live_server).authorize(**params)
    assert response.status_code in (302, 400)
    assert "invalid_request" in (response.headers.get("Location", "") + response.text)


def test_error_redirect_keeps_the_redirect_uri_query(fresh_server):
    server = fresh_server()
    metadata = {**server.store.get_client("demo-spa").metadata,
                "redirect_uris": ["http://127.0.0.1/callback?app=1"]}
    server.store.update_client("demo-spa", metadata=metadata)
    params, _ = spa_request(redirect_uri="http://127.0.0.1:9/callback?app=1", prompt="none")
    location = Browser(server).authorize(**params).headers["Location"]
    assert location.startswith("http://127.0.0.1:9/callback?app=1&error=login_required")


def test_spa_redirect_constant_is_a_loopback_uri():
    assert SPA_REDIRECT.startswith("http://127.0.0.1:")
