"""Helpers that drive the real login and consent pages over HTTP, as a browser would
(form actions read from the HTML), for the protocol tests."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from html import unescape
from urllib.parse import parse_qs, urlencode, urlsplit

import requests

SPA_REDIRECT = "http://127.0.0.1:8765/callback"
WEB_REDIRECT = "http://localhost:3000/callback"
#: The secret the ``demo_server`` fixture gives demo-web and demo-machine.
TEST_SECRET = "s3cret-for-tests"


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def form_action(html: str, marker: str) -> str:
    """The action of the form that contains ``marker``."""
    for match in re.finditer(r'<form[^>]*action="([^"]+)"[^>]*>(.*?)</form>', html, re.S):
        if marker in match.group(2):
            return unescape(match.group(1))
    raise AssertionError(f"no form containing {marker!r} in page:\n{html[:2000]}")


def redirect_params(response: requests.Response) -> dict[str, str]:
    """Parameters of a 302 to the client (query or fragment)."""
    assert response.status_code == 302, (response.status_code, response.text[:500])
    parts = urlsplit(response.headers["Location"])
    raw = parts.fragment or parts.query
    return {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}


class Browser:
    """A cookie jar talking to one live server, not following redirects to the client."""

    def __init__(self, server):
        self.server = server
        self.http = requests.Session()

    def get(self, path: str, **params) -> requests.Response:
        return self.http.get(self.server.url + path, params=params, allow_redirects=False,
                             timeout=10)

    def post(self, path: str, data: dict) -> requests.Response:
        return self.http.post(self.server.url + path, data=data, allow_redirects=False,
                              timeout=10)

    def authorize(self, **params) -> requests.Response:
        return self.get("/authorize", **params)

    def login(self, page: requests.Response, username: str, password: str) -> requests.Response:
        action = form_action(page.text, 'name="password"')
        return self.post(action, {"username": username, "password": password})

    def consent(self, page: requests.Response, decision: str = "allow") -> requests.Response:
        action = form_action(page.text, 'name="decision"')
        return self.post(action, {"decision": decision})

    def sign_in_and_allow(self, username: str = "alice", **params) -> requests.Response:
        """Authorize, log in and consent when asked; returns the response to the client."""
        response = self.authorize(**params)
        if 'name="password"' in response.text:
            response = self.login(response, username, username)
        if 'name="decision"' in response.text:
            response = self.consent(response)
        return response


def spa_request(**overrides) -> tuple[dict, str]:
    verifier, challenge = pkce_pair()
    params = {"client_id": "demo-spa", "response_type": "code", "scope": "openid profile email",
              "redirect_uri": SPA_REDIRECT, "state": secrets.token_urlsafe(8),
              "nonce": secrets.token_urlsafe(8), "code_challenge": challenge,
              "code_challenge_method": "S256", **overrides}
    return params, verifier


def query(url: str, **params) -> str:
    return f"{url}?{urlencode(params)}"


def token_response(server, auth, **data) -> dict:
    """A token endpoint answer that must succeed: its JSON (``auth``: client id and secret)."""
    response = server.post("/token", auth=auth, data=data)
    assert response.status_code == 200, response.text
    return response.json()


def basic(client_id: str, secret: str = TEST_SECRET) -> dict:
    """An HTTP Basic Authorization header (client_secret_basic)."""
    raw = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


def web_code(server) -> str:
    """A code for demo-web, alice signed in and consenting (scope openid offline_access)."""
    params = {"client_id": "demo-web", "response_type": "code", "scope": "openid offline_access",
              "redirect_uri": WEB_REDIRECT, "state": "st", "nonce": "n"}
    return redirect_params(Browser(server).sign_in_and_allow(**params))["code"]


def redeem_web(server, code: str, **extra) -> requests.Response:
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": WEB_REDIRECT, **extra}
    return server.post("/token", data=data, headers=basic("demo-web"))


def web_tokens(server) -> dict:
    """alice's access and refresh tokens for demo-web (code flow, client_secret_basic)."""
    response = redeem_web(server, web_code(server))
    assert response.status_code == 200, response.text
    return response.json()
