"""Fixtures of the admin API tests: a fresh server with a known admin password, its API as
the desktop window calls it (the launch token) and as a signed-in browser does (cookie and
CSRF token), and a code flow that returns the tokens a change should show up in."""

from __future__ import annotations

import pytest
import requests

from tests.flows import SPA_REDIRECT, Browser, redirect_params, spa_request

ADMIN_PASSWORD = "admin-password-for-tests"


class AdminApi:
    """``/admin/api`` of one live server over a requests session."""

    def __init__(self, server, token: str | None = None):
        self.server = server
        self.http = requests.Session()
        if token:
            self.http.headers["Authorization"] = f"Bearer {token}"

    def url(self, path: str) -> str:
        return f"{self.server.url}/admin/api{path}"

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        return self.http.request(method, self.url(path), timeout=10, allow_redirects=False,
                                 **kwargs)

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, json=None, **kwargs) -> requests.Response:
        return self.request("POST", path, json=json, **kwargs)

    def put(self, path: str, json=None, **kwargs) -> requests.Response:
        return self.request("PUT", path, json=json, **kwargs)

    def patch(self, path: str, json=None, **kwargs) -> requests.Response:
        return self.request("PATCH", path, json=json, **kwargs)

    def delete(self, path: str, **kwargs) -> requests.Response:
        return self.request("DELETE", path, **kwargs)

    def events(self, name: str) -> list[dict]:
        response = self.get("/events", params={"event": name})
        assert response.status_code == 200, response.text
        return response.json()["events"]


def sign_in(server, password: str = ADMIN_PASSWORD) -> tuple[AdminApi, str]:
    """An AdminApi holding the session cookie, and the session's CSRF token."""
    api = AdminApi(server)
    response = api.post("/session", json={"username": "admin", "password": password})
    assert response.status_code == 200, response.text
    return api, response.json()["csrf_token"]


@pytest.fixture
def server(fresh_server):
    server = fresh_server()
    server.store.save_admin_password("admin", ADMIN_PASSWORD)
    return server


@pytest.fixture
def api(server) -> AdminApi:
    """The API as the desktop window calls it: with the per-launch token."""
    return AdminApi(server, server.app.admin_launch_token)


def spa_tokens(server, username: str = "alice", **params) -> dict:
    """The token response of a demo-spa code flow (PKCE) for ``username``."""
    request, verifier = spa_request(**params)
    back = redirect_params(Browser(server).sign_in_and_allow(username, **request))
    response = server.post("/token", data={
        "grant_type": "authorization_code", "code": back["code"], "client_id": "demo-spa",
        "redirect_uri": SPA_REDIRECT, "code_verifier": verifier})
    assert response.status_code == 200, response.text
    return response.json()
