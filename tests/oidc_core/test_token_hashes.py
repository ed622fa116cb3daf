"""The half hashes of OpenID Connect Core: ``at_hash`` (§3.1.3.6, §3.2.2.10, §3.3.2.11)
and ``c_hash`` (§3.3.2.11), for every ID token signing alg discovery advertises, from the
authorization endpoint (hybrid and implicit), the token endpoint and a refresh. Each ID
token is verified with jwcrypto against /jwks and each hash computed here with hashlib.

§3.1.3.6: "the base64url encoding of the left-most half of the hash of the octets of the
ASCII representation of the access_token value, where the hash algorithm used is the hash
algorithm used in the alg Header Parameter of the ID Token's JOSE Header. For instance, if
the alg is RS256, hash the access_token value with SHA-256, then take the left-most 128
bits and base64url-encode them." Errata set 2 adds: "If the ID Token is signed with EdDSA
and the curve is Ed25519, the hash algorithm is SHA-512" (as for RFC 9864's Ed25519).
https://openid.net/specs/openid-connect-core-1_0.html#CodeIDToken
"""

from __future__ import annotations

import base64
import hashlib

import pytest

from tests.flows import Browser, pkce_pair, redirect_params, token_response
from tests.tokens import header_of, verify_jwt

REDIRECT = "http://127.0.0.1:7005/cb"
#: The hash behind at_hash and c_hash for each JWS alg, written out from the spec (not read
#: from the server's table).
HASH_OF_ALG = {
    "RS256": hashlib.sha256, "PS256": hashlib.sha256, "ES256": hashlib.sha256,
    "RS384": hashlib.sha384, "PS384": hashlib.sha384, "ES384": hashlib.sha384,
    "RS512": hashlib.sha512, "PS512": hashlib.sha512, "ES512": hashlib.sha512,
    "EdDSA": hashlib.sha512, "Ed25519": hashlib.sha512,
}
#: What discovery advertises today: the test below fails when that changes, so that a new
#: alg gets its row in HASH_OF_ALG and its cases here.
ADVERTISED = ["RS256", "PS256", "ES256", "EdDSA", "Ed25519"]
#: The authorization endpoint's response types that carry an ID token, and the half hashes
#: that ID token must carry (§3.2.2.10: at_hash with an access token; §3.3.2.11: c_hash
#: with a code).
FRONT_CHANNEL = {"code id_token": {"c_hash"}, "id_token token": {"at_hash"},
                 "code id_token token": {"at_hash", "c_hash"}}


