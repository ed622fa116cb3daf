"""Hostile calls to the endpoints that take a token: userinfo (OIDC Core §5.3, RFC 6750),
introspection (RFC 7662) and revocation (RFC 7009). Bearer garbage, tokens in two places,
DPoP junk, wrong client authentication: JSON errors, never a 5xx or a leak."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.strategies import (
    ACCEPTS,
    CONTENT_TYPES,
    basic_header,
    bearer_header,
    fill,
    fuzz,
    headers,
    jwt,
    known,
    params,
)
from tests.fuzz.wire import check_json_endpoint, encode_pairs

PLACEHOLDER_TOKENS = ["@access", "@refresh", "@id_token"]
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
TOKEN_FIELDS = {
    "token": st.one_of(known(*PLACEHOLDER_TOKENS, "@access@access"), jwt()),
    "token_type_hint": known("access_token", "refresh_token", "id_token", "ACCESS_TOKEN"),
    "client_id": known("demo-web", "demo-spa", "demo-machine", "fuzz-hmac", "unknown"),
    "client_secret": known("@secret"),
    "client_assertion_type": known(ASSERTION_TYPE),
    "client_assertion": jwt(),
}
TOKEN_BASES = [{"token": "@access"}, {"token": "@refresh", "token_type_hint": "refresh_token"},
               {"token": "@access", "client_id": "demo-spa"}]
TOKEN_REQUESTS = st.sampled_from(TOKEN_BASES).flatmap(lambda base: params(TOKEN_FIELDS, base))
CLIENT_AUTH = st.one_of(basic_header("demo-web"), basic_header("demo-machine"))
USERINFO_FIELDS = {"access_token": st.one_of(known(*PLACEHOLDER_TOKENS), jwt()),
                   "schema": known("openid"), "claims": known('{"userinfo":{"email":null}}')}


@pytest.fixture(scope="module", autouse=True)
def fresh_tokens(target):
    target.renew_tokens()


@fuzz
@given(method=st.sampled_from(["GET", "POST", "POST", "PUT", "DELETE", "HEAD", "OPTIONS"]),
       authorization=st.lists(bearer_header(PLACEHOLDER_TOKENS), max_size=2),
       pairs=params(USERINFO_FIELDS), extra=headers(),
       content_type=st.sampled_from(CONTENT_TYPES))
def test_hostile_userinfo_request_gets_claims_or_a_bearer_error(
        target, method, authorization, pairs, extra, content_type):
    values = target.placeholders()
    auth = [(b"Authorization", fill([(b"", header, "")], values)[0][1]) for header in authorization]
    body = encode_pairs(fill(pairs, values)) if method != "GET" else b""
    query = b"?" + encode_pairs(fill(pairs, values)) if method == "GET" else b""
    reply = target.wire.send(method, b"/userinfo" + query,
                             [(b"Content-Type", content_type), *auth, *extra], body)
    check_json_endpoint(reply)
    if reply.status == 401 and reply.method != "HEAD":
        assert reply.headers.get("WWW-Authenticate", "").startswith("Bearer"), reply.describe()


@fuzz
@given(path=st.sampled_from(["/introspect", "/revoke"]), pairs=TOKEN_REQUESTS,
       extra=headers(CLIENT_AUTH, content_type=False),
       content_type=st.sampled_from(CONTENT_TYPES[:1] * 6 + CONTENT_TYPES),
       accept=st.sampled_from([b"application/json", *ACCEPTS]))
def test_hostile_introspection_or_revocation_gets_an_answer_or_the_json_error_shape(
        target, path, pairs, extra, content_type, accept):
    body = encode_pairs(fill(pairs, target.placeholders()))
    reply = target.wire.send("POST", path, [(b"Content-Type", content_type),
                                            (b"Accept", accept), *extra], body)
    check_json_endpoint(reply)
