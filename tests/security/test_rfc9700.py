"""The RFC 9700 (Best Current Practice for OAuth 2.0 Security) checklist, one test per item,
each naming the section it covers, against the real HTTP surface.
https://www.rfc-editor.org/rfc/rfc9700

Logout's share of §4.11 (open redirection) and §4.7 (CSRF) is covered with logout itself.
"""

import base64
import hashlib
import hmac
import inspect
import json
import logging
import re
import time
import uuid
from html import unescape
from pathlib import Path

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from jwcrypto import jwk as jc_jwk

from app.logs import configure as configure_logs
from app.store import NotFound
from tests.flows import (
    SPA_REDIRECT,
    TEST_SECRET,
    WEB_REDIRECT,
    Browser,
    basic,
    pkce_pair,
    redeem_web,
    redirect_params,
    spa_request,
    web_code,
    web_tokens,
)

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
CLIENT_KEY = jc_jwk.JWK.generate(kty="RSA", size=2048, kid="client-rsa")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsigned_jwt(claims: dict, alg: str = "none") -> str:
    """``alg: none``: header and claims, empty signature."""
    header = b64url(json.dumps({"alg": alg, "typ": "JWT"}).encode())
    return f"{header}.{b64url(json.dumps(claims).encode())}."


def hs256_jwt(claims: dict, key: bytes) -> str:
    """HS256 computed by hand, so any bytes (a public key in PEM) can be the HMAC key."""
    signing_input = (b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + "."
                     + b64url(json.dumps(claims).encode()))
    signature = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(signature)}"


def assertion_claims(server, client_id: str) -> dict:
    now = int(time.time())
    return {"iss": client_id, "sub": client_id, "aud": server.issuer + "/token", "iat": now,
            "exp": now + 60, "jti": str(uuid.uuid4())}


def form_post_params(html: str) -> dict[str, str]:
    return {unescape(name): unescape(value) for name, value in
            re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', html)}


def redeem_spa(server, code: str, **extra) -> requests.Response:
    return server.post("/token", data={"grant_type": "authorization_code", "code": code,
                                       "redirect_uri": SPA_REDIRECT, "client_id": "demo-spa",
                                       **extra})


def spa_code(server, **overrides) -> tuple[str, str, str]:
    """(code, verifier, challenge) for demo-spa, alice signed in and consenting."""
    params, verifier = spa_request(**overrides)
    back = redirect_params(Browser(server).sign_in_and_allow(**params))
    return back["code"], verifier, params.get("code_challenge", "")


# §4.1 Insufficient redirect URI validation

@pytest.mark.parametrize("redirect_uri", [
    "http://localhost:3000/callback/evil", "http://localhost:3000/callbackx",
    "http://localhost:3000/callbac", "http://localhost:3000/callback?next=http://evil.example",
    "http://localhost:3000/callback#x", "http://localhost:3000/callback/",
    "http://localhost:3000/Callback", "http://localhost:3000/%63allback",
    "http://localhost:3000/callback/../evil", "http://localhost:3000/callback/..%2fevil",
    "http://evil.localhost:3000/callback", "http://localhost.evil.example:3000/callback",
    "http://localhost:3001/callback", "https://localhost:3000/callback",
    "http://localhost:3000@evil.example/callback", "http://evil.example@localhost:3000/callback",
    "HTTP://LOCALHOST:3000/callback", "http://localhost:3000/callback%00",
    "//localhost:3000/callback", "http://127.0.0.1:3000/callback",
], ids=["path-suffix", "suffix", "prefix", "query-added", "fragment", "trailing-slash",
        "case", "percent-encoded", "dot-dot", "encoded-dot-dot", "subdomain", "host-suffix",
        "port", "scheme", "userinfo-evil-host", "userinfo", "uppercase", "nul", "scheme-relative",
        "ip-for-name"])
def test_redirect_uri_must_match_a_registered_one_exactly(live_server, redirect_uri):
    """RFC 9700 §4.1.3 / §2.1: "authorization servers MUST utilize exact string matching"
    (only loopback ports may vary); anything else gets an error page, never a redirect."""
    response = Browser(live_server).authorize(
        client_id="demo-web", response_type="code", scope="openid", redirect_uri=redirect_uri,
        state="st", nonce="n")
    assert response.status_code == 400, response.text[:300]
    assert "Location" not in response.headers
    assert response.headers["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("redirect_uri", [
    "http://127.0.0.1:8765/callback/../x", "http://127.0.0.1.evil.example/callback",
    "http://localhost:8765/callback", "http://127.0.0.2:8765/callback",
    "http://[::2]:8765/callback", "http://127.0.0.1:8765/callback?x=1",
], ids=["dot-dot", "host-suffix", "localhost-name", "other-loopback-ip", "other-ipv6",
        "query-added"])
