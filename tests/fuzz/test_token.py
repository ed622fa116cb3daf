"""Hostile token requests (RFC 6749 §3.2, §5.2): every grant_type and garbage ones, every
client authentication, wrong content types and duplicated parameters. The answer is a token
or the JSON error shape, never a 5xx or a leak."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.flows import SPA_REDIRECT, WEB_REDIRECT, pkce_pair
from tests.fuzz.strategies import (
    CONTENT_TYPES,
    basic_header,
    fill,
    fuzz,
    headers,
    jwt,
    known,
    params,
    value,
)
from tests.fuzz.wire import check_json_endpoint, encode_pairs

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
GRANT_TYPES = ("authorization_code", "refresh_token", "client_credentials", "password",
               "urn:ietf:params:oauth:grant-type:jwt-bearer",
               "urn:ietf:params:oauth:grant-type:device_code",
               "urn:ietf:params:oauth:grant-type:token-exchange",
               "urn:openid:params:grant-type:ciba", "implicit", "AUTHORIZATION_CODE", "")
FIELDS = {
    "grant_type": known(*GRANT_TYPES),
    "code": known("@access", "@refresh"),
    "redirect_uri": known(WEB_REDIRECT, SPA_REDIRECT, "http://127.0.0.1:9/callback"),
    "code_verifier": known(pkce_pair()[0], "x" * 43, "x" * 129),
    "refresh_token": known("@refresh", "@access", "@refresh@refresh"),
    "scope": known("openid", "api.read", "api.read api.write", "offline_access", "openid x"),
    "username": known("alice", "bob", "admin", "alice\x00"),
    "password": known("alice", "bob", "wrong"),
    "client_id": known("demo-web", "demo-spa", "demo-machine", "fuzz-hmac", "fuzz-password",
                       "unknown"),
    "client_secret": known("@secret", "wrong"),
    "client_assertion_type": known(ASSERTION_TYPE),
    "client_assertion": jwt(),
    "assertion": jwt(),
    "subject_token": known("@access"),
    "device_code": value(),
    "auth_req_id": value(),
    "resource": known("https://api.example", "relative"),
    "audience": value(),
}
BASES = [
    {"grant_type": "client_credentials", "scope": "api.read"},
    {"grant_type": "refresh_token", "refresh_token": "@refresh"},
    {"grant_type": "authorization_code", "code": "x", "redirect_uri": WEB_REDIRECT},
    {"grant_type": "password", "username": "alice", "password": "alice",
     "client_id": "fuzz-password", "client_secret": "@secret", "scope": "openid"},
    {"grant_type": "authorization_code", "code": "x", "redirect_uri": SPA_REDIRECT,
     "client_id": "demo-spa", "code_verifier": "x" * 43},
    {"grant_type": "client_credentials", "client_assertion_type": ASSERTION_TYPE,
     "client_assertion": "x"},
]
REQUESTS = st.sampled_from(BASES).flatmap(lambda base: params(FIELDS, base))
AUTHORIZATION = st.one_of(basic_header("demo-machine"), basic_header("demo-web"),
                          basic_header("fuzz-password"))


@pytest.fixture(scope="module", autouse=True)
def fresh_tokens(target):
    target.renew_tokens()


@fuzz
@given(pairs=REQUESTS, extra=headers(AUTHORIZATION, content_type=False),
       content_type=st.sampled_from(CONTENT_TYPES[:1] * 6 + CONTENT_TYPES))
def test_hostile_token_request_gets_a_token_or_the_json_error_shape(
        target, pairs, extra, content_type):
    body = encode_pairs(fill(pairs, target.placeholders()))
    reply = target.wire.send("POST", "/token", [(b"Content-Type", content_type), *extra], body)
    check_json_endpoint(reply)


@fuzz
@given(method=st.sampled_from(["GET", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE",
                               "FOO"]),
       pairs=REQUESTS, extra=headers(AUTHORIZATION))
def test_token_endpoint_with_another_method_gets_the_json_error_shape(
        target, method, pairs, extra):
    query = encode_pairs(fill(pairs, target.placeholders()))
    reply = target.wire.send(method, b"/token?" + query, extra)
    check_json_endpoint(reply)


CODE_FIELDS = {
    "grant_type": known("authorization_code"),
    "code": known("@code", "@code@code", "@code\x00"),
    "redirect_uri": known(SPA_REDIRECT, SPA_REDIRECT + "/", "http://127.0.0.1:1/callback",
                          "http://[::1]/callback", "http://127.0.0.1/callback?x=1"),
    "code_verifier": known("@verifier", "@verifier\n", "@verifier@verifier", "x" * 43,
                           "x" * 43 + "\n", "@code"),
    "client_id": known("demo-spa", "demo-web", "fuzz-hybrid"),
    "client_secret": known("@secret"),
}
REFRESH_FIELDS = {
    "grant_type": known("refresh_token"),
    "refresh_token": known("@fresh", "@fresh@fresh", "@fresh\x00", "@access"),
    "scope": known("openid", "openid offline_access", "openid profile", "api.read", ""),
    "client_id": known("demo-web", "demo-spa"),
}


@fuzz
@given(pairs=params(CODE_FIELDS, {"grant_type": "authorization_code", "code": "@code",
                                  "redirect_uri": SPA_REDIRECT, "client_id": "demo-spa",
                                  "code_verifier": "@verifier"}),
       extra=headers(basic_header("demo-web"), content_type=False))
def test_redeeming_a_real_code_with_hostile_parameters_gets_tokens_or_the_json_error_shape(
        target, pairs, extra):
    code, verifier = target.new_code()
    values = {**target.placeholders(), b"@code": code.encode(), b"@verifier": verifier.encode()}
    reply = target.wire.send("POST", "/token", [
        (b"Content-Type", b"application/x-www-form-urlencoded"), *extra],
        encode_pairs(fill(pairs, values)))
    check_json_endpoint(reply)


@fuzz
@given(pairs=params(REFRESH_FIELDS, {"grant_type": "refresh_token", "refresh_token": "@fresh"}),
       authorization=basic_header("demo-web"), extra=headers(content_type=False))
def test_using_a_real_refresh_token_with_hostile_parameters_gets_tokens_or_the_json_error_shape(
        target, pairs, authorization, extra):
    values = {**target.placeholders(), b"@fresh": target.new_refresh_token().encode()}
    reply = target.wire.send("POST", "/token", [
        (b"Content-Type", b"application/x-www-form-urlencoded"),
        (b"Authorization", authorization), *extra], encode_pairs(fill(pairs, values)))
    check_json_endpoint(reply)
