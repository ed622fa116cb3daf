"""RFC 9101 (JAR) and OpenID Connect Core §6.1 at the real authorization endpoint: request
objects by value, signed with every advertised alg, unsigned where registered, encrypted to
the OP's key; every invalid object refused with invalid_request_object."""

import time

import pytest

from tests.flows import Browser, redirect_params
from tests.request_objects import (
    SIGNING_KEYS,
    STRANGER_KEY,
    encrypt_to_op,
    hmac_key,
    public_jwks,
    request_claims,
    sign,
    unsigned,
)
from tests.tokens import verify_jwt

REDIRECT = "http://127.0.0.1:7101/cb"
SECRET = "request-object-client-secret-long-enough-for-hs512-0123456789abcdef"
ASYMMETRIC = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512",
              "EdDSA", "Ed25519"]
SYMMETRIC = ["HS256", "HS384", "HS512"]


def add_client(server, client_id: str, **metadata) -> None:
    server.store.create_client(client_id, {
        "redirect_uris": [REDIRECT], "grant_types": ["authorization_code"],
        "response_types": ["code"], "token_endpoint_auth_method": "client_secret_basic",
        "scope": "openid profile email", "jwks": public_jwks(), **metadata,
    }, secret=SECRET, trusted=True)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from tests.conftest import LiveServer

    server = LiveServer(tmp_path_factory.mktemp("jar") / "data")
    add_client(server, "jar-app")
    add_client(server, "jar-unsigned-app", request_object_signing_alg="none")
    add_client(server, "jar-ps256-app", request_object_signing_alg="PS256")
    add_client(server, "jar-signed-only-app", require_signed_request_object=True)
    add_client(server, "jar-encrypting-app", request_object_encryption_alg="RSA-OAEP-256",
               request_object_encryption_enc="A256GCM")
    browser = Browser(server)
    browser.login(browser.authorize(client_id="jar-app", response_type="code",
                                    redirect_uri=REDIRECT, scope="openid"), "alice", "alice")
    server.browser = browser
    yield server
    server.stop()


def authorize(server, client_id: str, request: str, **outer):
    return server.browser.authorize(client_id=client_id, request=request, **outer)


def claims(server, client_id: str = "jar-app", **params) -> dict:
    return request_claims(server, client_id, REDIRECT, **params)


