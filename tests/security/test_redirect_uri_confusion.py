"""Redirect URIs are read one way everywhere (app/oauth/redirect_uri.py): a URI that a browser
could read with another host than ours (backslash, userinfo, whitespace, percent-encoding in
the host) is refused at registration, the admin API, import, /authorize, /par and logout, and
responses go to the normalised URI. RFC 6749 §3.1.2, RFC 8252 §7.3, RFC 9700 §4.1."""

from __future__ import annotations

import pytest

from tests.admin.conftest import AdminApi
from tests.flows import (
    SPA_REDIRECT,
    Browser,
    basic,
    form_action,
    redirect_params,
    spa_request,
)

#: Hostile variants of demo-spa's loopback redirect URI http://127.0.0.1/callback.
CONFUSING = {
    "backslash-userinfo": "http://evil.test\\@127.0.0.1:80/callback",
    "userinfo": "http://evil.test@127.0.0.1/callback",
    "percent-encoded-host": "http://127.0.0.1%2F@evil.test/callback",
    "percent-encoded-dot": "http://127%2E0.0.1/callback",
    "backslash-path": "http://127.0.0.1:8765\\@evil.test/callback",
    "tab-in-host": "http://127.0.0.1\t.evil.test/callback",
    "leading-space": " http://127.0.0.1/callback",
    "newline": "http://127.0.0.1/callback\n",
    "no-slashes": "http:127.0.0.1/callback",
    "non-ascii-host": "http://127.0.0.1\u3002evil.test/callback",
    "bad-percent": "http://127.0.0.1/callback%zz",
}
CASES = list(CONFUSING.values())
IDS = list(CONFUSING)


@pytest.mark.parametrize("uri", CASES, ids=IDS)
def test_authorize_shows_an_error_page_for_a_confusing_redirect_uri(live_server, uri):
    params, _ = spa_request(redirect_uri=uri, response_mode="form_post")
    response = Browser(live_server).authorize(**params)
    assert response.status_code == 400
    assert "invalid_request" in response.text
    assert 'name="password"' not in response.text


def test_a_confusing_redirect_uri_never_reaches_a_form_post_after_sign_in(demo_server):
    """The attack of the review: alice signs in, the code is posted to evil.test."""
    browser = Browser(demo_server)
    params, _ = spa_request(redirect_uri=CONFUSING["backslash-userinfo"],
                            response_mode="form_post")
    page = browser.sign_in_and_allow(**params)
    assert page.status_code == 400
    assert "evil.test" not in form_actions(page.text)
    assert 'name="code"' not in page.text


def form_actions(html: str) -> str:
    try:
        return form_action(html, "")
    except AssertionError:
        return ""


@pytest.mark.parametrize("uri", CASES, ids=IDS)
def test_registration_refuses_a_confusing_redirect_uri(live_server, uri):
    response = live_server.post("/register", json={"redirect_uris": [uri],
                                                    "application_type": "native"})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_redirect_uri"


@pytest.mark.parametrize("uri", CASES, ids=IDS)
def test_registration_refuses_a_confusing_post_logout_redirect_uri(live_server, uri):
    response = live_server.post("/register", json={
        "redirect_uris": ["http://127.0.0.1/callback"], "post_logout_redirect_uris": [uri]})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_client_metadata"
    assert "post_logout_redirect_uris" in response.json()["error_description"]


def test_the_admin_api_refuses_a_confusing_redirect_uri(fresh_server):
    server = fresh_server()
    api = AdminApi(server, server.app.admin_launch_token)
    response = api.post("/clients", json={"client_id": "evil", "metadata": {
        "redirect_uris": [CONFUSING["backslash-userinfo"]]}})
    assert response.status_code == 400
    assert "redirect_uris" in response.text


def test_import_refuses_a_confusing_redirect_uri(fresh_server):
    server = fresh_server()
    api = AdminApi(server, server.app.admin_launch_token)
    exported = api.get("/export").json()
    client = next(c for c in exported["clients"] if c["client_id"] == "demo-spa")
    client["metadata"]["redirect_uris"] = [CONFUSING["userinfo"]]
    response = api.post("/import?mode=merge", json=exported)
    assert response.status_code == 400
    assert "redirect_uris" in response.text
    assert server.store.get_client("demo-spa").metadata["redirect_uris"] != [
        CONFUSING["userinfo"]]


@pytest.mark.parametrize("uri", CASES, ids=IDS)
def test_par_refuses_a_confusing_redirect_uri(demo_server, uri):
    response = demo_server.post("/par", headers=basic("demo-web"), data={
        "client_id": "demo-web", "response_type": "code", "scope": "openid",
        "redirect_uri": uri.replace("127.0.0.1", "localhost")})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_a_stored_confusing_post_logout_uri_is_never_redirected_to(fresh_server):
    """Data written before the fix: the URI is registered, but logout still refuses it."""
    server = fresh_server()
    uri = "http://evil.test\\@127.0.0.1/logged-out"
    record = server.store.get_client("demo-spa")
    server.store.update_client("demo-spa", metadata={
        **record.metadata, "post_logout_redirect_uris": [uri]})
    response = Browser(server).get("/end_session", client_id="demo-spa",
                                         post_logout_redirect_uri=uri)
    assert response.status_code == 400
    assert "Location" not in response.headers


def test_a_stored_confusing_redirect_uri_is_never_redirected_to(fresh_server):
    server = fresh_server()
    uri = "http://evil.test\\@127.0.0.1/callback"
    record = server.store.get_client("demo-spa")
    server.store.update_client("demo-spa", metadata={
        **record.metadata, "redirect_uris": [uri]})
    params, _ = spa_request(redirect_uri=uri, response_mode="form_post")
    response = Browser(server).authorize(**params)
    assert response.status_code == 400


def test_a_loopback_redirect_uri_keeps_working_on_any_port(demo_server):
    params, _ = spa_request(redirect_uri="http://127.0.0.1:49152/callback")
    response = Browser(demo_server).sign_in_and_allow(**params)
    assert response.headers["Location"].startswith("http://127.0.0.1:49152/callback?")
    assert "code" in redirect_params(response)


def test_the_form_post_action_is_the_normalised_uri(demo_server):
    """A redirect URI matched by redirect_uris_regex is sent back normalised (scheme and
    host lower-cased), not as the request spelled it."""
    record = demo_server.store.get_client("demo-spa")
    demo_server.store.update_client("demo-spa", metadata={
        **record.metadata, "redirect_uris_regex": r"http://app\.localhost:3000/cb"})
    params, _ = spa_request(redirect_uri="HTTP://APP.localhost:3000/cb",
                            response_mode="form_post")
    page = Browser(demo_server).sign_in_and_allow(**params)
    assert page.status_code == 200, page.text[:300]
    assert form_action(page.text, 'name="code"') == "http://app.localhost:3000/cb"


def test_the_spa_redirect_uri_still_matches_exactly(demo_server):
    params, _ = spa_request()
    response = Browser(demo_server).sign_in_and_allow(**params)
    assert response.headers["Location"].startswith(SPA_REDIRECT + "?")
