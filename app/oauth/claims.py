"""Which user claims a client receives: those of the granted scopes (OpenID Connect Core
§5.4) plus those asked for by name in the ``claims`` request parameter (§5.5), under the
client's subject identifier (``public`` or ``pairwise``, §8).
https://openid.net/specs/openid-connect-core-1_0.html#ClaimsParameter
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any
from urllib.parse import urlsplit

from authlib.oauth2.rfc6749 import InvalidRequestError
from flask import current_app

from ..store import NotFound
from ..store.records import UserRecord

MEMBERS = ("userinfo", "id_token")


def parse_claims_request(raw: str | None) -> dict[str, dict[str, Any]] | None:
    """OIDC Core §5.5: a JSON object whose ``userinfo`` and ``id_token`` members map claim
    names to null or to ``{"essential", "value", "values"}``."""
    if not raw:
        return None
    try:
        request = json.loads(raw)
    except ValueError:
        raise InvalidRequestError("Invalid 'claims' parameter: not JSON.") from None
    if not isinstance(request, dict):
        raise InvalidRequestError("Invalid 'claims' parameter: not a JSON object.")
    clean = {}
    for member in MEMBERS:
        wanted = request.get(member) or {}
        if not isinstance(wanted, dict) or not all(
                spec is None or isinstance(spec, dict) for spec in wanted.values()):
            raise InvalidRequestError(f"Invalid 'claims' parameter: bad '{member}' member.")
        clean[member] = wanted
    return clean


def subject_for(client, user: UserRecord) -> str:
    """OIDC Core §8.1: pairwise clients get a sub derived from the sector host, the local
    sub and a per-install salt; others the local sub."""
    if client is None or client.get("subject_type") != "pairwise":
        return user.sub
    sector = client.get("sector_identifier_uri")
    if sector:
        host = urlsplit(sector).hostname or ""
    else:
        uris = client.get("redirect_uris") or [""]
        host = urlsplit(uris[0]).hostname or ""
    # The salt is the install's random id: stable across restarts, unknown to clients.
    key = current_app.store.get_setting("install")["id"].encode()
    digest = hmac.new(key, f"{host}|{user.sub}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def user_claims(client, user: UserRecord, scope: str,
                requested: dict[str, Any] | None = None) -> dict[str, Any]:
    """The granted scopes' claims and the claims requested by name that the user has."""
    names: list[str] = []
    for scope_name in scope.split():
        try:
            names += current_app.store.get_scope(scope_name).claims
        except NotFound:
            continue
    names += list(requested or {})
    claims: dict[str, Any] = {"sub": subject_for(client, user)}
    for name in names:
        if name == "updated_at":
            claims[name] = int(user.updated_at)
        elif name in user.claims:
            claims[name] = user.claims[name]
    return claims
