"""The authorization request is validated once, at /authorize, and kept on its interaction:
the login and consent forms resume it (node-oidc-provider's ``resume.js``) instead of
validating it again, and each HTTP request reads the client from the store once."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.flows import Browser, redirect_params, spa_request


class Spy:
    """Counts calls of ``obj.name`` (on a live server: every Waitress thread sees it)."""

    def __init__(self, monkeypatch, obj, name: str):
        self.calls = 0
        original = getattr(obj, name)

        def counted(*args, **kwargs):
            self.calls += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(obj, name, counted)

    def take(self) -> int:
        """Calls since the last ``take``."""
        calls, self.calls = self.calls, 0
        return calls


@pytest.fixture
def spied(demo_server, monkeypatch):
    """A fresh server with its client reads and Authlib's request validation counted."""
    reads = Spy(monkeypatch, demo_server.store, "get_client")
    validations = Spy(monkeypatch, demo_server.app.oauth, "get_consent_grant")
    return demo_server, reads, validations


def test_code_flow_with_login_and_consent_reads_the_client_once_per_http_request(spied):
    server, reads, validations = spied
    browser = Browser(server)
    counted = Counter()
    page = browser.authorize(**spa_request()[0])
    assert 'name="password"' in page.text
    counted["authorize"] = reads.take()
    page = browser.login(page, "alice", "alice")
    assert 'name="decision"' in page.text
    counted["login"] = reads.take()
    assert redirect_params(browser.consent(page))["code"]
    counted["consent"] = reads.take()
    assert counted == {"authorize": 1, "login": 1, "consent": 1}


def test_code_flow_with_login_and_consent_validates_the_request_once(spied):
    server, _, validations = spied
    assert redirect_params(Browser(server).sign_in_and_allow(**spa_request()[0]))["code"]
    assert validations.take() == 1


def test_failed_login_shows_the_login_page_again_without_validating_the_request(spied):
    server, reads, validations = spied
    browser = Browser(server)
    page = browser.authorize(**spa_request()[0])
    reads.take(), validations.take()
    again = browser.login(page, "alice", "wrong")
    assert again.status_code == 401 and 'name="password"' in again.text
    assert (reads.take(), validations.take()) == (0, 0)


def test_client_disabled_while_the_person_signs_in_gets_the_error_page(spied):
    server, _, _ = spied
    browser = Browser(server)
    page = browser.authorize(**spa_request()[0])
    server.store.update_client("demo-spa", active=False)
    refused = browser.login(page, "alice", "alice")
    assert refused.status_code == 400
    assert "invalid_client" in refused.text and "Location" not in refused.headers


def test_denied_consent_reads_the_client_once_and_redirects_access_denied(spied):
    server, reads, validations = spied
    browser = Browser(server)
    page = browser.login(browser.authorize(**spa_request()[0]), "alice", "alice")
    reads.take(), validations.take()
    back = redirect_params(browser.consent(page, "deny"))
    assert back["error"] == "access_denied"
    assert (reads.take(), validations.take()) == (1, 0)
