"""Hostile authorization requests (RFC 6749 §3.1, OpenID Connect Core §3.1.2.1), as a GET
query and as a POST form, with and without an SSO session: the answer is an HTML page or a
redirect to a registered redirect URI, never a 5xx or a leak."""

from hypothesis import given
from hypothesis import strategies as st

from tests.flows import SPA_REDIRECT, WEB_REDIRECT, pkce_pair
from tests.fuzz.strategies import CONTENT_TYPES, fuzz, headers, jwt, known, params, value
from tests.fuzz.wire import check_page, encode_pairs

VERIFIER, CHALLENGE = pkce_pair()
SPA = {"client_id": "demo-spa", "response_type": "code", "scope": "openid profile email",
       "redirect_uri": SPA_REDIRECT, "state": "st", "nonce": "n", "code_challenge": CHALLENGE,
       "code_challenge_method": "S256"}
WEB = {"client_id": "demo-web", "response_type": "code", "scope": "openid offline_access",
       "redirect_uri": WEB_REDIRECT, "state": "st", "nonce": "n"}
HYBRID = {"client_id": "fuzz-hybrid", "response_type": "code id_token token", "scope": "openid",
          "redirect_uri": "http://127.0.0.1/callback", "nonce": "n", "response_mode": "form_post",
          "code_challenge": CHALLENGE, "code_challenge_method": "S256"}

FIELDS = {
    "client_id": known("demo-spa", "demo-web", "fuzz-hybrid", "demo-machine", "unknown",
                       "DEMO-SPA", "demo-spa "),
    "response_type": known("code", "token", "id_token", "code id_token", "id_token token",
                           "code id_token token", "none", "code code", "token code", "CODE"),
    "redirect_uri": known(SPA_REDIRECT, WEB_REDIRECT, "http://127.0.0.1/callback",
                          "http://127.0.0.1:1/callback/../x", "http://127.0.0.1.evil/callback",
                          "http://localhost:3000/callback?x=1", "http://localhost:3000/callback#f",
                          "http://[::1]/callback", "http://[::1/callback", "http://127.0.0.1:99999/callback"),
    "scope": known("openid", "openid profile email", "api.read", "offline_access", "openid x"),
    "state": value(),
    "nonce": value(),
    "code_challenge": known(CHALLENGE, "x" * 43, "x" * 129, "x" * 42),
    "code_challenge_method": known("S256", "plain", "s256", "RS256"),
    "response_mode": known("query", "fragment", "form_post", "jwt", "query.jwt"),
    "prompt": known("none", "login", "consent", "select_account", "none login", "create"),
    "max_age": known("0", "-1", "1e3", "99999999999999999999999999", "٣"),
    "claims": known('{"userinfo":{"email":null}}', '{"id_token":{"acr":{"essential":true}}}',
                    "[]", '{"userinfo":5}', '{"id_token":{"x":[1]}}', '{"userinfo":{"a":{}}}'),
    "id_token_hint": jwt(),
    "login_hint": value(),
    "acr_values": known("0", "1", "0 1", "urn:x"),
    "request": jwt(),
    "request_uri": known("urn:ietf:params:oauth:request_uri:x", "http://127.0.0.1:9/x"),
    "ui_locales": value(),
    "display": known("page", "popup", "x"),
}
REQUESTS = st.sampled_from([SPA, WEB, HYBRID]).flatmap(lambda base: params(FIELDS, base))


def cookie(target, signed_in: bool) -> list[tuple[bytes, bytes]]:
    if not signed_in:
        return []
    return [(b"Cookie", b"pocket_op_session=" + target.session_cookie.encode())]


@fuzz
@given(pairs=REQUESTS, signed_in=st.booleans(), extra=headers(content_type=False))
def test_hostile_authorization_query_gets_a_page_or_a_registered_redirect(
        target, pairs, signed_in, extra):
    reply = target.wire.send("GET", b"/authorize?" + encode_pairs(pairs),
                             cookie(target, signed_in) + extra)
    check_page(reply)


@fuzz
@given(pairs=REQUESTS, signed_in=st.booleans(), extra=headers(),
       content_type=st.sampled_from(CONTENT_TYPES[:1] * 4 + CONTENT_TYPES))
def test_hostile_authorization_form_post_gets_a_page_or_a_registered_redirect(
        target, pairs, signed_in, extra, content_type):
    reply = target.wire.send("POST", "/authorize",
                             [(b"Content-Type", content_type), *cookie(target, signed_in), *extra],
                             encode_pairs(pairs))
    check_page(reply)
