"""Hostile Dynamic Client Registration (RFC 7591 §3) and management (RFC 7592 §2): nested,
wrongly-typed, huge and non-JSON bodies. A refusal is RFC 7591 §3.2.2's JSON error; a client
that is accepted must then work: it can be read back, sent to the authorization endpoint and,
when it has a secret and client_credentials, get a token, all without a 5xx."""

import base64
import json
from urllib.parse import quote, urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.flows import pkce_pair
from tests.fuzz.strategies import (
    CONTENT_TYPES,
    EXAMPLES,
    HUGE_NUMBERS,
    LIMIT,
    RSA_KEY,
    bearer_header,
    dumps,
    fill,
    fuzz,
    headers,
    json_value,
    jwt_text,
)
from tests.fuzz.wire import Reply, check_json_endpoint, check_page

URIS = ["http://127.0.0.1/cb", "http://localhost:4000/cb", "https://app.example/cb",
        "com.example.app:/cb", "javascript:alert(1)", "http://evil.example/cb",
        "http://127.0.0.1/cb#frag", "", "relative/path", "http://[::1]:8080/cb",
        "urn:ietf:wg:oauth:2.0:oob", "http://127.0.0.1:99999/cb", "http://[::1/cb",
        "https://\ud800.example/", "http://127.0.0.1/cb?a=1&b=\u00e9"]
GRANTS = ["authorization_code", "implicit", "refresh_token", "client_credentials", "password",
          "urn:ietf:params:oauth:grant-type:jwt-bearer", "bogus"]
RESPONSES = ["code", "token", "id_token", "code id_token", "id_token token", "none", "bogus"]
METHODS = ["client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt",
           "none", "tls_client_auth", "bogus"]
PUBLIC_JWK = json.loads(RSA_KEY.export_public())
JWKS = [{"keys": [PUBLIC_JWK]}, {"keys": [{**PUBLIC_JWK, "use": "enc"}]}, {"keys": []},
        {"keys": [{"kty": "RSA"}]}, {"keys": [{"kty": "oct", "k": "AAAA"}]}, {"keys": {}},
        {"keys": [{"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"}]}, {"keys": [5]}, []]


#: Strings no field should choke on: lone surrogates, NUL, controls, bidi overrides, size.
ODD_TEXT = ["\ud800", "a\udfffb", "\x00", "\x1b[0m", "\u202e", "a" * 5000, ""]


def plausible(*choices) -> st.SearchStrategy:
    """Mostly a value of the right kind (listed, or an odd string); sometimes any JSON."""
    return st.one_of(st.sampled_from(list(choices)), st.sampled_from(list(choices)),
                     st.sampled_from(ODD_TEXT), json_value())


def some(choices: list) -> st.SearchStrategy:
    return st.one_of(st.lists(st.sampled_from(choices + ODD_TEXT[:3]), max_size=3),
                     st.lists(st.sampled_from(choices), max_size=3), json_value())


