"""Failed sign-ins at the login form are throttled per username and client address (RFC 6749
§10.10, credentials guessing): past ``login_max_failures`` failures within
``login_failure_window`` seconds, the login page answers 429 with a clear message and the
password is not checked; a successful sign-in clears the count."""

import threading
import time

import pytest
import requests
from requests.adapters import HTTPAdapter

from app.oauth.login_throttle import FailedSignIns, wait_message
from tests.flows import Browser, spa_request

LIMIT = 2
THROTTLED = "Too many failed sign-ins for this user; try again in 1 minute."


@pytest.fixture
def server(fresh_server):
    return fresh_server(login_max_failures=LIMIT, login_failure_window=60)


class SourceAddress(HTTPAdapter):
    """Connections from another loopback address (127.0.0.2): another client IP."""

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = ("127.0.0.2", 0)
        super().init_poolmanager(*args, **kwargs)


def login_page(browser: Browser) -> requests.Response:
    params, _ = spa_request()
    page = browser.authorize(**params)
    assert 'name="password"' in page.text
    return page


def fail(browser: Browser, page: requests.Response, times: int, username: str = "alice"):
    for _ in range(times):
        page = browser.login(page, username, "wrong")
        assert page.status_code == 401, page.text[:300]
    return page


def test_attempts_past_the_limit_get_429_and_the_message(server):
    browser = Browser(server)
    page = fail(browser, login_page(browser), LIMIT)
    response = browser.login(page, "alice", "wrong")
    assert response.status_code == 429
    assert THROTTLED in response.text
    assert 'name="password"' in response.text


def test_a_throttled_attempt_says_when_to_retry(server):
    browser = Browser(server)
    page = fail(browser, login_page(browser), LIMIT)
    response = browser.login(page, "alice", "wrong")
    assert 0 < int(response.headers["Retry-After"]) <= 60


def test_a_throttled_attempt_is_refused_even_with_the_right_password(server):
    browser = Browser(server)
    page = fail(browser, login_page(browser), LIMIT)
    response = browser.login(page, "alice", "alice")
    assert response.status_code == 429
    assert "pocket_op_session" not in browser.http.cookies


def test_failures_below_the_limit_still_get_401(server):
    browser = Browser(server)
    page = fail(browser, login_page(browser), LIMIT - 1)
    assert browser.login(page, "alice", "wrong").status_code == 401


def test_another_username_from_the_same_address_is_not_throttled(server):
    browser = Browser(server)
    page = fail(browser, login_page(browser), LIMIT)
    assert browser.login(page, "bob", "wrong").status_code == 401


def test_the_same_username_from_another_address_is_not_throttled(server):
    browser = Browser(server)
    fail(browser, login_page(browser), LIMIT)
    elsewhere = Browser(server)
    elsewhere.http.mount("http://", SourceAddress())
    response = elsewhere.login(login_page(elsewhere), "alice", "alice")
    assert response.status_code == 200
    assert 'name="decision"' in response.text


def test_a_successful_sign_in_clears_the_failures(server):
    browser = Browser(server)
    page = fail(browser, login_page(browser), LIMIT - 1)
    assert 'name="decision"' in browser.login(page, "alice", "alice").text
    fresh = Browser(server)
    page = fail(fresh, login_page(fresh), LIMIT - 1)
    assert fresh.login(page, "alice", "wrong").status_code == 401


def test_failures_older_than_the_window_no_longer_count(fresh_server):
    server = fresh_server(login_max_failures=LIMIT, login_failure_window=1)
    browser = Browser(server)
    page = fail(browser, login_page(browser), LIMIT)
    time.sleep(1.1)
    response = browser.login(page, "alice", "alice")
    assert response.status_code == 200
    assert 'name="decision"' in response.text  # signed in: on to the consent step


def test_a_throttled_attempt_emits_login_throttled_without_the_password(server):
    browser = Browser(server)
    page = fail(browser, login_page(browser), LIMIT)
    browser.login(page, "alice", "s3cret-guess")
    (event,) = server.store.find_events(event="login.throttled")
    assert event.fields["username"] == "alice"
    assert event.fields["ip"] == "127.0.0.1"
    assert event.fields["client_id"] == "demo-spa"
    assert "s3cret-guess" not in str(event.fields)


@pytest.mark.parametrize(("seconds", "message"), [
    (1, "try again in 1 minute."), (60, "try again in 1 minute."),
    (61, "try again in 2 minutes."), (300, "try again in 5 minutes."),
], ids=["1s", "60s", "61s", "300s"])
def test_the_wait_is_given_in_whole_minutes_rounded_up(seconds, message):
    assert wait_message(seconds).endswith(message)


def test_concurrent_failures_are_all_counted():
    failures = FailedSignIns()
    threads = [threading.Thread(target=lambda: [failures.record("alice", "ip", 1000, 60)
                                                for _ in range(100)]) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures.retry_after("alice", "ip", 800, 60) is not None  # 8 x 100 counted
    assert failures.retry_after("alice", "ip", 801, 60) is None


def test_memory_is_bounded_by_forgetting_the_least_recent_pairs():
    failures = FailedSignIns(max_keys=3)
    for number in range(5):
        failures.record(f"user{number}", "ip", 1, 60, now=1000.0 + number)
    assert failures.retry_after("user0", "ip", 1, 60, now=1010.0) is None
    assert failures.retry_after("user4", "ip", 1, 60, now=1010.0) is not None