def half_hash(value: str, alg: str) -> str:
    digest = HASH_OF_ALG[alg](value.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest[: len(digest) // 2]).rstrip(b"=").decode()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A server of this module's own with one registered client per advertised alg, and a
    browser signed in as alice."""
    from tests.conftest import LiveServer

    server = LiveServer(tmp_path_factory.mktemp("hashes") / "data")
    server.clients = {}
    for alg in ADVERTISED:
        response = server.post("/register", json={
            "client_name": f"ID tokens in {alg}", "redirect_uris": [REDIRECT],
            "response_types": ["code", *FRONT_CHANNEL],
            "grant_types": ["authorization_code", "implicit", "refresh_token"],
            "scope": "openid profile offline_access", "id_token_signed_response_alg": alg,
        })
        assert response.status_code == 201, response.text
        body = response.json()
        server.clients[alg] = (body["client_id"], body["client_secret"])
    server.browser = Browser(server)
    yield server
    server.stop()


def authorize(server, alg: str, response_type: str, scope: str = "openid profile"):
    """The parameters the authorization endpoint returns to ``alg``'s client, and the PKCE
    verifier of the request."""
    verifier, challenge = pkce_pair()
    back = redirect_params(server.browser.sign_in_and_allow(
        client_id=server.clients[alg][0], response_type=response_type, redirect_uri=REDIRECT,
        scope=scope, state="st", nonce="n-hash", code_challenge=challenge,
        code_challenge_method="S256"))
    return back, verifier


def token_request(server, alg: str, **data) -> dict:
    return token_response(server, server.clients[alg], **data)


def redeem(server, alg: str, code: str, verifier: str) -> dict:
    return token_request(server, alg, grant_type="authorization_code", code=code,
                         redirect_uri=REDIRECT, code_verifier=verifier)


def id_token_claims(server, token: str, alg: str) -> dict:
    """The claims of an ID token signed with ``alg``, verified with jwcrypto."""
    assert header_of(token)["alg"] == alg
    return verify_jwt(server, token, algs=[alg])


def hashes_of(claims: dict) -> dict[str, str]:
    return {name: value for name, value in claims.items() if name.endswith("_hash")}


def test_discovery_advertises_exactly_the_algs_covered_here(live_server):
    document = live_server.get("/.well-known/openid-configuration").json()
    assert document["id_token_signing_alg_values_supported"] == ADVERTISED
    assert set(ADVERTISED) <= set(HASH_OF_ALG)


CASES = [(alg, response_type) for alg in ADVERTISED for response_type in FRONT_CHANNEL]


@pytest.mark.parametrize(("alg", "response_type"), CASES,
                         ids=[f"{alg}-{rt.replace(' ', '+')}" for alg, rt in CASES])
def test_authorization_endpoint_id_token_hashes_use_the_hash_of_the_signing_alg(
        server, alg, response_type):
    back, _ = authorize(server, alg, response_type)
    claims = id_token_claims(server, back["id_token"], alg)
    expected = {}
    if "access_token" in back:
        expected["at_hash"] = half_hash(back["access_token"], alg)
    if "code" in back:
        expected["c_hash"] = half_hash(back["code"], alg)
    assert set(expected) == FRONT_CHANNEL[response_type]
    assert hashes_of(claims) == expected


@pytest.mark.parametrize("alg", ADVERTISED)
def test_token_endpoint_id_token_at_hash_uses_the_hash_of_the_signing_alg(server, alg):
    """§3.1.3.6 makes at_hash OPTIONAL here; this server sends it, so it must be right.
    §3.1.3.3 issues no c_hash at the token endpoint (the code is spent)."""
    back, verifier = authorize(server, alg, "code")
    tokens = redeem(server, alg, back["code"], verifier)
    claims = id_token_claims(server, tokens["id_token"], alg)
    assert hashes_of(claims) == {"at_hash": half_hash(tokens["access_token"], alg)}


@pytest.mark.parametrize("alg", ADVERTISED)
def test_hybrid_token_endpoint_id_token_hashes_the_new_access_token(server, alg):
    """§3.3.3.6: the token endpoint's at_hash is of the access token it returns, not of the
    one the authorization endpoint returned."""
    back, verifier = authorize(server, alg, "code id_token token")
    tokens = redeem(server, alg, back["code"], verifier)
    assert tokens["access_token"] != back["access_token"]
    claims = id_token_claims(server, tokens["id_token"], alg)
    assert hashes_of(claims) == {"at_hash": half_hash(tokens["access_token"], alg)}


@pytest.mark.parametrize("alg", ADVERTISED)
def test_refreshed_id_token_at_hash_is_of_the_refreshed_access_token(server, alg):
    back, verifier = authorize(server, alg, "code", scope="openid offline_access")
    first = redeem(server, alg, back["code"], verifier)
    refreshed = token_request(server, alg, grant_type="refresh_token",
                              refresh_token=first["refresh_token"])
    claims = id_token_claims(server, refreshed["id_token"], alg)
    assert hashes_of(claims) == {"at_hash": half_hash(refreshed["access_token"], alg)}


def test_at_hash_of_a_jwt_access_token_hashes_the_whole_jwt(server):
    """The access token value is what the client holds: for an RFC 9068 JWT, the JWT."""
    response = server.post("/register", json={
        "redirect_uris": [REDIRECT], "response_types": ["id_token token"],
        "grant_types": ["implicit"], "scope": "openid", "access_token_as_jwt": True,
        "id_token_signed_response_alg": "EdDSA"})
    assert response.status_code == 201, response.text
    client_id = response.json()["client_id"]
    back = redirect_params(server.browser.sign_in_and_allow(
        client_id=client_id, response_type="id_token token", redirect_uri=REDIRECT,
        scope="openid", state="st", nonce="n-jwt"))
    assert back["access_token"].count(".") == 2
    claims = id_token_claims(server, back["id_token"], "EdDSA")
    assert claims["at_hash"] == half_hash(back["access_token"], "EdDSA")
    assert len(claims["at_hash"]) == 43  # half of SHA-512: 32 octets, unpadded base64url