SIGNING = ["RS256", "PS256", "ES256", "EdDSA", "HS256", "none", "bogus"]
FIELDS = {
    "redirect_uris": some(URIS), "grant_types": some(GRANTS), "response_types": some(RESPONSES),
    "token_endpoint_auth_method": plausible(*METHODS),
    "scope": plausible("openid", "openid profile", "api.read", "bogus", ""),
    "client_name": plausible("app", "\ud800", "a" * 5000, "<b>x</b>", "\x00"),
    "client_name#fr": plausible("appli"), "logo_uri": plausible(*URIS), "contacts": some(URIS),
    "jwks": plausible(*JWKS), "jwks_uri": plausible("http://127.0.0.1:9/jwks", *URIS),
    "application_type": plausible("web", "native", "WEB"),
    "subject_type": plausible("public", "pairwise"),
    "sector_identifier_uri": plausible("http://127.0.0.1:9/sector", "https://x.example/s"),
    "id_token_signed_response_alg": plausible(*SIGNING),
    "userinfo_signed_response_alg": plausible(*SIGNING),
    "id_token_encrypted_response_alg": plausible("RSA-OAEP", "ECDH-ES", "dir"),
    "id_token_encrypted_response_enc": plausible("A128GCM", "A128CBC-HS256", "bogus"),
    "userinfo_encrypted_response_alg": plausible("RSA-OAEP-256"),
    "token_endpoint_auth_signing_alg": plausible(*SIGNING),
    "default_max_age": plausible(*HUGE_NUMBERS, -1, 0, 3600),
    "require_auth_time": plausible(True, False, "true"),
    "default_acr_values": some(["0", "1"]), "post_logout_redirect_uris": some(URIS),
    "access_token_as_jwt": plausible(True, False, 1),
    "access_token_signing_alg": plausible(*SIGNING),
    "access_token_lifetime": plausible(*HUGE_NUMBERS, 1, 3600, -5, True),
    "redirect_uris_regex": plausible("http://127\\.0\\.0\\.1/.*", "[", "(?P<x", ""),
    "authorized_origins": some(["http://localhost:5173", "http://x/path", "null"]),
    "spontaneous_scopes": some(["^x$", "["]), "par_lifetime": plausible(*HUGE_NUMBERS, 60),
    "require_pkce": plausible(True, False), "software_statement": jwt_text(),
    "request_uris": some(URIS), "initiate_login_uri": plausible(*URIS),
    "client_id": plausible("mine", "demo-web"), "client_secret": plausible("mine"),
    "registration_access_token": plausible("mine"),
}
#: Metadata the server accepts, to mutate one field at a time: most fuzz then gets past the
#: first refusal and reaches the clients the server really registers.
VALID = [
    {"redirect_uris": ["http://127.0.0.1/cb"]},
    {"grant_types": ["client_credentials"], "scope": "api.read",
     "token_endpoint_auth_method": "client_secret_post"},
    {"redirect_uris": ["http://127.0.0.1/cb"], "grant_types": ["authorization_code", "implicit"],
     "response_types": ["code id_token"], "token_endpoint_auth_method": "none"},
    {"redirect_uris": ["http://127.0.0.1/cb"], "token_endpoint_auth_method": "private_key_jwt",
     "jwks": JWKS[0]},
]


@st.composite
def mutated_metadata(draw) -> dict:
    metadata = dict(draw(st.sampled_from(VALID)))
    for name in draw(st.lists(st.sampled_from(sorted(FIELDS)), min_size=1, max_size=3)):
        metadata[name] = draw(FIELDS[name])
    return metadata


METADATA = st.one_of(mutated_metadata(), mutated_metadata(), mutated_metadata(),
                     st.fixed_dictionaries({}, optional=FIELDS), json_value())
RAW_BODIES = [b"", b"NaN", b"Infinity", b'{"a": NaN}', b'{"a": -Infinity}', b"[" * 30000,
              b'{"a":' * 10000, b"{" + b"\xff\xfe" + b"}", b'{"redirect_uris": ["\xed\xa0\x80"]}',
              b'\xef\xbb\xbf{"redirect_uris":["http://127.0.0.1/cb"]}',
              '{"redirect_uris":["http://127.0.0.1/cb"]}'.encode("utf-16"),
              b'{"redirect_uris":["http://127.0.0.1/cb"]} trailing', b'{"a":1,"a":2}',
              b'{"client_name":"' + b"a" * (LIMIT - 20) + b'"}', b"1" * 5000, b"null", b"\x00",
              b'{"default_max_age": 1' + b"0" * 4400 + b"}"]
BODIES = st.one_of(METADATA.map(dumps), METADATA.map(dumps), METADATA.map(dumps),
                   st.sampled_from(RAW_BODIES), st.binary(max_size=200))


def basic(client_id: str, secret: str) -> bytes:
    return b"Basic " + base64.b64encode(f"{quote(client_id)}:{quote(secret)}".encode())


def exercise(target, reply: Reply) -> None:
    """A client the server accepted must work everywhere it can go (RFC 7592 §2.1 read,
    authorization, client_credentials), without a 5xx."""
    info = json.loads(reply.body)
    client_id, token = info["client_id"], info["registration_access_token"]
    wire = target.wire
    path = "/register/" + quote(client_id, safe="")
    read = wire.send("GET", path, [(b"Authorization", b"Bearer " + token.encode())])
    check_json_endpoint(read)
    assert read.status == 200, read.describe()
    uris = info.get("redirect_uris") or []
    response_types = info.get("response_types") or []
    if uris and response_types:
        _, challenge = pkce_pair()
        query = urlencode({"client_id": client_id, "redirect_uri": uris[0], "nonce": "n",
                           "response_type": response_types[0], "scope": info.get("scope", ""),
                           "code_challenge": challenge, "code_challenge_method": "S256"})
        for cookie in ([], [(b"Cookie", b"pocket_op_session=" + target.session_cookie.encode())]):
            check_page(wire.send("GET", "/authorize?" + query, cookie), tuple(uris))
    if info.get("client_secret") and "client_credentials" in info.get("grant_types", []):
        auth = basic(client_id, info["client_secret"])
        post = info.get("token_endpoint_auth_method") == "client_secret_post"
        body = urlencode({"grant_type": "client_credentials", **(
            {"client_id": client_id, "client_secret": info["client_secret"]} if post else {})})
        granted = wire.send("POST", "/token", [
            (b"Content-Type", b"application/x-www-form-urlencoded"),
            *([] if post else [(b"Authorization", auth)])], body.encode())
        check_json_endpoint(granted)
    deleted = wire.send("DELETE", path, [(b"Authorization", b"Bearer " + token.encode())])
    check_json_endpoint(deleted)


