"""RFC 6749 §3.2, §4.1.3, §4.4, §5.2, §6 at the real token endpoint: grants, client
authentication and the exact errors, with tokens checked by jwcrypto."""

import threading

import pytest

from tests.flows import (
    SPA_REDIRECT,
    TEST_SECRET,
    WEB_REDIRECT,
    Browser,
    basic,
    redeem_web,
    redirect_params,
    spa_request,
    web_code,
)

SECRET = TEST_SECRET


@pytest.fixture
def server(demo_server):
    return demo_server


def test_client_credentials_gives_a_bearer_token_without_refresh_or_id_token(server):
    response = server.post("/token", data={"grant_type": "client_credentials",
                                           "scope": "api.read"},
                           headers=basic("demo-machine", SECRET))
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer" and body["scope"] == "api.read"
    assert "refresh_token" not in body and "id_token" not in body
    assert response.headers["Cache-Control"] == "no-store"


def test_client_secret_basic_with_a_wrong_secret_is_401_invalid_client_with_challenge(server):
    response = server.post("/token", data={"grant_type": "client_credentials"},
                           headers=basic("demo-machine", "wrong"))
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert response.headers["WWW-Authenticate"].startswith("Basic")


def test_client_secret_post_for_a_basic_client_is_invalid_client(server):
    response = server.post("/token", data={"grant_type": "client_credentials",
                                           "client_id": "demo-machine", "client_secret": SECRET})
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert "WWW-Authenticate" not in response.headers


def test_client_secret_post_works_for_a_client_registered_for_it(server):
    metadata = {**server.store.get_client("demo-machine").metadata,
                "token_endpoint_auth_method": "client_secret_post"}
    server.store.update_client("demo-machine", metadata=metadata)
    response = server.post("/token", data={"grant_type": "client_credentials",
                                           "client_id": "demo-machine", "client_secret": SECRET})
    assert response.status_code == 200


def test_unknown_client_is_invalid_client(server):
    response = server.post("/token", data={"grant_type": "client_credentials"},
                           headers=basic("nobody", SECRET))
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"


def test_unknown_grant_type_is_unsupported_grant_type(server):
    response = server.post("/token", data={"grant_type": "urn:example:nope"},
                           headers=basic("demo-machine", SECRET))
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


@pytest.mark.parametrize("data", [{}, {"grant_type": ""}, {"scope": "api.read"}],
                         ids=["nothing", "empty", "other-parameters-only"])
def test_missing_grant_type_is_invalid_request_naming_the_parameter(server, data):
    """RFC 6749 §5.2: "invalid_request: The request is missing a required parameter"."""
    response = server.post("/token", data=data, headers=basic("demo-machine", SECRET))
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_request",
                               "error_description": "Missing 'grant_type' in request."}
    assert response.headers["Cache-Control"] == "no-store"


def test_grant_type_the_client_may_not_use_is_unauthorized_client(server):
    response = server.post("/token", data={"grant_type": "password", "username": "alice",
                                           "password": "alice"},
                           headers=basic("demo-machine", SECRET))
    assert response.status_code == 400
    assert response.json()["error"] == "unauthorized_client"


def test_scope_the_client_may_not_request_is_invalid_scope(server):
    response = server.post("/token", data={"grant_type": "client_credentials",
                                           "scope": "api.admin"},
                           headers=basic("demo-machine", SECRET))
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"


def test_authorization_code_for_a_confidential_client_with_basic_auth(server):
    response = redeem_web(server, web_code(server))
    assert response.status_code == 200
    assert {"access_token", "refresh_token", "id_token"} <= set(response.json())


def test_a_code_is_single_use_and_its_second_use_revokes_the_tokens(server):
    code = web_code(server)
    first = redeem_web(server, code).json()
    second = redeem_web(server, code)
    assert second.status_code == 400 and second.json()["error"] == "invalid_grant"
    userinfo = server.get("/userinfo", headers={"Authorization": f"Bearer {first['access_token']}"})
    assert userinfo.status_code == 401


