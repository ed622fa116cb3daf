"""DNS rebinding protection: every request must name this server in its Host header.

A page on ``evil.test`` can make its own name resolve to 127.0.0.1 and then talk to
pocket-op same-origin (registration, /par, /introspect, the login form). The browser still
sends ``Host: evil.test``, so the OP answers only Host headers that name it: loopback names
(``localhost`` and RFC 6761 §6.3's ``*.localhost``), any IP literal (no name, nothing to
rebind), the issuer's host and the ``allowed_hosts`` setting. Anything else is answered
421 Misdirected Request (RFC 9110 §15.5.20) in the JSON error shape.

May import Flask only (and ``app.errors``).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from flask import Flask, current_app, request

from .errors import error_response

MISDIRECTED = 421


def host_name(host: str) -> str | None:
    """The name of a Host header value (port and IPv6 brackets removed, lower-case, no
    trailing dot), or None when it is not a valid host."""
    try:
        parts = urlsplit("//" + host)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return None
    name = (parts.hostname or "").rstrip(".")
    if not name or parts.username is not None or parts.path or parts.query or parts.fragment:
        return None
    return name


def check_ip_literal(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def check_loopback_address(address: str | None) -> bool:
    """Whether ``address`` is a loopback IP (IPv4, IPv6 or IPv4-mapped IPv6)."""
    try:
        ip = ipaddress.ip_address((address or "").split("%")[0])
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return (mapped or ip).is_loopback


def check_loopback_name(name: str) -> bool:
    """``localhost``, RFC 6761 §6.3's ``*.localhost``, or a loopback IP."""
    return name == "localhost" or name.endswith(".localhost") or check_loopback_address(name)


def check_host(host: str, issuer: str, allowed: str = "") -> bool:
    """Whether the Host header ``host`` names this server."""
    name = host_name(host)
    if name is None:
        return False
    if check_loopback_name(name) or check_ip_literal(name):
        return True
    extra = {item for item in allowed.split(",") if item}
    return name == (urlsplit(issuer).hostname or "") or name in extra


def refuse_other_hosts():
    settings = current_app.settings
    if host_name(request.host) is None:
        # RFC 9112 §3.2: "A server MUST respond with a 400 (Bad Request) status code to any
        # HTTP/1.1 request message that lacks a Host header field and to any request message
        # that contains [...] a Host header field with an invalid field value."
        return error_response(400, "invalid_request", "Invalid 'Host' header.")
    if check_host(request.host, settings.issuer, settings.get("allowed_hosts", "")):
        return None
    return error_response(MISDIRECTED, "invalid_request",
                          "The Host header does not name this server; add the name to the "
                          "'allowed_hosts' setting to use it.")


def init_app(app: Flask) -> None:
    app.before_request(refuse_other_hosts)
