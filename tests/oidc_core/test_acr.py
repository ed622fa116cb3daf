"""ACRs through the real server (OIDC Core §2, §3.1.2.1 acr_values, §5.5.1.1 the acr claim;
OpenID Connect Unmet Authentication Requirements 1.0): discovery lists the enabled ACRs at
each request, the login page offers the requested ones, the choice becomes the session's
and the ID token's acr, a session below the level asked signs in again (step-up), an
essential acr that cannot be met is redirected as ``unmet_authentication_requirements``, and
client metadata may name only enabled ACRs."""

from __future__ import annotations

import json

import pytest

from tests.flows import Browser, form_action, pkce_pair, redirect_params
from tests.tokens import verify_jwt

REDIRECT = "http://127.0.0.1:7003/cb"
SECRET = "acr-secret"
MFA = "urn:pocket-op:mfa"


@pytest.fixture
def server(fresh_server):
    server = fresh_server()
    make_client(server, "rp")
    return server


def make_client(server, client_id: str, **metadata):
    base = {"redirect_uris": [REDIRECT], "response_types": ["code"],
            "grant_types": ["authorization_code"], "scope": "openid",
            "token_endpoint_auth_method": "client_secret_basic"}
    server.store.create_client(client_id, {**base, **metadata}, secret=SECRET, trusted=True)


class Flow:
    """Code flows of one browser for one client, returning the verified ID token."""

    def __init__(self, server, client_id: str = "rp"):
        self.server, self.client_id, self.browser = server, client_id, Browser(server)

    def authorize(self, **params):
        verifier, challenge = pkce_pair()
        self.verifier = verifier
        return self.browser.authorize(
            client_id=self.client_id, response_type="code", redirect_uri=REDIRECT,
            scope="openid", state="st", nonce="n", code_challenge=challenge,
            code_challenge_method="S256", **params)

    def sign_in(self, page, acr: str | None = None):
        form = {"username": "alice", "password": "alice"}
        if acr is not None:
            form["acr"] = acr
        return self.browser.post(form_action(page.text, 'name="password"'), form)

    def id_token(self, response) -> dict:
        code = redirect_params(response)["code"]
        answer = self.server.post("/token", auth=(self.client_id, SECRET), data={
            "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
            "code_verifier": self.verifier})
        assert answer.status_code == 200, answer.text
        return verify_jwt(self.server, answer.json()["id_token"])

    def login_and_token(self, acr: str | None = None, **params) -> dict:
        page = self.authorize(**params)
        assert 'name="password"' in page.text
        return self.id_token(self.sign_in(page, acr))


def essential(*values: str) -> str:
    return json.dumps({"id_token": {"acr": {"essential": True, "values": list(values)}}})


def discovered(server) -> list[str]:
    return server.get("/.well-known/openid-configuration").json()["acr_values_supported"]


# Discovery


def test_discovery_lists_the_enabled_acrs(server):
    assert discovered(server) == ["0", "1", MFA]


def test_discovery_follows_a_change_without_a_restart(server):
    server.store.update_acr(MFA, enabled=False)
    server.store.create_acr("urn:example:gold", 3)
    assert discovered(server) == ["0", "1", "urn:example:gold"]


# Sign-in at a level


def test_a_login_nobody_asked_a_level_of_is_at_the_default_acr(server):
    server.store.set_default_acr(MFA)
    flow = Flow(server)
    page = flow.authorize()
    assert 'id="acr-notice"' not in page.text
    assert flow.id_token(flow.sign_in(page))["acr"] == MFA


def test_acr_values_shows_the_level_on_the_login_page_and_in_the_id_token(server):
    flow = Flow(server)
    page = flow.authorize(acr_values=MFA)
    assert MFA in page.text and 'id="acr-notice"' in page.text
    assert flow.id_token(flow.sign_in(page))["acr"] == MFA
    [session] = server.store.find_sessions()
    assert session.acr == MFA


def test_the_person_chooses_among_the_requested_acrs(server):
    flow = Flow(server)
    page = flow.authorize(acr_values=f"1 {MFA}")
    assert '<select id="acr" name="acr">' in page.text
    assert flow.id_token(flow.sign_in(page, acr=MFA))["acr"] == MFA


