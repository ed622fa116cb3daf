"""What the fuzz found, pinned: each input once answered 500, now answers as the spec says."""

import base64
import json
from urllib.parse import urlencode

import pytest

from tests.flows import SPA_REDIRECT, pkce_pair
from tests.fuzz.wire import check_json_endpoint, check_page

FORM = (b"Content-Type", b"application/x-www-form-urlencoded")
_, CHALLENGE = pkce_pair()


def authorize_query(**overrides) -> str:
    params = {"client_id": "demo-spa", "response_type": "code", "scope": "openid",
              "redirect_uri": SPA_REDIRECT, "code_challenge": CHALLENGE,
              "code_challenge_method": "S256", "state": "st", **overrides}
    return "/authorize?" + urlencode(params)


@pytest.mark.parametrize("path", ["/token", "/introspect", "/revoke"])
@pytest.mark.parametrize("credentials", [
    b"Basic \xc2\xa6\xff", b"Basic " + base64.b64encode(b"\xff\xfe:\x00"),
], ids=["not-ascii", "not-utf8"])
def test_basic_credentials_that_are_not_base64_of_utf8_are_invalid_client(
        target, path, credentials):
    """RFC 6749 §2.3.1 / §5.2: Authlib raised ValueError decoding them (a 500)."""
    reply = target.wire.send("POST", path, [FORM, (b"Authorization", credentials)],
                             b"grant_type=client_credentials&token=x")
    check_json_endpoint(reply)
    assert reply.status == 401 and json.loads(reply.body)["error"] == "invalid_client"


@pytest.mark.parametrize("response_type", ['code"', "c\\ode", "códe"],
                         ids=["quote", "backslash", "non-ascii"])
def test_response_type_with_characters_error_descriptions_forbid_is_unsupported(
        target, response_type):
    """RFC 6749 §4.1.2.1: Authlib copied the value into the description and refused the
    characters §5.2 forbids there (a 500); the client and redirect_uri are verified, so the
    error goes back to the client."""
    reply = target.wire.send("GET", authorize_query(response_type=response_type))
    check_page(reply)
    assert reply.status == 302 and "error=unsupported_response_type" in \
        reply.headers["Location"]


@pytest.mark.parametrize("redirect_uri", ['http://127.0.0.1/"', "http://127.0.0.1/\\",
                                          "http://127.0.0.1/é"],
                         ids=["quote", "backslash", "non-ascii"])
def test_unregistered_redirect_uri_with_characters_error_descriptions_forbid_gets_a_page(
        target, redirect_uri):
    """RFC 6749 §4.1.2.1: Authlib copied the URI into the description (a 500); an
    unregistered redirect_uri gets the error page."""
    reply = target.wire.send("GET", authorize_query(redirect_uri=redirect_uri))
    check_page(reply)
    assert reply.status == 400 and reply.mimetype == "text/html"


def test_unsupported_grant_type_has_a_description(target):
    """STYLE.md's one error shape: Authlib's unsupported_grant_type had no description."""
    reply = target.wire.send("POST", "/token", [FORM], b"grant_type=banana")
    check_json_endpoint(reply)
    assert json.loads(reply.body)["error_description"] == "Unsupported 'grant_type' in request."


@pytest.mark.parametrize("metadata", [
    {"client_name": "\ud800"}, {"contacts": ["a\udfffb"]}, {"x-unknown": "\ud800"},
], ids=["client-name", "contacts", "unknown-field"])
def test_registration_with_a_lone_surrogate_is_invalid_request(target, metadata):
    """RFC 8259 §8.2: such a client was registered, then its login page failed to encode
    (a 500 at the authorization endpoint)."""
    body = json.dumps({"redirect_uris": ["http://127.0.0.1/cb"], **metadata}).encode()
    reply = target.wire.send("POST", "/register", [(b"Content-Type", b"application/json")], body)
    check_json_endpoint(reply)
    assert reply.status == 400 and json.loads(reply.body)["error"] == "invalid_request"


@pytest.mark.parametrize("field", ["access_token_lifetime", "par_lifetime", "default_max_age"])
def test_registration_with_a_lifetime_beyond_32_bits_is_invalid_client_metadata(target, field):
    """RFC 7591 §3.2.2: ``access_token_lifetime`` 10**400 was registered, then every token
    request failed adding it to the clock (OverflowError, a 500)."""
    body = json.dumps({"grant_types": ["client_credentials"], "scope": "api.read",
                       field: 10**400}).encode()
    reply = target.wire.send("POST", "/register", [(b"Content-Type", b"application/json")], body)
    check_json_endpoint(reply)
    assert reply.status == 400 and json.loads(reply.body) == {
        "error": "invalid_client_metadata",
        "error_description": f"Invalid '{field}': expected an integer from "
                             f"{0 if field == 'default_max_age' else 1} to 2147483647."}



@pytest.mark.parametrize("claim", ["jti", "sub", "iss", "aud"])
def test_a_signed_client_assertion_with_a_lone_surrogate_is_invalid_client(target, claim):
    """RFC 8259 §8.2, RFC 7523 §3: the long fuzz found a ``jti`` of ``"\\ud800"`` (escaped in
    the payload, signed with the client's real secret) reaching the jti store, where it could
    not be encoded (a 500)."""
    from tests.fuzz.test_signed_jwts import HMAC_KEY, assertion_claims, sign

    claims = {**assertion_claims(target, "fuzz-hmac"), claim: "a\ud800"}
    form = {"grant_type": "client_credentials", "client_assertion": sign({}, claims, HMAC_KEY,
                                                                         "HS256"),
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}
    reply = target.wire.send("POST", "/token", [FORM], urlencode(form).encode())
    check_json_endpoint(reply)
    assert reply.status == 401 and json.loads(reply.body)["error"] == "invalid_client"


def test_an_admin_api_body_with_a_lone_surrogate_is_invalid_request(target):
    """RFC 8259 §8.2: the admin API stored such a scope description as it came."""
    server = target.server
    reply = target.wire.send("POST", "/admin/api/scopes", [
        (b"Content-Type", b"application/json"),
        (b"Authorization", f"Bearer {server.app.admin_launch_token}".encode())],
        b'{"name": "s1", "kind": "oauth", "description": "a\\ud800"}')
    check_json_endpoint(reply)
    assert reply.status == 400 and json.loads(reply.body)["error"] == "invalid_request"


@pytest.mark.parametrize("path", ["/register/%2F%00", "/register//demo-web",
                                  "/.well-known//openid-configuration", "/register/"],
                         ids=["encoded-slash-nul", "double-slash", "inner-double-slash",
                              "trailing-slash"])
def test_a_malformed_path_is_a_json_error_never_a_redirect(target, path):
    """Werkzeug merged the slashes and answered a 308 HTML redirect (the long fuzz, seed
    3533646441): routing normalisation must not produce HTML on a JSON endpoint."""
    reply = target.wire.send("GET", path, [], b"")
    check_json_endpoint(reply)
    assert reply.status in (404, 405) and reply.mimetype == "application/json"