def test_loopback_redirect_uri_may_differ_only_in_its_port(live_server, redirect_uri):
    """RFC 9700 §2.1 / RFC 8252 §7.3: for loopback redirect URIs only the port may vary."""
    params, _ = spa_request(redirect_uri=redirect_uri)
    response = Browser(live_server).authorize(**params)
    assert response.status_code == 400 and "Location" not in response.headers


# §4.8 PKCE downgrade

def test_public_client_without_code_challenge_is_refused(live_server):
    """RFC 9700 §2.1.1 / §4.8: public clients MUST use PKCE: no code without a challenge."""
    params, _ = spa_request()
    del params["code_challenge"], params["code_challenge_method"]
    back = redirect_params(Browser(live_server).authorize(**params))
    assert back["error"] == "invalid_request" and "code" not in back


def test_code_issued_with_s256_is_not_redeemed_with_the_challenge_as_a_plain_verifier(
        demo_server):
    """RFC 9700 §4.8: no downgrade to ``plain``: presenting the S256 challenge itself as the
    verifier (what an attacker who saw the request holds) is invalid_grant."""
    code, _, challenge = spa_code(demo_server)
    response = redeem_spa(demo_server, code, code_verifier=challenge)
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_code_issued_with_s256_is_not_redeemed_without_a_verifier(demo_server):
    """RFC 9700 §4.8.2: a code bound to a challenge needs its verifier."""
    code, _, _ = spa_code(demo_server)
    response = redeem_spa(demo_server, code)
    assert response.status_code == 400 and response.json()["error"] == "invalid_request"
    assert "access_token" not in response.json()


def test_confidential_client_code_with_a_challenge_is_not_redeemed_without_the_verifier(
        demo_server):
    """RFC 9700 §4.8.2: client authentication does not replace the verifier of a code that
    was issued with a code_challenge."""
    _, challenge = pkce_pair()
    params = {"client_id": "demo-web", "response_type": "code", "scope": "openid",
              "redirect_uri": WEB_REDIRECT, "state": "st", "nonce": "n",
              "code_challenge": challenge, "code_challenge_method": "S256"}
    code = redirect_params(Browser(demo_server).sign_in_and_allow(**params))["code"]
    response = redeem_web(demo_server, code)
    assert response.status_code == 400 and response.json()["error"] == "invalid_request"


def test_verifier_for_a_code_issued_without_a_challenge_is_refused(demo_server):
    """RFC 9700 §4.8.2: "authorization servers MUST ensure that if there was no
    code_challenge in the authorization request, a request to the token endpoint containing
    a code_verifier is rejected"."""
    response = redeem_web(demo_server, web_code(demo_server), code_verifier=pkce_pair()[0])
    assert response.status_code == 400 and response.json()["error"] == "invalid_request"


# §4.5 Authorization code injection and replay

