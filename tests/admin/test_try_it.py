""""Try it" (``/admin/api/clients/<id>/try-it``, ``/admin/try-it/callback``,
``/admin/api/try-it/<state>``): the admin acts as the client against the real endpoints,
with the client's own authentication method; the callback URI is an ordinary registered
redirect URI; the result shows each token decoded and verified, and the OP's errors as they
came."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.flows import Browser
from tests.tokens import verify_jwt

from .conftest import AdminApi, sign_in

CALLBACK = "/admin/try-it/callback"


@pytest.fixture
def server(demo_server):
    from .conftest import ADMIN_PASSWORD

    demo_server.store.save_admin_password("admin", ADMIN_PASSWORD)
    return demo_server


def local(server, url: str) -> str:
    """A URL of the issuer (localhost) on the address the test server listens on."""
    return url.replace(server.issuer, server.url)


def register_callback(api: AdminApi, client_id: str) -> None:
    current = api.get(f"/clients/{client_id}").json()["metadata"].get("redirect_uris", [])
    uri = api.server.issuer + CALLBACK
    response = api.patch(f"/clients/{client_id}", json={"metadata": {
        "redirect_uris": [*current, uri]}})
    assert response.status_code == 200, response.text


def create_client(api: AdminApi, client_id: str, **metadata) -> str | None:
    body = {"client_name": client_id, "grant_types": ["authorization_code"],
            "redirect_uris": [api.server.issuer + CALLBACK], "scope": "openid profile email",
            **metadata}
    response = api.post("/clients", json={"client_id": client_id, "metadata": body,
                                          "trusted": True})
    assert response.status_code == 201, response.text
    return response.json().get("client_secret")


def authorize_in_browser(server, url: str, username: str = "alice",
                         decision: str = "allow") -> str:
    """Follow the authorization URL as the person would; returns the callback URL."""
    browser = Browser(server)
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    response = browser.authorize(**query)
    if 'name="password"' in response.text:
        response = browser.login(response, username, username)
    if 'name="decision"' in response.text:
        response = browser.consent(response, decision)
    assert response.status_code == 302, response.text[:500]
    return response.headers["Location"]


def run_code_flow(server, api: AdminApi, client_id: str, **kwargs) -> dict:
    started = api.post(f"/clients/{client_id}/try-it", json={"flow": "authorization_code"})
    assert started.status_code == 200, started.text
    callback = authorize_in_browser(server, started.json()["authorization_url"], **kwargs)
    assert callback.startswith(server.issuer + CALLBACK + "?")
    back = api.http.get(local(server, callback), allow_redirects=False, timeout=10)
    assert back.status_code == 303, back.text
    state = started.json()["state"]
    assert back.headers["Location"] == f"{server.url}/admin#/clients/{client_id}/try/{state}"
    finished = api.post(f"/try-it/{state}")
    assert finished.status_code == 200, finished.text
    return finished.json()


def token_named(result: dict, name: str) -> dict:
    return next(token for token in result["tokens"] if token["name"] == name)


def test_the_plan_names_the_callback_and_says_it_is_not_registered(api, server):
    plan = api.get("/clients/demo-web/try-it").json()
    assert plan["redirect_uri"] == server.issuer + CALLBACK
    assert plan["redirect_uri_registered"] is False
    assert plan["flows"] == [{"flow": "authorization_code", "reason": None}]


def test_a_code_flow_is_refused_until_the_callback_is_registered(api, server):
    response = api.post("/clients/demo-web/try-it", json={"flow": "authorization_code"})
    assert response.status_code == 409
    assert server.issuer + CALLBACK in response.json()["error_description"]
    register_callback(api, "demo-web")
    assert api.get("/clients/demo-web/try-it").json()["redirect_uri_registered"] is True
    assert api.post("/clients/demo-web/try-it", json={}).status_code == 200


def test_the_code_flow_shows_the_id_token_decoded_and_verified_and_the_userinfo(api, server):
    register_callback(api, "demo-web")
    result = run_code_flow(server, api, "demo-web")
    assert "error" not in result, result
    alice = server.store.get_user("alice")
    id_token = token_named(result, "id_token")
    assert id_token["payload"] == verify_jwt(server, id_token["raw"])
    assert id_token["payload"]["sub"] == alice.sub
    assert id_token["signature"]["verified"] is True
    assert id_token["header"]["kid"] in {key["kid"] for key in server.get("/jwks").json()["keys"]}
    assert all(check["ok"] for check in result["checks"]), result["checks"]
    assert result["userinfo"]["status"] == 200
    assert result["userinfo"]["body"]["sub"] == alice.sub
    assert result["userinfo"]["body"]["email"] == alice.claims["email"]


@pytest.mark.parametrize("method", ["client_secret_basic", "client_secret_post",
                                    "client_secret_jwt", "none"])
def test_the_client_authenticates_with_its_own_method(api, server, method):
    create_client(api, f"try-{method}", token_endpoint_auth_method=method)
    result = run_code_flow(server, api, f"try-{method}")
    assert result["token_response"]["status"] == 200, result
    assert token_named(result, "access_token")["raw"] == result["token_response"]["body"][
        "access_token"]
    token_events = [event for event in api.events("token.issued")
                    if event["fields"].get("client_id") == f"try-{method}"]
    assert token_events


def test_the_client_secret_never_reaches_the_answers(api, server):
    secret = create_client(api, "try-secret", token_endpoint_auth_method="client_secret_post")
    started = api.post("/clients/try-secret/try-it", json={})
    callback = authorize_in_browser(server, started.json()["authorization_url"])
    api.http.get(local(server, callback), allow_redirects=False, timeout=10)
    finished = api.post(f"/try-it/{started.json()['state']}")
    assert secret and secret not in started.text and secret not in finished.text


def test_a_client_that_must_use_par_pushes_its_request_first(api, server):
    create_client(api, "try-par", require_pushed_authorization_requests=True)
    started = api.post("/clients/try-par/try-it", json={})
    query = parse_qs(urlsplit(started.json()["authorization_url"]).query)
    assert set(query) == {"client_id", "request_uri"}
    assert query["request_uri"][0].startswith("urn:ietf:params:oauth:request_uri:")
    result = run_code_flow(server, api, "try-par")
    assert result["token_response"]["status"] == 200, result


def test_a_denied_consent_is_shown_as_the_op_sent_it(api, server):
    create_client(api, "try-deny")
    server.store.update_client("try-deny", trusted=False)
    result = run_code_flow(server, api, "try-deny", decision="deny")
    assert result["error"]["error"] == "access_denied"
    assert "tokens" not in result


def test_client_credentials_returns_the_token_decoded(api, server):
    response = api.post("/clients/demo-machine/try-it", json={"flow": "client_credentials"})
    assert response.status_code == 200, response.text
    result = response.json()["result"]
    assert result["token_response"]["status"] == 200
    assert result["token_response"]["body"]["scope"] == "api.read api.write"
    access = token_named(result, "access_token")
    assert access["format"] in ("jws", "reference")
    if access["format"] == "jws":
        assert access["payload"]["client_id"] == "demo-machine"
        assert access["signature"]["verified"] is True


def test_client_credentials_with_jwt_access_tokens_shows_the_claims(api, server):
    api.patch("/clients/demo-machine", json={"metadata": {"access_token_as_jwt": True}})
    result = api.post("/clients/demo-machine/try-it", json={}).json()["result"]
    access = token_named(result, "access_token")
    assert access["format"] == "jws" and access["header"]["typ"] == "at+jwt"
    assert access["payload"] == verify_jwt(server, access["raw"])
    assert access["payload"]["client_id"] == "demo-machine"


def test_an_op_refusal_of_the_token_request_is_shown_as_it_came(api, server):
    server.store.save_client_secret("demo-machine", "another-secret")
    server.store.update_client("demo-machine", active=False)
    result = api.post("/clients/demo-machine/try-it", json={}).json()["result"]
    assert result["token_response"]["status"] == 401
    assert result["error"] == {key: value for key, value in result["token_response"]["body"]
                               .items() if key in ("error", "error_description")}
    assert result["error"]["error"] == "invalid_client"


def test_a_private_key_jwt_client_cannot_be_tried_and_says_why(api, server):
    api.patch("/clients/demo-machine", json={"metadata": {
        "token_endpoint_auth_method": "private_key_jwt", "jwks_uri": "https://keys.example/jwks"}})
    plan = api.get("/clients/demo-machine/try-it").json()
    assert "private key" in plan["reason"]
    response = api.post("/clients/demo-machine/try-it", json={})
    assert response.status_code == 409
    assert response.json()["error_description"] == plan["reason"]


def test_an_unknown_flow_is_refused_naming_the_field(api):
    response = api.post("/clients/demo-machine/try-it", json={"flow": "implicit"})
    assert response.status_code == 400
    assert "flow" in response.json()["fields"]


def test_the_callback_refuses_an_unknown_state(server):
    response = server.get(CALLBACK, params={"code": "x", "state": "nope"},
                          allow_redirects=False)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_the_result_belongs_to_the_admin_who_started(api, server):
    register_callback(api, "demo-web")
    started = api.post("/clients/demo-web/try-it", json={}).json()
    callback = authorize_in_browser(server, started["authorization_url"])
    server.get(local(server, callback).replace(server.url, ""), allow_redirects=False)
    other, csrf = sign_in(server)
    response = other.post(f"/try-it/{started['state']}", headers={"X-CSRF-Token": csrf})
    assert response.status_code == 404
    assert api.post(f"/try-it/{started['state']}").status_code == 200


def test_finishing_before_the_callback_is_a_conflict(api, server):
    register_callback(api, "demo-web")
    started = api.post("/clients/demo-web/try-it", json={}).json()
    assert api.post(f"/try-it/{started['state']}").status_code == 409


def test_starting_with_the_admin_cookie_needs_the_csrf_token(server):
    browser_api, csrf = sign_in(server)
    refused = browser_api.post("/clients/demo-machine/try-it", json={})
    assert refused.status_code == 403
    allowed = browser_api.post("/clients/demo-machine/try-it", json={},
                               headers={"X-CSRF-Token": csrf})
    assert allowed.status_code == 200, allowed.text



def test_an_inactive_client_s_code_flow_is_not_started(api, server):
    create_client(api, "try-inactive")
    server.store.update_client("try-inactive", active=False)
    plan = api.get("/clients/try-inactive/try-it").json()
    assert "inactive" in plan["flows"][0]["reason"]
    assert api.post("/clients/try-inactive/try-it", json={}).status_code == 409


def test_a_signed_userinfo_answer_is_decoded_and_verified(api, server):
    create_client(api, "try-signed-userinfo", userinfo_signed_response_alg="ES256")
    result = run_code_flow(server, api, "try-signed-userinfo")
    token = result["userinfo"]["token"]
    assert token["header"]["alg"] == "ES256" and token["signature"]["verified"] is True
    assert token["payload"] == verify_jwt(server, token["raw"], algs=["ES256"])
    assert token["payload"]["sub"] == server.store.get_user("alice").sub


def test_an_encrypted_id_token_is_shown_as_encrypted_to_the_client(api, server):
    from jwcrypto import jwk

    key = jwk.JWK.generate(kty="RSA", size=2048, use="enc", kid="client-enc")
    create_client(api, "try-encrypted", id_token_encrypted_response_alg="RSA-OAEP",
                  jwks={"keys": [key.export_public(as_dict=True)]})
    result = run_code_flow(server, api, "try-encrypted")
    id_token = token_named(result, "id_token")
    assert id_token["format"] == "jwe" and id_token["header"]["alg"] == "RSA-OAEP"
    assert "payload" not in id_token
    assert result["userinfo"]["status"] == 200
