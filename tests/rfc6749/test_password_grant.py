"""``grant_type=password`` (RFC 6749 §4.3) against credentials guessing (§10.10): failed
attempts count against the login form's throttle (``login_max_failures`` per username and
address within ``login_failure_window``), in one counter with the login form; a throttled
attempt is refused without checking the password, as invalid_grant (400, §5.2) with the wait
in the description and ``Retry-After``. Only clients the admin manages may use the grant: a
client that registered itself with it (before registration refused it) is unauthorized_client."""

from __future__ import annotations

import pytest

from tests.flows import Browser, basic, spa_request

LIMIT = 2
SECRET = "legacy-secret"
THROTTLED = "Too many failed sign-ins for this user; try again in 1 minute."


@pytest.fixture
def server(fresh_server):
    server = fresh_server(login_max_failures=LIMIT, login_failure_window=60)
    server.store.create_client("legacy-app", {
        "client_name": "Legacy app", "grant_types": ["password"], "response_types": [],
        "token_endpoint_auth_method": "client_secret_basic", "scope": "openid profile"},
        secret=SECRET)
    return server


def password_grant(server, username: str = "alice", password: str = "alice",
                   client_id: str = "legacy-app", secret: str = SECRET):
    return server.post("/token", data={"grant_type": "password", "username": username,
                                       "password": password, "scope": "openid"},
                       headers=basic(client_id, secret))


def fail(server, times: int, username: str = "alice") -> None:
    for _ in range(times):
        response = password_grant(server, username, "wrong")
        assert response.status_code == 400, response.text


def test_wrong_credentials_are_invalid_grant(server):
    response = password_grant(server, password="wrong")
    assert (response.status_code, response.json()) == (400, {
        "error": "invalid_grant",
        "error_description": "Invalid 'username' or 'password' in request."})


def test_attempts_past_the_limit_are_invalid_grant_saying_to_wait(server):
    fail(server, LIMIT)
    response = password_grant(server, password="wrong")
    assert (response.status_code, response.json()) == (400, {
        "error": "invalid_grant", "error_description": THROTTLED})


def test_a_throttled_attempt_says_when_to_retry(server):
    fail(server, LIMIT)
    response = password_grant(server, password="wrong")
    assert 0 < int(response.headers["Retry-After"]) <= 60


def test_a_throttled_attempt_is_refused_even_with_the_right_password(server):
    fail(server, LIMIT)
    response = password_grant(server)
    assert response.json()["error_description"] == THROTTLED
    assert "access_token" not in response.json()


def test_failures_below_the_limit_leave_the_right_password_working(server):
    fail(server, LIMIT - 1)
    assert password_grant(server).status_code == 200


def test_another_username_from_the_same_address_is_not_throttled(server):
    fail(server, LIMIT)
    assert password_grant(server, "bob", "bob").status_code == 200


def test_a_success_clears_the_count(server):
    fail(server, LIMIT - 1)
    assert password_grant(server).status_code == 200
    fail(server, LIMIT - 1)
    assert password_grant(server).status_code == 200


def test_failures_at_the_login_form_throttle_the_password_grant(server):
    browser = Browser(server)
    page = browser.authorize(**spa_request()[0])
    for _ in range(LIMIT):
        page = browser.login(page, "alice", "wrong")
        assert page.status_code == 401
    assert password_grant(server).json()["error_description"] == THROTTLED


def test_failures_at_the_password_grant_throttle_the_login_form(server):
    fail(server, LIMIT)
    browser = Browser(server)
    page = browser.login(browser.authorize(**spa_request()[0]), "alice", "alice")
    assert page.status_code == 429 and THROTTLED in page.text


def test_a_throttled_attempt_is_a_warning_event(server):
    fail(server, LIMIT)
    password_grant(server)
    [event] = server.store.find_events(event="login.throttled")
    assert event.fields["client_id"] == "legacy-app"
    assert event.fields["grant_type"] == "password"


def test_a_client_that_registered_itself_with_the_grant_is_unauthorized_client(server):
    """Data from before registration refused the grant: the client still holds its
    registration access token."""
    registered = server.post("/register", json={
        "grant_types": ["client_credentials"], "scope": "openid"}).json()
    client_id, secret = registered["client_id"], registered["client_secret"]
    metadata = {**server.store.get_client(client_id).metadata, "grant_types": ["password"]}
    server.store.update_client(client_id, metadata=metadata)
    response = password_grant(server, client_id=client_id, secret=secret)
    assert (response.status_code, response.json()["error"]) == (400, "unauthorized_client")


def test_a_self_registered_client_is_refused_before_the_password_counts(server):
    registered = server.post("/register", json={
        "grant_types": ["client_credentials"], "scope": "openid"}).json()
    client_id, secret = registered["client_id"], registered["client_secret"]
    metadata = {**server.store.get_client(client_id).metadata, "grant_types": ["password"]}
    server.store.update_client(client_id, metadata=metadata)
    for _ in range(LIMIT):
        password_grant(server, password="wrong", client_id=client_id, secret=secret)
    assert password_grant(server).status_code == 200