def test_concurrent_redemptions_of_one_code_have_exactly_one_winner(server):
    code = web_code(server)
    statuses = []

    def redeem_once():
        statuses.append(redeem_web(server, code).status_code)

    threads = [threading.Thread(target=redeem_once) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 400, 400, 400, 400, 400]


def test_redirect_uri_differing_from_the_authorization_request_is_invalid_grant(server):
    response = redeem_web(server, web_code(server), redirect_uri="http://localhost:3000/other")
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_missing_code_is_invalid_request(server):
    response = server.post("/token", data={"grant_type": "authorization_code",
                                           "redirect_uri": WEB_REDIRECT},
                           headers=basic("demo-web", SECRET))
    assert response.status_code == 400 and response.json()["error"] == "invalid_request"


def test_refresh_rotates_and_the_old_refresh_token_stops_working(server):
    tokens = redeem_web(server, web_code(server)).json()
    refreshed = server.post("/token", data={"grant_type": "refresh_token",
                                            "refresh_token": tokens["refresh_token"]},
                            headers=basic("demo-web", SECRET))
    assert refreshed.status_code == 200
    new = refreshed.json()
    assert new["refresh_token"] != tokens["refresh_token"] and "id_token" in new
    again = server.post("/token", data={"grant_type": "refresh_token",
                                        "refresh_token": tokens["refresh_token"]},
                        headers=basic("demo-web", SECRET))
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


def test_reusing_a_rotated_refresh_token_revokes_the_whole_family(server):
    tokens = redeem_web(server, web_code(server)).json()
    new = server.post("/token", data={"grant_type": "refresh_token",
                                      "refresh_token": tokens["refresh_token"]},
                      headers=basic("demo-web", SECRET)).json()
    server.post("/token", data={"grant_type": "refresh_token",
                                "refresh_token": tokens["refresh_token"]},
                headers=basic("demo-web", SECRET))
    later = server.post("/token", data={"grant_type": "refresh_token",
                                        "refresh_token": new["refresh_token"]},
                        headers=basic("demo-web", SECRET))
    assert later.json()["error"] == "invalid_grant"
    userinfo = server.get("/userinfo", headers={"Authorization": f"Bearer {new['access_token']}"})
    assert userinfo.status_code == 401


def test_refresh_token_of_another_client_is_invalid_grant(server):
    params, verifier = spa_request(scope="openid")
    code = redirect_params(Browser(server).sign_in_and_allow(**params))["code"]
    spa_tokens = server.post("/token", data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": SPA_REDIRECT,
        "client_id": "demo-spa", "code_verifier": verifier}).json()
    response = server.post("/token", data={"grant_type": "refresh_token",
                                           "refresh_token": spa_tokens["refresh_token"]},
                           headers=basic("demo-web", SECRET))
    assert response.json()["error"] == "invalid_grant"


def test_password_grant_works_only_for_a_client_that_lists_it(server):
    metadata = {**server.store.get_client("demo-web").metadata,
                "grant_types": ["authorization_code", "password"]}
    server.store.update_client("demo-web", metadata=metadata)
    response = server.post("/token", data={"grant_type": "password", "username": "bob",
                                           "password": "bob", "scope": "openid"},
                           headers=basic("demo-web", SECRET))
    assert response.status_code == 200 and "id_token" not in response.json()


def test_token_endpoint_refuses_get(server):
    response = server.get("/token")
    assert response.status_code == 405 and response.json()["error"] == "method_not_allowed"


def test_plain_http_through_a_non_loopback_host_name_is_served_not_a_server_error(server):
    """Reached as http://192.168.1.5:9400 (e.g. --host 0.0.0.0 and a phone on the LAN)."""
    response = server.post("/token", data={"grant_type": "client_credentials"},
                           headers={**basic("demo-machine", SECRET), "Host": "192.168.1.5:9400"})
    assert response.status_code == 200