@fuzz
@given(body=BODIES, content_type=st.sampled_from([b"application/json"] * 6 + CONTENT_TYPES),
       extra=headers(bearer_header(), content_type=False))
def test_hostile_registration_is_refused_in_json_or_gives_a_working_client(
        target, body, content_type, extra):
    reply = target.wire.send("POST", "/register", [(b"Content-Type", content_type), *extra],
                             body)
    check_json_endpoint(reply)
    if reply.status == 201:
        exercise(target, reply)


def with_client_id(body: bytes, client_id: str) -> bytes:
    """RFC 7592 §2.2 wants the client_id in the body: add it, to get past that first check."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return body
    if not isinstance(data, dict):
        return body
    return dumps({"client_id": client_id, **data})


ODD_SCALARS = st.one_of(st.sampled_from(HUGE_NUMBERS), st.sampled_from(ODD_TEXT),
                       st.sampled_from([True, None, [], {}, [None]]),
                       st.text(st.characters(categories=["Cs", "Cc", "Zl", "Mn", "Lo"]),
                               max_size=8))
#: Valid metadata that goes everywhere: the authorization endpoint and client_credentials.
EVERYWHERE = {"redirect_uris": ["http://127.0.0.1/cb"], "scope": "openid api.read",
              "grant_types": ["authorization_code", "client_credentials", "refresh_token"]}


@pytest.mark.parametrize("field", sorted(FIELDS))
@settings(fuzz, max_examples=max(4, EXAMPLES // 4))
@given(odd=ODD_SCALARS)
def test_an_odd_scalar_in_one_field_is_refused_in_json_or_gives_a_working_client(
        target, field, odd):
    """One field of valid metadata set to an odd string or number (lone surrogates, NUL,
    2**64, 10**400...), so the rest passes and the odd value reaches wherever it is used."""
    value = [odd] if field in ("redirect_uris", "contacts", "request_uris") else odd
    reply = target.wire.send("POST", "/register", [(b"Content-Type", b"application/json")],
                             dumps({**EVERYWHERE, field: value}))
    check_json_endpoint(reply)
    if reply.status == 201:
        exercise(target, reply)


CLIENT_IDS = st.one_of(st.sampled_from(["@reg_client", "demo-web", "x", "..", "%2e%2e", "%00",
                                        "%ff", "a" * 5000, "@reg_client%00", "@reg_client/x"]),
                       st.binary(max_size=30).map(lambda raw: quote(raw, safe="")))


@fuzz
@given(method=st.sampled_from(["GET", "PUT", "DELETE", "POST", "PATCH"]), client_id=CLIENT_IDS,
       authorization=bearer_header(["@reg_token"]), body=BODIES,
       content_type=st.sampled_from([b"application/json"] * 4 + CONTENT_TYPES),
       extra=headers(content_type=False))
def test_hostile_client_configuration_request_gets_the_json_error_shape(
        target, method, client_id, authorization, body, content_type, extra):
    """RFC 7592 §2: read, replace and delete with wrong tokens, ids and bodies. DELETE never
    carries the real token, so the client stays for the next examples."""
    values = target.placeholders()
    (_, auth, _), (_, path, _) = fill([(b"", authorization, ""),
                                       (b"", client_id.encode(), "")], values)
    if method == "DELETE":
        auth = auth.replace(values[b"@reg_token"], b"not-the-token")
    if method == "PUT":
        body = with_client_id(body, values[b"@reg_client"].decode())
    reply = target.wire.send(method, b"/register/" + path,
                             [(b"Authorization", auth), (b"Content-Type", content_type), *extra],
                             body if method in ("PUT", "POST", "PATCH") else b"")
    check_json_endpoint(reply)
