"""Redirect URIs parsed one way everywhere: registration, the admin API, import, /authorize,
/par and logout all read a URI through ``parse``, and every Location header or form_post
action is rendered from its normalised text, never from what the request sent.

A browser reads URLs the WHATWG way (``\\`` is ``/``, tabs and newlines are dropped,
``http:evil.test`` means ``http://evil.test``), Python's ``urlsplit`` reads them another
way. Rather than chase the differences, ``parse`` accepts only URIs on which both agree:
RFC 3986 characters only, no backslash, whitespace or control character anywhere, and an
authority that is a plain host (name, IPv4 or bracketed IPv6) with an optional port: no
userinfo ``@``, no percent-encoding.

RFC 3986 §2, §3 (URI syntax): https://www.rfc-editor.org/rfc/rfc3986
RFC 6749 §3.1.2 (redirection endpoint), RFC 8252 §7.3 (loopback redirects, any port),
RFC 9700 §4.1 (insufficient redirect URI validation): https://www.rfc-editor.org/rfc/rfc9700
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

#: RFC 3986 §2.2-2.3: unreserved and reserved characters, and "%" of a percent-encoding.
URI_CHARACTERS = frozenset(string.ascii_letters + string.digits + "-._~:/?#[]@!$&'()*+,;=%")
#: RFC 3986 Appendix B: the five components of a URI reference.
COMPONENTS = re.compile(r"^(?:([^:/?#]+):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$")
#: RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")
#: A host name, an IPv4 address or a bracketed IPv6 literal, then an optional port.
AUTHORITY = re.compile(r"(?P<host>[A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\])(?::(?P<port>[0-9]{1,5}))?")
#: RFC 3986 §2.1: a "%" must start a percent-encoded octet.
BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
#: RFC 8252 §7.3: loopback IP literals, whose port the client may choose at request time.
LOOPBACK_IPS = ("127.0.0.1", "[::1]")


@dataclass(frozen=True)
class RedirectURI:
    """A redirect URI that passed ``parse``; ``text`` is its normalised form (scheme and
    host lower-cased, nothing else changed)."""

    scheme: str
    host: str | None  # None for a private-use URI without authority (``com.app:/cb``)
    port: int | None
    path: str
    query: str | None

    @property
    def text(self) -> str:
        authority = "" if self.host is None else "//" + self.host + (
            f":{self.port}" if self.port is not None else "")
        query = "" if self.query is None else "?" + self.query
        return f"{self.scheme}:{authority}{self.path}{query}"

    @property
    def hostname(self) -> str | None:
        """The host without IPv6 brackets (as ``urlsplit().hostname`` gives it)."""
        return self.host.strip("[]") if self.host else self.host

    @property
    def is_loopback_ip(self) -> bool:
        """RFC 8252 §7.3: an ``http`` URI on a loopback IP literal."""
        return self.scheme == "http" and self.host in LOOPBACK_IPS

    def without_port(self) -> RedirectURI:
        return RedirectURI(self.scheme, self.host, None, self.path, self.query)


def parse(uri: object) -> RedirectURI | None:
    """The URI if it is an absolute URI without fragment that every parser reads alike,
    else None (RFC 6749 §3.1.2: "The redirection endpoint URI MUST be an absolute URI" and
    "MUST NOT include a fragment component")."""
    if not isinstance(uri, str) or not uri or not set(uri) <= URI_CHARACTERS:
        return None
    if BAD_PERCENT.search(uri):
        return None
    scheme, authority, path, query, fragment = COMPONENTS.match(uri).groups()
    if scheme is None or not SCHEME.fullmatch(scheme) or fragment is not None or "#" in uri:
        return None
    host = port = None
    if authority is not None:
        # No userinfo ("@"), no percent-encoding: the host a browser connects to is the
        # host we compared.
        match = AUTHORITY.fullmatch(authority)
        if match is None:
            return None
        host = match["host"].lower()
        port = int(match["port"]) if match["port"] else None
        if port is not None and port > 65535:
            return None
    return RedirectURI(scheme.lower(), host, port, path, query)


def match(sent: str, registered: list[str]) -> RedirectURI | None:
    """The parsed ``sent`` URI if it is one of ``registered`` (RFC 6749 §3.1.2.3: simple
    string comparison), or a loopback IP redirect URI registered with another port or none
    (RFC 8252 §7.3: "The authorization server MUST allow any port to be specified at the
    time of the request for loopback IP redirect URIs"); else None."""
    uri = parse(sent)
    if uri is None:
        return None
    if sent in registered:
        return uri
    if not uri.is_loopback_ip:
        return None
    portless = uri.without_port()
    for item in registered:
        known = parse(item)
        if known is not None and known.is_loopback_ip and known.without_port() == portless:
            return uri
    return None
