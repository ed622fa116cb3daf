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
