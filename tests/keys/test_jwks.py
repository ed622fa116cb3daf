"""The OP's keys over the real jwks_uri, checked with jwcrypto (not joserfc, which made them).

RFC 7517 §5 (JWK Set), RFC 7638 (thumbprint kids), RFC 8037 (OKP keys)."""

import json
import time
import warnings

import pytest
from joserfc import jwe, jwt
from jwcrypto import jwk as jc_jwk
from jwcrypto import jwt as jc_jwt

from app.keys import published_signing_keys, rotate_key, signing_key

PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi", "k", "oth"}


def jwks(server) -> list[dict]:
    response = server.get("/jwks")
    assert response.status_code == 200
    return response.json()["keys"]


def test_jwks_is_served_as_a_jwk_set(live_server):
    response = live_server.get("/jwks")
    assert response.headers["Content-Type"] == "application/jwk-set+json"
    assert isinstance(response.json()["keys"], list)


def test_jwks_holds_rsa_ec_and_okp_signing_keys_and_an_rsa_encryption_key(live_server):
    kinds = sorted((key["kty"], key.get("crv", ""), key["use"]) for key in jwks(live_server))
    assert kinds == [("EC", "P-256", "sig"), ("OKP", "Ed25519", "sig"),
                     ("RSA", "", "enc"), ("RSA", "", "sig")]


def test_jwks_has_no_private_members(live_server):
    for key in jwks(live_server):
        assert not PRIVATE_MEMBERS & set(key), key["kid"]


def test_every_kid_is_unique_and_is_the_rfc7638_thumbprint(live_server):
    keys = jwks(live_server)
    assert len({key["kid"] for key in keys}) == len(keys)
    for key in keys:
        assert key["kid"] == jc_jwk.JWK(**key).thumbprint()


def test_rsa_signing_key_is_2048_bits(live_server):
    rsa = next(k for k in jwks(live_server) if k["kty"] == "RSA" and k["use"] == "sig")
    assert jc_jwk.JWK(**rsa).get_op_key("verify").key_size == 2048


@pytest.mark.parametrize("alg", ["RS256", "PS256", "ES256", "Ed25519", "EdDSA"])
def test_a_token_signed_with_the_active_key_verifies_with_the_published_key(live_server, alg):
    key = signing_key(live_server.store, alg)
    header = {"alg": alg, "kid": key.kid, "typ": "JWT"}
    with warnings.catch_warnings():
        # joserfc flags "EdDSA" as deprecated by RFC 9864; clients still ask for it.
        warnings.filterwarnings("ignore", "EdDSA is deprecated")
        token = jwt.encode(header, {"iss": live_server.issuer, "iat": int(time.time())}, key,
                           algorithms=[alg])
    keyset = jc_jwk.JWKSet.from_json(json.dumps({"keys": jwks(live_server)}))
    verified = jc_jwt.JWT(jwt=token, key=keyset, algs=[alg])
    assert json.loads(verified.claims)["iss"] == live_server.issuer


def test_a_jwe_encrypted_to_the_published_enc_key_decrypts_with_the_private_key(live_server):
    enc = next(k for k in jwks(live_server) if k["use"] == "enc")
    assert enc["alg"] == "RSA-OAEP"
    token = jc_jwt.JWT(header={"alg": "RSA-OAEP", "enc": "A256GCM", "kid": enc["kid"]},
                       claims={"hello": "op"})
    token.make_encrypted_token(jc_jwk.JWK(**enc))
    private = live_server.store.get_private_jwk(enc["kid"])
    from joserfc.jwk import RSAKey

    result = jwe.decrypt_compact(token.serialize(), RSAKey.import_key(private),
                                 algorithms=["RSA-OAEP", "A256GCM"])
    assert json.loads(result.plaintext) == {"hello": "op"}


def test_rotation_publishes_the_new_key_and_keeps_the_old_one_until_retired(fresh_server):
    server = fresh_server()
    old = next(k for k in jwks(server) if k["kty"] == "EC")["kid"]
    new = rotate_key(server.store, old).kid
    ec_kids = [k["kid"] for k in jwks(server) if k["kty"] == "EC"]
    assert set(ec_kids) == {old, new}
    assert signing_key(server.store, "ES256").kid == new
    server.store.retire_key(old)
    assert [k["kid"] for k in jwks(server) if k["kty"] == "EC"] == [new]


def test_retiring_the_active_key_is_refused(fresh_server):
    server = fresh_server()
    active = signing_key(server.store, "EdDSA").kid
    with pytest.raises(ValueError):
        server.store.retire_key(active)
    assert active in [k["kid"] for k in jwks(server)]


def test_the_published_signing_keys_are_the_jwks_sig_keys_a_retired_one_gone(fresh_server):
    server = fresh_server()
    old = signing_key(server.store, "ES256").kid
    new = rotate_key(server.store, old).kid
    server.store.retire_key(old)
    published = {k["kid"] for k in jwks(server) if k["use"] == "sig"}
    keys = published_signing_keys(server.store)
    assert {key.kid for key in keys} == published
    assert new in published and old not in published
    assert not any(key.is_private for key in keys)
