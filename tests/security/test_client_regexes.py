"""Client-supplied regexes (Janssen's redirect_uris_regex) cannot stall the server: they are
compiled and matched by RE2, in time linear in the input; patterns RE2 cannot compile
(backreferences, lookarounds) are refused at registration naming the field; inputs are
length-capped. tests/security/test_redos.py proves it against a running server."""

import time

import pytest

from app.oauth.safe_regex import MAX_INPUT, check_safe_regex, safe_fullmatch
from tests.flows import spa_request

SAFE = [r"https://app\.example\.com/cb/[a-z0-9-]+", r"http://127\.0\.0\.1:\d+/callback",
        r"https://(dev|staging)\.example\.com/cb", r"com\.example\.app:/oauth2redirect/?"]
#: Shapes that backtrack exponentially or polynomially in Python's re; RE2 runs them linearly.
BACKTRACKING = {"nested-plus": r"(a+)+", "nested-star": r"(a*)*b", "alternation": r"(a|aa)+",
                "nested-groups": r"https://x/((ab)*)+", "segments": r"(?:[a-z]+/)*end",
                "counted": r"(a{1,5}){2,}", "polynomial": r".*.*.*.*.*.*.*.*!"}
#: What RE2 does not support, and a syntax error.
UNSUPPORTED = {"backreference": r"(a)\1", "lookahead": r"https://x/(?=cb)",
               "lookbehind": r"(?<=x)cb", "atomic-group": r"(?>a+)", "unclosed": r"(unclosed"}


@pytest.mark.parametrize("pattern", SAFE)
def test_ordinary_redirect_patterns_are_accepted(pattern):
    assert check_safe_regex(pattern) is None


@pytest.mark.parametrize("pattern", BACKTRACKING.values(), ids=BACKTRACKING.keys())
def test_patterns_that_backtrack_in_python_re_are_accepted(pattern):
    assert check_safe_regex(pattern) is None


@pytest.mark.parametrize("pattern", BACKTRACKING.values(), ids=BACKTRACKING.keys())
def test_patterns_that_backtrack_in_python_re_fail_to_match_in_linear_time(pattern):
    started = time.monotonic()
    assert safe_fullmatch(pattern, "a" * (MAX_INPUT - 1) + "?") is False
    assert time.monotonic() - started < 1


@pytest.mark.parametrize("pattern", UNSUPPORTED.values(), ids=UNSUPPORTED.keys())
def test_patterns_re2_cannot_compile_are_refused(pattern):
    assert check_safe_regex(pattern).startswith("not a regular expression RE2 accepts")


def test_a_match_is_a_full_match():
    assert safe_fullmatch(r"https://x/cb|https://x/cb2", "https://x/cb2") is True
    assert safe_fullmatch(r"https://x/cb", "https://x/cb/more") is False
    assert safe_fullmatch(r"https://x/cb", "evil:https://x/cb") is False


def test_an_overlong_input_is_not_matched():
    assert safe_fullmatch(r"https://x/[a-z]+", "https://x/" + "a" * 5000) is False


def test_a_stored_pattern_re2_cannot_compile_matches_nothing():
    assert safe_fullmatch(r"(a)\1", "aa") is False


@pytest.mark.parametrize("pattern", [r"(a)\1", r"https://x/(?!admin)"],
                         ids=["backreference", "negative-lookahead"])
def test_registration_refuses_a_redirect_regex_re2_cannot_compile(live_server, pattern):
    response = live_server.post("/register", json={
        "redirect_uris": ["http://127.0.0.1/cb"], "redirect_uris_regex": pattern})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_client_metadata"
    assert "redirect_uris_regex" in response.json()["error_description"]
    assert "RE2" in response.json()["error_description"]


def test_registration_refuses_a_spontaneous_scope_pattern_re2_cannot_compile(live_server):
    response = live_server.post("/register", json={
        "redirect_uris": ["http://127.0.0.1/cb"], "spontaneous_scopes": [r"(?<=x)read"]})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_client_metadata"
    assert "spontaneous_scopes" in response.json()["error_description"]


@pytest.mark.parametrize("pattern", [r"(a+)+$", r"(a|aa)+!"], ids=["nested-plus", "alternation"])
def test_registration_accepts_a_redirect_regex_that_backtracks_in_python_re(live_server, pattern):
    response = live_server.post("/register", json={
        "redirect_uris": ["http://127.0.0.1/cb"], "redirect_uris_regex": pattern})
    assert response.status_code == 201, response.text


def test_a_registered_redirect_regex_admits_a_matching_redirect_uri(fresh_server):
    server = fresh_server()
    metadata = {**server.store.get_client("demo-spa").metadata,
                "redirect_uris_regex": r"http://127\.0\.0\.1:\d+/cb/[a-z]+"}
    server.store.update_client("demo-spa", metadata=metadata)
    params, _ = spa_request(redirect_uri="http://127.0.0.1:5000/cb/app")
    page = server.get("/authorize", params=params, allow_redirects=False)
    assert page.status_code == 200 and 'name="password"' in page.text  # the sign-in page


def test_a_stored_catastrophic_regex_does_not_stall_an_authorization_request(fresh_server):
    server = fresh_server()
    metadata = {**server.store.get_client("demo-spa").metadata, "redirect_uris_regex": r"(a+)+"}
    server.store.update_client("demo-spa", metadata=metadata)
    # With Python's re this match backtracks for hours (and holds the GIL).
    page = server.get("/authorize", params={"client_id": "demo-spa", "response_type": "code",
                                            "redirect_uri": "a" * 40 + "!"})
    assert page.status_code == 400
