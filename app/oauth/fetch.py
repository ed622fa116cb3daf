"""Fetching what a client registered by reference (``jwks_uri``, ``sector_identifier_uri``,
``request_uri``): only from loopback hosts or hosts the ``fetch_allowed_hosts`` setting
names, with a short timeout and a size cap, so a client cannot make the OP reach anywhere.

RFC 9101 §10.4 (risks of fetching request_uri, e.g. attacks on other hosts): https://www.rfc-editor.org/rfc/rfc9101
"""

from __future__ import annotations

import ipaddress
import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from flask import current_app

TIMEOUT = 3.0  # seconds for the whole fetch
MAX_BYTES = 256 * 1024


class FetchError(Exception):
    """The document could not be fetched; the message says why, for the developer."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts() -> set[str]:
    value = current_app.settings.get("fetch_allowed_hosts", "") or ""
    return {host.strip().lower() for host in value.split(",") if host.strip()}


def check_fetchable(url: str) -> None:
    """Raise FetchError unless ``url`` is http(s) on a loopback or allowed host."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        raise FetchError(f"{url} is not an http(s) URL")
    if not (is_loopback(host) or host in allowed_hosts()):
        raise FetchError(f"{host} is neither loopback nor in the fetch_allowed_hosts setting")


def fetch_bytes(url: str, accept: str) -> bytes:
    """GET ``url`` (no redirects, TIMEOUT, at most MAX_BYTES) and return the body."""
    check_fetchable(url)
    request = urllib.request.Request(url, headers={"Accept": accept})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=TIMEOUT) as response:
            body = response.read(MAX_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise FetchError(f"fetching {url} failed ({exc})") from None
    if len(body) > MAX_BYTES:
        raise FetchError(f"{url} is larger than {MAX_BYTES} bytes")
    return body


def fetch_json(url: str) -> Any:
    """GET ``url`` and parse it as JSON."""
    body = fetch_bytes(url, "application/json")
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise FetchError(f"{url} did not return JSON") from None


def fetch_text(url: str, accept: str) -> str:
    """GET ``url`` and return its body as (ASCII or UTF-8) text, surrounding blanks removed."""
    body = fetch_bytes(url, accept)
    try:
        return body.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise FetchError(f"{url} did not return text") from None


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect could lead off the allowed hosts: refuse it."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise urllib.error.URLError(f"redirect to {newurl} refused")
