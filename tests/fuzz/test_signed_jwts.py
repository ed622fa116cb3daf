"""JWTs whose signature verifies but whose contents are hostile, so the checks after the
signature run on them: client assertions (RFC 7523 §3, OIDC Core §9) signed with the
client's real secret or key, and ``id_token_hint`` values (OIDC Core §3.1.2.1) signed with
the OP's own key. Wrong claim types, non-object payloads and odd headers get
``invalid_client`` / ``invalid_request``, never a 5xx or a leak."""

import json
import time
import uuid
from urllib.parse import urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import OctKey, RSAKey

from app.keys import signing_key
from tests.flows import SPA_REDIRECT, pkce_pair
from tests.fuzz.strategies import HMAC_SECRET, RSA_KEY, dumps, fuzz, json_value
from tests.fuzz.wire import check_json_endpoint, check_page

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
HMAC_KEY = OctKey.import_key(HMAC_SECRET)
CLIENT_RSA = RSAKey.import_key(json.loads(RSA_KEY.export_private()))
CLAIM_NAMES = ("iss", "sub", "aud", "exp", "iat", "nbf", "jti")
EXTRA_HEADERS = [{}, {"kid": 5}, {"kid": "x" * 5000}, {"typ": ["JWT"]}, {"cty": "JWT"},
                 {"x5c": "not-a-list"}, {"jku": "http://127.0.0.1:9/"}, {"kid": None}]


@st.composite
def mutated_claims(draw, valid: dict):
    """The valid claims with some replaced by any JSON, dropped or added; or no object."""
    if draw(st.integers(0, 9)) == 0:
        return draw(json_value())
    claims = dict(valid)
    for name in CLAIM_NAMES:
        action = draw(st.sampled_from(["keep", "keep", "keep", "replace", "drop"]))
        if action == "replace":
            claims[name] = draw(json_value())
        elif action == "drop":
            claims.pop(name, None)
    return claims


def sign(header: dict, payload, key, alg: str) -> str:
    try:
        return jws.serialize_compact({**header, "alg": alg}, dumps(payload), key,
                                     algorithms=[alg])
    except (JoseError, ValueError, TypeError):
        return jws.serialize_compact({"alg": alg}, dumps(payload), key, algorithms=[alg])


def assertion_claims(target, client_id: str) -> dict:
    now = int(time.time())
    return {"iss": client_id, "sub": client_id, "aud": target.server.issuer + "/token",
            "exp": now + 60, "iat": now, "jti": str(uuid.uuid4())}


@pytest.mark.parametrize("client", ["fuzz-hmac", "fuzz-pkjwt"])
def test_an_assertion_with_valid_claims_authenticates(target, client):
    """The keys the fuzz signs with are the clients' own, so hostile claims below really
    get past the signature check."""
    key, alg = (HMAC_KEY, "HS256") if client == "fuzz-hmac" else (CLIENT_RSA, "RS256")
    form = {"grant_type": "client_credentials", "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": sign({}, assertion_claims(target, client), key, alg)}
    reply = target.wire.send("POST", "/token", [(b"Content-Type",
                                                 b"application/x-www-form-urlencoded")],
                             urlencode(form).encode())
    assert reply.status == 200, reply.describe()


@fuzz
@given(data=st.data(), client=st.sampled_from(["fuzz-hmac", "fuzz-pkjwt"]),
       path=st.sampled_from(["/token", "/token", "/introspect", "/revoke"]),
       header=st.sampled_from(EXTRA_HEADERS))
def test_signed_client_assertion_with_hostile_claims_is_invalid_client_or_accepted(
        target, data, client, path, header):
    claims = data.draw(mutated_claims(assertion_claims(target, client)))
    key, alg = (HMAC_KEY, "HS256") if client == "fuzz-hmac" else (CLIENT_RSA, "RS256")
    form = {"client_assertion_type": ASSERTION_TYPE,
            "client_assertion": sign(header, claims, key, alg)}
    form.update({"grant_type": "client_credentials"} if path == "/token" else {"token": "x"})
    reply = target.wire.send("POST", path, [(b"Content-Type",
                                             b"application/x-www-form-urlencoded")],
                             urlencode(form).encode())
    check_json_endpoint(reply)
    if reply.status >= 400:
        assert json.loads(reply.body)["error"] in ("invalid_client", "invalid_request"), \
            reply.describe()


@fuzz
@given(data=st.data(), header=st.sampled_from(EXTRA_HEADERS), prompt=st.sampled_from(["", "none"]))
def test_signed_id_token_hint_with_hostile_claims_gets_a_page_or_a_registered_redirect(
        target, data, header, prompt):
    store = target.server.store
    now = int(time.time())
    valid = {"iss": target.server.issuer, "sub": store.get_user("alice").sub, "aud": "demo-spa",
             "exp": now + 60, "iat": now}
    claims = data.draw(mutated_claims(valid))
    with target.server.app.app_context():
        key = signing_key(store, "RS256")
    hint = sign({"kid": key.kid, **header}, claims, key, "RS256")
    _, challenge = pkce_pair()
    params = {"client_id": "demo-spa", "response_type": "code", "scope": "openid",
              "redirect_uri": SPA_REDIRECT, "code_challenge": challenge, "nonce": "n",
              "code_challenge_method": "S256", "id_token_hint": hint,
              **({"prompt": prompt} if prompt else {})}
    reply = target.wire.send("GET", "/authorize?" + urlencode(params), [
        (b"Cookie", b"pocket_op_session=" + target.session_cookie.encode())])
    check_page(reply)
