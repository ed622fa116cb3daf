"""OpenID Connect Registration §2 request object and JARM fields at the real registration
endpoint: every advertised value is accepted, anything else is invalid_client_metadata
naming the field."""

import pytest

from tests.request_objects import public_jwks

BASE = {"redirect_uris": ["https://app.example/cb"], "client_name": "Request object app",
        "jwks": public_jwks()}
SIGNING_FIELDS = {
    "request_object_signing_alg": "request_object_signing_alg_values_supported",
    "request_object_encryption_alg": "request_object_encryption_alg_values_supported",
    "request_object_encryption_enc": "request_object_encryption_enc_values_supported",
    "authorization_signed_response_alg": "authorization_signing_alg_values_supported",
    "authorization_encrypted_response_alg": "authorization_encryption_alg_values_supported",
}


@pytest.mark.parametrize("field", list(SIGNING_FIELDS))
def test_every_advertised_value_is_accepted_at_registration(fresh_server, field):
    server = fresh_server()
    document = server.get("/.well-known/openid-configuration").json()
    for value in document[SIGNING_FIELDS[field]]:
        extra = {"request_object_encryption_alg": "RSA-OAEP"} if field.endswith("_enc") else {}
        response = server.post("/register", json={**BASE, **extra, field: value})
        assert response.status_code == 201, (value, response.text)
        assert response.json()[field] == value


INVALID = [
    ("request-object-signing-alg-unknown", {"request_object_signing_alg": "RS1"}),
    ("request-object-encryption-ecdh", {"request_object_encryption_alg": "ECDH-ES"}),
    ("request-object-encryption-enc-unknown", {"request_object_encryption_alg": "RSA-OAEP",
                                               "request_object_encryption_enc": "A1GCM"}),
    ("authorization-signed-response-none", {"authorization_signed_response_alg": "none"}),
    ("par-lifetime-zero", {"par_lifetime": 0}),
    ("require-par-string", {"require_par": "yes"}),
    ("request-uris-not-urls", {"request_uris": ["not a url"]}),
]


@pytest.mark.parametrize("changes", [case[1] for case in INVALID],
                         ids=[case[0] for case in INVALID])
def test_unsupported_value_is_invalid_client_metadata_naming_the_field(live_server, changes):
    response = live_server.post("/register", json={**BASE, **changes})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_client_metadata"
    assert f"'{list(changes)[-1]}'" in body["error_description"]