def test_a_choice_that_was_not_offered_shows_the_login_page_again(server):
    flow = Flow(server)
    page = flow.authorize(acr_values=f"1 {MFA}")
    again = flow.sign_in(page, acr="0")
    assert again.status_code == 400 and 'name="password"' in again.text
    assert server.store.find_sessions() == []


def test_an_acr_value_that_is_not_enabled_is_ignored_when_voluntary(server):
    assert Flow(server).login_and_token(acr_values="urn:example:unknown")["acr"] == "1"


def test_the_clients_default_acr_values_apply_when_the_request_names_none(server):
    make_client(server, "rp-mfa", default_acr_values=[MFA])
    assert Flow(server, "rp-mfa").login_and_token()["acr"] == MFA


# SSO sessions and step-up


def test_a_session_at_a_lower_level_signs_in_again_for_a_higher_acr(server):
    flow = Flow(server)
    assert flow.login_and_token()["acr"] == "1"
    page = flow.authorize(acr_values=MFA)
    assert 'name="password"' in page.text
    assert flow.id_token(flow.sign_in(page))["acr"] == MFA


def test_a_session_at_a_lower_level_signs_in_again_for_an_essential_acr(server):
    flow = Flow(server)
    flow.login_and_token()
    page = flow.authorize(claims=essential(MFA))
    assert 'name="password"' in page.text
    assert flow.id_token(flow.sign_in(page))["acr"] == MFA


def test_a_session_at_the_level_asked_is_reused_and_says_so(server):
    flow = Flow(server)
    flow.login_and_token(acr_values=MFA)
    assert flow.id_token(flow.authorize(acr_values=MFA))["acr"] == MFA
    assert flow.id_token(flow.authorize(acr_values="1"))["acr"] == "1"


def test_a_reused_session_nobody_asked_a_level_of_says_0(server):
    flow = Flow(server)
    flow.login_and_token(acr_values=MFA)
    assert flow.id_token(flow.authorize())["acr"] == "0"


def test_prompt_none_with_a_session_below_the_level_asked_is_login_required(server):
    flow = Flow(server)
    flow.login_and_token()
    back = redirect_params(flow.authorize(acr_values=MFA, prompt="none"))
    assert back["error"] == "login_required"


# Essential ACRs that cannot be met


@pytest.mark.parametrize("value", ["urn:example:unknown", "disabled"], ids=["unknown",
                                                                           "disabled"])
def test_an_essential_acr_that_is_not_enabled_is_unmet_authentication_requirements(
        server, value):
    server.store.create_acr("disabled", 5, enabled=False)
    back = redirect_params(Flow(server).authorize(claims=essential(value)))
    assert back["error"] == "unmet_authentication_requirements"
    assert (back["state"], back["iss"]) == ("st", server.issuer)


def test_an_essential_acr_the_client_is_not_authorized_for_is_unmet(server):
    make_client(server, "rp-limited", authorized_acr_values=["1"])
    back = redirect_params(Flow(server, "rp-limited").authorize(claims=essential(MFA)))
    assert back["error"] == "unmet_authentication_requirements"


def test_a_voluntary_acr_the_client_is_not_authorized_for_is_ignored(server):
    make_client(server, "rp-limited", authorized_acr_values=["1"])
    assert Flow(server, "rp-limited").login_and_token(acr_values=MFA)["acr"] == "1"


# Client metadata


@pytest.mark.parametrize("field", ["default_acr_values", "authorized_acr_values"])
def test_registration_refuses_an_acr_that_is_not_enabled_naming_the_field(server, field):
    server.store.update_acr(MFA, enabled=False)
    response = server.post("/register", json={"redirect_uris": [REDIRECT], field: ["1", MFA]})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_client_metadata"
    assert f"'{field}'" in response.json()["error_description"]


def test_registration_accepts_enabled_acrs(server):
    response = server.post("/register", json={"redirect_uris": [REDIRECT],
                                              "default_acr_values": [MFA],
                                              "authorized_acr_values": ["1", MFA]})
    assert response.status_code == 201, response.text