def redeem(server, client_id: str, code: str) -> dict:
    response = server.post("/token", auth=(client_id, SECRET), data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("alg", ASYMMETRIC + SYMMETRIC)
def test_request_object_signed_with_each_advertised_alg_is_accepted(server, alg):
    key = hmac_key(SECRET) if alg in SYMMETRIC else None
    back = redirect_params(authorize(server, "jar-app", sign(claims(server), alg, key)))
    assert back["state"] == "inner-state" and "code" in back
    assert verify_jwt(server, redeem(server, "jar-app", back["code"])["id_token"])[
        "nonce"] == "inner-nonce"


def test_discovery_advertises_exactly_the_tested_request_object_algs(server):
    document = server.get("/.well-known/openid-configuration").json()
    assert document["request_parameter_supported"] is True
    assert document["request_uri_parameter_supported"] is True
    assert document["require_request_uri_registration"] is True
    assert set(document["request_object_signing_alg_values_supported"]) == {
        "none", *ASYMMETRIC, *SYMMETRIC}
    assert document["request_object_encryption_alg_values_supported"] == [
        "RSA-OAEP", "RSA-OAEP-256"]


def test_unsigned_request_object_is_accepted_from_a_client_that_registered_none(server):
    back = redirect_params(authorize(server, "jar-unsigned-app",
                                     unsigned(claims(server, "jar-unsigned-app"))))
    assert back["state"] == "inner-state" and "code" in back


def test_unsigned_request_object_is_refused_from_other_clients(server):
    back = redirect_params(authorize(server, "jar-app", unsigned(claims(server)),
                                     redirect_uri=REDIRECT, state="outer"))
    assert back["error"] == "invalid_request_object" and back["state"] == "outer"


def test_request_object_signed_with_another_alg_than_the_registered_one_is_refused(server):
    token = sign(claims(server, "jar-ps256-app"), "RS256")
    back = redirect_params(authorize(server, "jar-ps256-app", token, redirect_uri=REDIRECT))
    assert back["error"] == "invalid_request_object"
    accepted = sign(claims(server, "jar-ps256-app"), "PS256")
    assert "code" in redirect_params(authorize(server, "jar-ps256-app", accepted))


def test_tampered_request_object_is_refused(server):
    header, _, signature = sign(claims(server), "RS256").split(".")
    forged = sign(claims(server, scope="openid profile email"), "RS256").split(".")[1]
    back = redirect_params(authorize(server, "jar-app", f"{header}.{forged}.{signature}",
                                     redirect_uri=REDIRECT, state="outer"))
    assert back["error"] == "invalid_request_object" and back["state"] == "outer"
    assert back["iss"] == server.issuer


def test_request_object_signed_with_an_unregistered_key_is_refused(server):
    token = sign(claims(server), "RS256", key=STRANGER_KEY)
    back = redirect_params(authorize(server, "jar-app", token, redirect_uri=REDIRECT))
    assert back["error"] == "invalid_request_object"


def test_hmac_request_object_signed_with_another_secret_is_refused(server):
    token = sign(claims(server), "HS256", key=hmac_key("x" * 64))
    back = redirect_params(authorize(server, "jar-app", token, redirect_uri=REDIRECT))
    assert back["error"] == "invalid_request_object"


INVALID_CLAIMS = [
    ("client-id-differs", {"client_id": "demo-web"}),
    ("iss-not-the-client", {"iss": "someone-else"}),
    ("aud-another-server", {"aud": "https://op.example"}),
    ("expired", {"exp": int(time.time()) - 3600}),
    ("not-yet-valid", {"nbf": int(time.time()) + 3600}),
    ("nested-request-uri", {"request_uri": "http://127.0.0.1:1/r"}),
    ("nested-request", {"request": "e30.e30."}),
]


@pytest.mark.parametrize("changes", [case[1] for case in INVALID_CLAIMS],
                         ids=[case[0] for case in INVALID_CLAIMS])
def test_request_object_with_invalid_claims_is_refused(server, changes):
    token = sign(claims(server, **changes), "ES256")
    back = redirect_params(authorize(server, "jar-app", token, redirect_uri=REDIRECT,
                                     state="outer"))
    assert back["error"] == "invalid_request_object" and back["state"] == "outer"


@pytest.mark.parametrize("typ", ["at+jwt", "logout+jwt"])
def test_request_object_with_the_typ_of_another_jwt_is_refused(server, typ):
    token = sign(claims(server), "ES256", typ=typ)
    back = redirect_params(authorize(server, "jar-app", token, redirect_uri=REDIRECT))
    assert back["error"] == "invalid_request_object"


@pytest.mark.parametrize("typ", ["JWT", "oauth-authz-req+jwt",
                                 "application/oauth-authz-req+jwt"])
def test_request_object_with_a_request_object_typ_is_accepted(server, typ):
    back = redirect_params(authorize(server, "jar-app", sign(claims(server), "ES256", typ=typ)))
    assert "code" in back


def test_parameters_inside_the_request_object_win_over_outer_ones(server):
    token = sign(claims(server, scope="openid email", state="inner-state"), "PS256")
    back = redirect_params(authorize(server, "jar-app", token, response_type="code",
                                     redirect_uri=REDIRECT, scope="openid", state="outer",
                                     nonce="outer-nonce"))
    assert back["state"] == "inner-state"
    tokens = redeem(server, "jar-app", back["code"])
    assert tokens["scope"] == "openid email"
    assert verify_jwt(server, tokens["id_token"])["nonce"] == "inner-nonce"


def test_outer_parameters_missing_from_the_request_object_are_used(server):
    inner = {k: v for k, v in claims(server).items() if k != "state"}
    back = redirect_params(authorize(server, "jar-app", sign(inner, "ES256"), state="outer"))
    assert back["state"] == "outer" and "code" in back


def test_json_valued_parameters_inside_the_request_object_are_understood(server):
    token = sign(claims(server, max_age=86400, claims={"id_token": {"email": None}}), "ES256")
    back = redirect_params(authorize(server, "jar-app", token))
    id_token = verify_jwt(server, redeem(server, "jar-app", back["code"])["id_token"])
    assert id_token["email"] == "alice@example.com"


def test_request_and_request_uri_together_are_invalid_request(server):
    back = redirect_params(authorize(server, "jar-app", sign(claims(server), "ES256"),
                                     request_uri="http://127.0.0.1:1/r", redirect_uri=REDIRECT))
    assert back["error"] == "invalid_request"


def test_invalid_request_object_with_an_unregistered_redirect_uri_gets_an_error_page(server):
    page = authorize(server, "jar-app", unsigned(claims(server)),
                     redirect_uri="http://evil.example/cb")
    assert page.status_code == 400 and "Location" not in page.headers
    assert "invalid_request_object" in page.text


def test_invalid_request_object_without_an_outer_redirect_uri_goes_to_the_only_one(server):
    back = redirect_params(authorize(server, "jar-app", "not-a-jwt"))
    assert back["error"] == "invalid_request_object"


def test_refusal_reason_is_in_the_audit_log_not_in_the_response(server):
    back = redirect_params(authorize(server, "jar-app", unsigned(claims(server)),
                                     redirect_uri=REDIRECT))
    assert back["error_description"] == "Invalid 'request' object."
    latest = server.store.find_events(event="request_object.refused", limit=1)[0]
    assert "alg 'none' is not allowed" in latest.fields["reason"]


@pytest.mark.parametrize("alg", ["RSA-OAEP", "RSA-OAEP-256"])
@pytest.mark.parametrize("enc", ["A128CBC-HS256", "A256CBC-HS512", "A128GCM", "A256GCM"])
def test_request_object_encrypted_to_the_op_key_is_accepted(server, alg, enc):
    token = encrypt_to_op(server, sign(claims(server), "RS256"), alg, enc)
    back = redirect_params(authorize(server, "jar-app", token))
    assert back["state"] == "inner-state" and "code" in back


def test_request_object_encrypted_to_another_key_is_refused(server):
    token = encrypt_to_op(server, sign(claims(server), "RS256"), key=STRANGER_KEY)
    back = redirect_params(authorize(server, "jar-app", token, redirect_uri=REDIRECT))
    assert back["error"] == "invalid_request_object"


def test_encryption_other_than_the_registered_one_is_refused(server):
    signed = sign(claims(server, "jar-encrypting-app"), "RS256")
    refused = encrypt_to_op(server, signed, "RSA-OAEP", "A256GCM")
    back = redirect_params(authorize(server, "jar-encrypting-app", refused, redirect_uri=REDIRECT))
    assert back["error"] == "invalid_request_object"
    accepted = encrypt_to_op(server, signed, "RSA-OAEP-256", "A256GCM")
    assert "code" in redirect_params(authorize(server, "jar-encrypting-app", accepted))


def test_client_that_requires_signed_request_objects_is_refused_a_plain_request(server):
    back = redirect_params(server.browser.authorize(
        client_id="jar-signed-only-app", response_type="code", redirect_uri=REDIRECT,
        scope="openid", state="plain"))
    assert back["error"] == "invalid_request" and back["state"] == "plain"
    signed = sign(claims(server, "jar-signed-only-app"), "EdDSA")
    assert "code" in redirect_params(authorize(server, "jar-signed-only-app", signed))


def test_signing_keys_cover_every_asymmetric_alg():
    assert set(ASYMMETRIC) <= set(SIGNING_KEYS)
