"""Client-supplied regexes (Janssen's redirect_uris_regex) cannot stall the server:
catastrophic-backtracking shapes are refused at registration, inputs are length-capped."""

import pytest

from app.oauth.safe_regex import check_safe_regex, safe_fullmatch

SAFE = [r"https://app\.example\.com/cb/[a-z0-9-]+", r"http://127\.0\.0\.1:\d+/callback",
        r"https://(dev|staging)\.example\.com/cb", r"com\.example\.app:/oauth2redirect/?"]
UNSAFE = [r"(a+)+", r"(a*)*b", r"(a|aa)+", r"https://x/((ab)*)+", r"(?:[a-z]+/)*end",
          r"(a{1,5}){2,}"]


@pytest.mark.parametrize("pattern", SAFE)
def test_ordinary_redirect_patterns_are_accepted(pattern):
    assert check_safe_regex(pattern) is None


@pytest.mark.parametrize("pattern", UNSAFE)
def test_nested_repetitions_are_refused(pattern):
    assert "repetition" in check_safe_regex(pattern)


def test_invalid_pattern_is_refused():
    assert check_safe_regex("(unclosed") == "not a valid regular expression"


def test_an_overlong_input_is_not_matched():
    assert safe_fullmatch(r"https://x/[a-z]+", "https://x/" + "a" * 5000) is False


@pytest.mark.parametrize("pattern", [r"(a+)+$", r"(a|aa)+!"], ids=["nested-plus", "alternation"])
def test_registration_refuses_a_catastrophic_redirect_regex(live_server, pattern):
    response = live_server.post("/register", json={
        "redirect_uris": ["http://127.0.0.1/cb"], "redirect_uris_regex": pattern})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_client_metadata"
    assert "redirect_uris_regex" in response.json()["error_description"]


def test_a_stored_catastrophic_regex_does_not_stall_an_authorization_request(fresh_server):
    server = fresh_server()
    metadata = {**server.store.get_client("demo-spa").metadata, "redirect_uris_regex": r"(a+)+"}
    server.store.update_client("demo-spa", metadata=metadata)
    # Without the guard this match backtracks for hours; the suite's per-test timeout
    # turns such a hang into a failure.
    page = server.get("/authorize", params={"client_id": "demo-spa", "response_type": "code",
                                            "redirect_uri": "a" * 40 + "!"})
    assert page.status_code == 400