def test_code_is_single_use_and_its_reuse_revokes_the_tokens_it_gave(demo_server):
    """RFC 9700 §4.5 (and RFC 6749 §4.1.2): a code is redeemed once; a second use "MUST
    deny the request and SHOULD revoke ... all tokens previously issued based on that
    authorization code"."""
    code = web_code(demo_server)
    tokens = redeem_web(demo_server, code).json()
    replay = redeem_web(demo_server, code)
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    userinfo = demo_server.get("/userinfo", headers={
        "Authorization": f"Bearer {tokens['access_token']}"})
    assert userinfo.status_code == 401
    refresh = demo_server.post("/token", headers=basic("demo-web"), data={
        "grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]})
    assert refresh.status_code == 400 and refresh.json()["error"] == "invalid_grant"


# §4.14 Refresh token protection

def refresh(server, token: str) -> requests.Response:
    return server.post("/token", headers=basic("demo-web"),
                       data={"grant_type": "refresh_token", "refresh_token": token})


def test_refresh_rotates_the_refresh_token(demo_server):
    """RFC 9700 §4.14.2 refresh token rotation: "the authorization server issues a new
    refresh token with every access token refresh response. The previous refresh token is
    invalidated"."""
    first = web_tokens(demo_server)
    second = refresh(demo_server, first["refresh_token"]).json()
    assert second["refresh_token"] != first["refresh_token"]
    assert refresh(demo_server, second["refresh_token"]).status_code == 200


def test_reuse_of_a_rotated_refresh_token_revokes_the_whole_grant(demo_server):
    """RFC 9700 §4.14.2: when an invalidated refresh token is presented, the authorization
    server "will revoke the active refresh token" (and here the access tokens with it)."""
    first = web_tokens(demo_server)
    second = refresh(demo_server, first["refresh_token"]).json()
    reuse = refresh(demo_server, first["refresh_token"])
    assert reuse.status_code == 400 and reuse.json()["error"] == "invalid_grant"
    assert refresh(demo_server, second["refresh_token"]).json()["error"] == "invalid_grant"
    introspected = demo_server.post("/introspect", headers=basic("demo-web"),
                                    data={"token": second["access_token"]})
    assert introspected.json() == {"active": False}


# §4.4 Mix-up

@pytest.mark.parametrize("mode", ["query", "fragment", "form_post"])
def test_authorization_response_names_its_issuer(demo_server, mode):
    """RFC 9700 §4.4.2.1 (mix-up defense via issuer identification, RFC 9207): ``iss`` in
    every authorization response, in the response mode's place."""
    params, _ = spa_request(response_mode=mode)
    response = Browser(demo_server).sign_in_and_allow(**params)
    back = form_post_params(response.text) if mode == "form_post" else redirect_params(response)
    assert "code" in back and back["iss"] == demo_server.issuer


@pytest.mark.parametrize("mode", ["query", "fragment", "form_post"])
def test_authorization_error_response_names_its_issuer(live_server, mode):
    """RFC 9700 §4.4.2.1 / RFC 9207 §2: error responses carry ``iss`` too."""
    params, _ = spa_request(prompt="none", response_mode=mode)
    response = Browser(live_server).authorize(**params)
    back = form_post_params(response.text) if mode == "form_post" else redirect_params(response)
    assert back["error"] == "login_required" and back["iss"] == live_server.issuer


def test_discovery_says_authorization_responses_carry_iss(live_server):
    """RFC 9700 §4.4.2.1: clients learn from metadata that they must check ``iss``."""
    metadata = live_server.get("/.well-known/openid-configuration").json()
    assert metadata["authorization_response_iss_parameter_supported"] is True


# §4.11.2 Authorization server as open redirector

@pytest.mark.parametrize("params", [
    {"client_id": "no-such-app", "redirect_uri": "http://evil.example/cb",
     "response_type": "code"},
    {"client_id": "no-such-app", "redirect_uri": "http://evil.example/cb",
     "response_type": "banana", "prompt": "none"},
    {"client_id": "demo-web", "redirect_uri": "http://evil.example/cb", "response_type": "code"},
    {"client_id": "demo-web", "redirect_uri": "http://evil.example/cb",
     "response_type": "banana"},
    {"client_id": "demo-web", "redirect_uri": "http://evil.example/cb", "response_type": "code",
     "scope": "not-a-scope", "prompt": "none"},
    {"redirect_uri": "http://evil.example/cb", "response_type": "code"},
], ids=["unknown-client", "unknown-client-and-bad-response-type", "unregistered-uri",
        "unregistered-uri-and-bad-response-type", "unregistered-uri-and-bad-scope",
        "no-client-id"])
def test_untrusted_client_or_redirect_uri_gets_an_error_page_never_a_redirect(
        live_server, params):
    """RFC 9700 §4.11.2: the authorization server MUST NOT become an open redirector: with
    an unknown client or an unregistered redirect_uri, errors are shown, not redirected."""
    response = Browser(live_server).authorize(**params)
    assert response.status_code == 400 and "Location" not in response.headers
    assert response.headers["Content-Type"].startswith("text/html")
    assert "evil.example/cb?" not in response.text


# §4.7 Cross-site request forgery

def open_login_page(server) -> tuple[Browser, str]:
    browser = Browser(server)
    params, _ = spa_request()
    page = browser.authorize(**params)
    action = re.search(r'action="(/interaction/[^"]+/login)"', page.text).group(1)
    return browser, action


def test_cross_site_login_post_without_the_interaction_cookie_is_refused(live_server):
    """RFC 9700 §4.7: the login form only accepts posts from the browser that opened it (the
    pending interaction is bound to an HttpOnly, SameSite=Lax cookie)."""
    _, action = open_login_page(live_server)
    forged = requests.post(live_server.url + action, allow_redirects=False, timeout=10,
                           data={"username": "alice", "password": "alice"},
                           headers={"Origin": "http://evil.example"})
    assert forged.status_code == 400 and "Location" not in forged.headers
    assert "pocket_op_session" not in forged.headers.get("Set-Cookie", "")


def test_cross_site_consent_post_without_the_interaction_cookie_is_refused(demo_server):
    """RFC 9700 §4.7: consent cannot be forged: a post carrying the victim's session but
    not the interaction cookie issues nothing and remembers nothing."""
    browser = Browser(demo_server)
    params, _ = spa_request()
    page = browser.login(browser.authorize(**params), "alice", "alice")
    action = re.search(r'action="(/interaction/[^"]+/consent)"', page.text).group(1)
    session = browser.http.cookies["pocket_op_session"]
    forged = requests.post(demo_server.url + action, data={"decision": "allow"}, timeout=10,
                           allow_redirects=False, cookies={"pocket_op_session": session},
                           headers={"Origin": "http://evil.example"})
    assert forged.status_code == 400 and "Location" not in forged.headers
    user = demo_server.store.get_user("alice")
    with pytest.raises(NotFound):
        demo_server.store.get_consent(user.sub, "demo-spa")


def test_session_and_interaction_cookies_are_httponly_and_samesite_lax(live_server):
    """RFC 9700 §4.7: the cookies that carry the login are not readable by scripts and not
    sent on cross-site posts."""
    browser, _ = open_login_page(live_server)
    page = browser.authorize(**spa_request()[0])
    signed_in = browser.login(page, "alice", "alice")
    cookies = page.raw.headers.getlist("Set-Cookie") + signed_in.raw.headers.getlist("Set-Cookie")
    for name in ("pocket_op_interaction", "pocket_op_session"):
        sent = [cookie for cookie in cookies if cookie.startswith(name + "=")]
        assert sent, f"{name} was not set"
        for cookie in sent:
            assert "HttpOnly" in cookie and "SameSite=Lax" in cookie, cookie


# §4.16 Clickjacking

def frame_headers_ok(response: requests.Response) -> bool:
    csp = response.headers.get("Content-Security-Policy", "")
    return (re.search(r"frame-ancestors\s+('none'|'self')", csp) is not None
            and response.headers.get("X-Frame-Options", "").upper() in ("DENY", "SAMEORIGIN"))


def interactive_pages(server) -> dict[str, requests.Response]:
    """Every HTML page a user sees: login, consent, the form_post answer and error pages."""
    browser = Browser(server)
    login = browser.authorize(**spa_request(response_mode="form_post")[0])
    consent = browser.login(login, "alice", "alice")
    return {"login": login, "consent": consent, "form_post": browser.consent(consent),
            "error": Browser(server).authorize(client_id="no-such-app", response_type="code"),
            "expired": requests.post(server.url + "/interaction/expired/login", timeout=10)}


def test_interactive_pages_cannot_be_framed(demo_server):
    """RFC 9700 §4.16: "Authorization servers MUST prevent clickjacking attacks", with
    X-Frame-Options and CSP ``frame-ancestors`` on the authorization endpoint, "login pages,
    error pages, etc."."""
    pages = interactive_pages(demo_server)
    unprotected = [name for name, page in pages.items() if not frame_headers_ok(page)]
    assert unprotected == []


# §2.6 CORS

ORIGIN = {"Origin": "http://evil.example"}


@pytest.mark.parametrize("method,path", [
    ("GET", "/.well-known/openid-configuration"), ("GET", "/jwks"), ("POST", "/token"),
    ("GET", "/userinfo"), ("POST", "/revoke")])
def test_cors_is_allowed_where_browsers_call_the_server_directly(live_server, method, path):
    """RFC 9700 §2.6: "endpoints directly accessed by [browser-based] clients including the
    Token Endpoint, Authorization Server Metadata Endpoint, jwks_uri Endpoint ... MAY
    support the use of Cross-Origin Resource Sharing (CORS)"."""
    response = requests.request(method, live_server.url + path, headers=ORIGIN, timeout=10)
    assert response.headers.get("Access-Control-Allow-Origin") == "*"


@pytest.mark.parametrize("method,path", [
    ("GET", "/authorize"), ("OPTIONS", "/authorize"), ("POST", "/authorize"),
    ("POST", "/interaction/x/login"), ("POST", "/interaction/x/consent"),
    ("POST", "/introspect"), ("OPTIONS", "/introspect"), ("POST", "/register"),
    ("GET", "/healthz"), ("GET", "/admin"), ("OPTIONS", "/admin")])
def test_cors_is_never_allowed_on_the_authorization_endpoint_pages_or_admin(
        live_server, method, path):
    """RFC 9700 §2.6: "CORS MUST NOT be supported at the authorization endpoint"; nor on the
    cookie-bearing login and consent forms, server-side endpoints or the admin."""
    response = requests.request(method, live_server.url + path, timeout=10, headers={
        **ORIGIN, "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Access-Control-Allow-Credentials" not in response.headers


# Secrets at rest and in logs

@pytest.fixture
def log_file(tmp_path):
    """The server's log file at DEBUG, the ``pocket_op`` logger restored afterwards."""
    logger = logging.getLogger("pocket_op")
    waitress = logging.getLogger("waitress")
    saved = (list(logger.handlers), logger.level, logger.propagate, list(waitress.handlers),
             waitress.propagate)
    path = configure_logs(str(tmp_path / "logs"), "debug")
    yield path
    for handler in logger.handlers:
        handler.close()
    logger.handlers, logger.level, logger.propagate = saved[0], saved[1], saved[2]
    waitress.handlers, waitress.propagate = saved[3], saved[4]


def test_secrets_and_passwords_are_never_logged_nor_stored_in_clear(demo_server, log_file):
    """RFC 9700 §2.5 (and STYLE.md): client secrets, passwords, codes and tokens reach
    neither the log nor the database in clear: passwords are hashed, secrets encrypted,
    bearer values stored as digests."""
    server = demo_server
    password = "Pw-" + uuid.uuid4().hex
    server.store.create_user("carol", password, {"name": "Carol"})
    browser, wrong = Browser(server), "Wrong-" + uuid.uuid4().hex
    page = browser.authorize(client_id="demo-web", response_type="code", redirect_uri=WEB_REDIRECT,
                             scope="openid offline_access", state="st", nonce="n")
    page = browser.login(page, "carol", wrong)
    back = redirect_params(browser.consent(browser.login(page, "carol", password)))
    tokens = redeem_web(server, back["code"]).json()
    rotated = refresh(server, tokens["refresh_token"]).json()
    server.post("/token", data={"grant_type": "client_credentials", "client_id": "demo-machine",
                                "client_secret": "Wrong-secret-" + uuid.uuid4().hex})
    registered = server.post("/register", json={"redirect_uris": ["http://127.0.0.1/cb"]}).json()
    secrets_seen = {
        "password": password, "wrong password": wrong, "client secret": TEST_SECRET,
        "code": back["code"], "access token": tokens["access_token"],
        "refresh token": tokens["refresh_token"], "rotated refresh token":
        rotated["refresh_token"], "id token": tokens["id_token"],
        "registered client secret": registered["client_secret"],
        "registration access token": registered["registration_access_token"],
        "session cookie": browser.http.cookies["pocket_op_session"],
    }
    assert rotated["access_token"]
    server.store.db.execute_sql("PRAGMA wal_checkpoint(PASSIVE)")
    for handler in logging.getLogger("pocket_op").handlers:
        handler.flush()
    logged = Path(log_file).read_bytes()
    assert b"token.issued" in logged  # the log is really written
    stored = b"".join(path.read_bytes() for path in Path(server.settings.data_dir).rglob("*")
                      if path.is_file() and path.name != "secret.key")
    leaks = [f"{what} in {where}" for what, value in secrets_seen.items()
             for where, data in (("the log", logged), ("the database", stored))
             if value.encode() in data]
    assert leaks == []


def test_stored_secrets_are_compared_in_constant_time():
    """RFC 9700 §2.5 (client authentication) and RFC 6819 §5.1.4.1.3: the checks of client
    secrets, registration and initial access tokens and passwords use hmac.compare_digest,
    so timing reveals nothing about the stored value."""
    from app.oauth.endpoints import registration
    from app.store import clients, crypto

    checks = [clients.ClientStore.check_client_secret, clients.ClientStore.check_registration_token,
              crypto.check_password, registration.register]
    for check in checks:
        source = inspect.getsource(check)
        assert "hmac.compare_digest(" in source, check.__qualname__
        assert not re.search(r"(secret|token|digest|password)\w*\s*==", source), check.__qualname__


# alg none and algorithm confusion

@pytest.fixture
def jwt_clients(demo_server):
    store = demo_server.store
    common = {"grant_types": ["client_credentials"], "response_types": [], "scope": "api.read"}
    store.create_client("rsa-app", {**common, "token_endpoint_auth_method": "private_key_jwt",
                                    "jwks": {"keys": [json.loads(CLIENT_KEY.export_public())]}})
    store.create_client("hmac-app", {**common, "token_endpoint_auth_method": "client_secret_jwt"},
                        secret="a-long-enough-client-secret-for-hs256-0123456789")
    return demo_server


def client_assertion_grant(server, assertion: str) -> requests.Response:
    return server.post("/token", data={"grant_type": "client_credentials",
                                       "client_assertion_type": ASSERTION_TYPE,
                                       "client_assertion": assertion})


@pytest.mark.parametrize("client_id", ["rsa-app", "hmac-app"])
def test_client_assertion_with_alg_none_is_invalid_client(jwt_clients, client_id):
    """RFC 9700 §2.5 / RFC 8725 §3.1: an unsigned (``alg: none``) client assertion
    authenticates nobody."""
    assertion = unsigned_jwt(assertion_claims(jwt_clients, client_id))
    response = client_assertion_grant(jwt_clients, assertion)
    assert response.status_code in (400, 401) and response.json()["error"] == "invalid_client"


@pytest.mark.parametrize("encoding", ["pem", "der", "jwk-json", "modulus"])
def test_hs256_assertion_keyed_with_the_clients_public_key_is_invalid_client(
        jwt_clients, encoding):
    """RFC 9700 §2.5 / RFC 8725 §3.1 (algorithm confusion): a private_key_jwt client's
    public key is public; an HMAC over it proves nothing."""
    public = CLIENT_KEY.get_op_key("verify")
    keys = {"pem": public.public_bytes(serialization.Encoding.PEM,
                                       serialization.PublicFormat.SubjectPublicKeyInfo),
            "der": public.public_bytes(serialization.Encoding.DER,
                                       serialization.PublicFormat.SubjectPublicKeyInfo),
            "jwk-json": CLIENT_KEY.export_public().encode(),
            "modulus": base64.urlsafe_b64decode(CLIENT_KEY.export_public(as_dict=True)["n"]
                                                + "==")}
    assertion = hs256_jwt(assertion_claims(jwt_clients, "rsa-app"), keys[encoding])
    response = client_assertion_grant(jwt_clients, assertion)
    assert response.status_code in (400, 401) and response.json()["error"] == "invalid_client"


def op_public_pem(server) -> bytes:
    key = jc_jwk.JWK(**server.get("/jwks").json()["keys"][0])
    return key.export_to_pem()


@pytest.mark.parametrize("forgery", ["alg-none", "hs256-with-op-public-key"])
def test_id_token_hint_that_the_op_did_not_sign_is_invalid_request(demo_server, forgery):
    """RFC 9700 §2.5 / RFC 8725 §3.1 and OIDC Core §3.1.2.1: an ``id_token_hint`` with
    ``alg: none`` or an HMAC keyed with the OP's public key is invalid_request."""
    browser = Browser(demo_server)
    browser.sign_in_and_allow(**spa_request()[0])  # a session, so the hint is looked at
    alice = demo_server.store.get_user("alice")
    now = int(time.time())
    claims = {"iss": demo_server.issuer, "sub": alice.sub, "aud": "demo-spa", "iat": now,
              "exp": now + 60}
    hint = unsigned_jwt(claims) if forgery == "alg-none" else hs256_jwt(
        claims, op_public_pem(demo_server))
    back = redirect_params(browser.authorize(**spa_request(id_token_hint=hint)[0]))
    assert back["error"] == "invalid_request" and "code" not in back
