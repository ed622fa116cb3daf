"""Pairwise subject identifiers (OpenID Connect Core §8.1) through the real endpoints:
clients in different sectors get different ``sub`` values for one person, clients of one
sector the same, a ``sector_identifier_uri`` (OIDC Registration §5, served here from a
loopback document host) makes its host the sector, and every place that names the person to
a pairwise client names them by the same pairwise ``sub``.

§8.1: "The Sector Identifier is the host component of a URL used by the Relying Party's
organization that is an input to the computation of pairwise Subject Identifiers for that
Relying Party"; "If the Client has not provided a value for sector_identifier_uri in
Dynamic Client Registration, the Sector Identifier used for pairwise identifier calculation
is the host component of the registered redirect_uri." pocket-op computes
``base64url(HMAC-SHA256(install id, "<sector host>|<local sub>"))``, §8.1's "hash function
of the Sector Identifier, the local account ID and a salt value".
https://openid.net/specs/openid-connect-core-1_0.html#PairwiseAlg
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest

from tests.flows import Browser, pkce_pair, redirect_params, token_response
from tests.request_objects import DocumentHost
from tests.tokens import verify_jwt

ONE = "https://app-one.example/cb"
ONE_OTHER_PORT = "https://app-one.example:8443/elsewhere/cb"
TWO = "https://app-two.example/cb"
THREE = "https://app-three.example/cb"
#: label: (redirect URI, extra metadata). "sector" is replaced by the sector document's URL.
CLIENTS = {
    "public": (ONE, {}),
    "one": (ONE, {"subject_type": "pairwise"}),
    "one-other-port": (ONE_OTHER_PORT, {"subject_type": "pairwise"}),
    "two": (TWO, {"subject_type": "pairwise"}),
    "sector-a": (ONE, {"subject_type": "pairwise", "sector_identifier_uri": "sector"}),
    "sector-b": (TWO, {"subject_type": "pairwise", "sector_identifier_uri": "sector"}),
    "three-jwt": (THREE, {"subject_type": "pairwise", "access_token_as_jwt": True}),
}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A server of this module's own with CLIENTS registered at /register (the sector
    document listing the redirect URIs of sector-a and sector-b), and a browser per user."""
    from tests.conftest import LiveServer

    documents = DocumentHost()
    sector = documents.put("/sector.json", json.dumps([ONE, TWO]),
                           content_type="application/json")
    server = LiveServer(tmp_path_factory.mktemp("pairwise") / "data")
    server.clients, server.redirects = {}, {}
    for label, (redirect_uri, extra) in CLIENTS.items():
        metadata = {key: sector if value == "sector" else value for key, value in extra.items()}
        response = server.post("/register", json={
            "client_name": label, "redirect_uris": [redirect_uri],
            "response_types": ["code", "code id_token"],
            "grant_types": ["authorization_code", "implicit", "refresh_token"],
            "scope": "openid profile offline_access", **metadata})
        assert response.status_code == 201, response.text
        body = response.json()
        server.clients[label] = (body["client_id"], body["client_secret"])
        server.redirects[label] = redirect_uri
    server.browsers = {"alice": Browser(server), "bob": Browser(server)}
    yield server
    server.stop()
    documents.stop()


def authorize(server, label: str, username: str = "alice", response_type: str = "code",
              scope: str = "openid", **params) -> tuple[dict, str]:
    verifier, challenge = pkce_pair()
    back = redirect_params(server.browsers[username].sign_in_and_allow(
        username, client_id=server.clients[label][0], response_type=response_type,
        redirect_uri=server.redirects[label], scope=scope, state="st", nonce="n-pw",
        code_challenge=challenge, code_challenge_method="S256", **params))
    return back, verifier


def token_request(server, label: str, **data) -> dict:
    return token_response(server, server.clients[label], **data)


def redeem(server, label: str, back: dict, verifier: str) -> dict:
    return token_request(server, label, grant_type="authorization_code", code=back["code"],
                         redirect_uri=server.redirects[label], code_verifier=verifier)


def tokens_for(server, label: str, username: str = "alice", **params) -> dict:
    return redeem(server, label, *authorize(server, label, username, **params))


def sub_of(server, label: str, username: str = "alice") -> str:
    """The sub of the ID token the token endpoint gives ``label`` for ``username``."""
    return verify_jwt(server, tokens_for(server, label, username)["id_token"])["sub"]


