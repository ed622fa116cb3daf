"""The client as Authlib sees it: a ``ClientMixin`` over the store's client record.

RFC 6749 §3.1.2 (redirection endpoint), RFC 8252 §7.3 (loopback redirects, any port) and
§7.1 (private-use URI schemes), OpenID Connect Registration §2 (metadata defaults).
https://www.rfc-editor.org/rfc/rfc8252
"""

from __future__ import annotations

from typing import Any

from authlib.oauth2.rfc6749 import ClientMixin, InvalidScopeError

from ..store.records import ClientRecord
from . import redirect_uri
from .safe_regex import safe_fullmatch

#: OIDC Registration §2 / RFC 7591 §2: what a client has when its metadata says nothing.
METADATA_DEFAULTS: dict[str, Any] = {
    "grant_types": ["authorization_code"],
    "response_types": ["code"],
    "token_endpoint_auth_method": "client_secret_basic",
    "id_token_signed_response_alg": "RS256",
    "application_type": "web",
}


class OAuthClient(ClientMixin):
    def __init__(self, record: ClientRecord):
        self.record = record
        self.client_id = record.client_id
        self.metadata = {**METADATA_DEFAULTS, **record.metadata}

    def get(self, name: str, default: Any = None) -> Any:
        return self.metadata.get(name, default)

    @property
    def is_public(self) -> bool:
        return self.metadata["token_endpoint_auth_method"] == "none"

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        """RFC 6749 §3.1.2.3: the redirect_uri may be omitted only if exactly one is registered."""
        uris = self.get("redirect_uris") or []
        uri = redirect_uri.parse(uris[0]) if len(uris) == 1 else None
        return uri.text if uri is not None else None

    def get_allowed_scope(self, scope: str | None) -> str:
        """RFC 6749 §3.3: the requested scopes, each of which the client may ask for."""
        requested = (scope or "").split()
        allowed = (self.get("scope") or "").split()
        refused = [name for name in requested if name not in allowed]
        if refused:
            raise InvalidScopeError(f"Scope '{refused[0]}' is not allowed for this client.")
        return " ".join(dict.fromkeys(requested))

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return self.match_redirect_uri(redirect_uri) is not None

    def match_redirect_uri(self, sent: str) -> str | None:
        """The normalised redirect URI to send the response to, if ``sent`` is registered
        (``redirect_uri.match``: exact, or a loopback IP with any port) or matches the
        seed's ``redirect_uris_regex``; None otherwise. Only URIs every parser reads alike
        qualify, so the host compared is the host the browser goes to."""
        uri = redirect_uri.match(sent, self.get("redirect_uris") or [])
        if uri is not None:
            return uri.text
        pattern = self.get("redirect_uris_regex")
        uri = redirect_uri.parse(sent) if pattern else None
        if uri is not None and safe_fullmatch(pattern, uri.text):
            return uri.text
        return None

    def check_client_secret(self, client_secret: str) -> bool:
        from flask import current_app

        return current_app.store.check_client_secret(self.client_id, client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method == self.metadata["token_endpoint_auth_method"]

    def check_response_type(self, response_type: str) -> bool:
        wanted = set((response_type or "").split())
        return any(set(value.split()) == wanted for value in self.get("response_types") or [])

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in (self.get("grant_types") or [])