def expected_pairwise(server, sector_host: str, username: str = "alice") -> str:
    salt = server.store.get_setting("install")["id"].encode()
    local = server.store.get_user(username).sub
    digest = hmac.new(salt, f"{sector_host}|{local}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def test_pairwise_clients_whose_redirect_hosts_differ_get_different_subs(server):
    assert sub_of(server, "one") != sub_of(server, "two")


def test_pairwise_clients_on_one_redirect_host_share_the_sub_whatever_the_port_and_path(
        server):
    assert sub_of(server, "one") == sub_of(server, "one-other-port")


def test_pairwise_clients_sharing_a_sector_identifier_uri_share_the_sub(server):
    assert sub_of(server, "sector-a") == sub_of(server, "sector-b")


def test_the_sector_identifier_uri_not_the_redirect_host_is_the_sector(server):
    """sector-a redirects to app-one.example like "one", but its sector is the host of its
    sector_identifier_uri."""
    assert sub_of(server, "sector-a") not in (sub_of(server, "one"), sub_of(server, "two"))


def test_a_public_client_gets_the_local_sub_and_a_pairwise_one_on_that_host_another(server):
    local = server.store.get_user("alice").sub
    assert sub_of(server, "public") == local
    assert sub_of(server, "one") != local


def test_two_people_get_different_pairwise_subs_at_one_client(server):
    assert sub_of(server, "one", "alice") != sub_of(server, "one", "bob")


SECTORS = [("one", "app-one.example"), ("one-other-port", "app-one.example"),
           ("two", "app-two.example"), ("sector-a", "127.0.0.1"), ("sector-b", "127.0.0.1"),
           ("three-jwt", "app-three.example")]


@pytest.mark.parametrize(("label", "sector_host"), SECTORS, ids=[label for label, _ in SECTORS])
@pytest.mark.parametrize("username", ["alice", "bob"])
def test_pairwise_sub_is_the_hmac_of_the_sector_host_and_the_local_sub(
        server, label, sector_host, username):
    """The exact value, salt read from the store: pins which host is the sector (the
    sector_identifier_uri's, else the redirect URI's, without port) and that it goes in."""
    assert sub_of(server, label, username) == expected_pairwise(server, sector_host, username)


def subjects_seen_by_a_pairwise_client(server) -> dict[str, str]:
    """The sub of alice in everything three-jwt receives in a hybrid flow and a refresh."""
    back, verifier = authorize(server, "three-jwt", response_type="code id_token",
                               scope="openid offline_access")
    tokens = redeem(server, "three-jwt", back, verifier)
    refreshed = token_request(server, "three-jwt", grant_type="refresh_token",
                              refresh_token=tokens["refresh_token"])
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    introspection = server.post("/introspect", auth=server.clients["three-jwt"],
                                data={"token": tokens["access_token"]})
    return {
        "authorization-endpoint-id-token": verify_jwt(server, back["id_token"])["sub"],
        "token-endpoint-id-token": verify_jwt(server, tokens["id_token"])["sub"],
        "refreshed-id-token": verify_jwt(server, refreshed["id_token"])["sub"],
        "userinfo": server.get("/userinfo", headers=bearer).json()["sub"],
        "jwt-access-token": verify_jwt(server, tokens["access_token"], algs=["RS256"])["sub"],
        "introspection": introspection.json()["sub"],
    }


PLACES = ["authorization-endpoint-id-token", "token-endpoint-id-token", "refreshed-id-token",
          "userinfo", "jwt-access-token", "introspection"]


@pytest.mark.parametrize("place", PLACES)
def test_a_pairwise_client_sees_the_pairwise_sub_everywhere(server, place):
    """OIDC Core §3.3.3.6 (both ID tokens of a hybrid flow: "sub Claim Values MUST be
    identical"), §5.3.2 (userinfo: "The sub Claim in the UserInfo Response MUST be verified
    to exactly match the sub Claim in the ID Token"), §12.2 (a refreshed ID token's "sub
    Claim Value MUST be the same"), RFC 9068 §2.2 and RFC 7662 §2.2."""
    seen = subjects_seen_by_a_pairwise_client(server)
    assert seen[place] == expected_pairwise(server, "app-three.example")


def test_an_id_token_hint_with_the_pairwise_sub_lets_prompt_none_through(server):
    """§3.1.2.1 id_token_hint: the hint names the signed-in person by the client's sub."""
    hint = tokens_for(server, "one")["id_token"]
    back, _ = authorize(server, "one", prompt="none", id_token_hint=hint)
    assert "error" not in back, back
    assert (bool(back["code"]), back["state"]) == (True, "st")


def test_an_id_token_hint_naming_another_person_at_a_pairwise_client_is_login_required(
        server):
    other_person = tokens_for(server, "one", "bob")["id_token"]
    back, _ = authorize(server, "one", prompt="none", id_token_hint=other_person)
    assert back["error"] == "login_required"
