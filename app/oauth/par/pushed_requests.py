"""Pushed authorization requests waiting for their authorization request, in memory.

RFC 9126 §2.2: the ``request_uri`` is "a reference to the respective request data in the
subsequent authorization request"; §4: "An expired request_uri MUST be rejected as
invalid." Kept in memory like pending interactions: they live a minute or so, and losing
them on restart only means pushing again.
https://www.rfc-editor.org/rfc/rfc9126
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass

#: RFC 9126 §2.2: the URN prefix of the request_uri values we issue.
URN_PREFIX = "urn:ietf:params:oauth:request_uri:"
#: Seconds a pushed request stays usable unless the client registered ``par_lifetime``.
DEFAULT_LIFETIME = 60
MAX_PENDING = 10_000


@dataclass(frozen=True)
class PushedRequest:
    client_id: str
    params: dict[str, str]
    signed: bool  # the parameters came from a signed request object
    expires_at: float


class PushedRequests:
    def __init__(self):
        self._pending: dict[str, PushedRequest] = {}
        self._lock = threading.Lock()

    def save(self, client_id: str, params: dict[str, str], signed: bool,
             lifetime: int) -> str:
        """Keep the validated parameters; returns the new request_uri."""
        now = time.time()
        request_uri = URN_PREFIX + secrets.token_urlsafe(32)
        with self._lock:
            if len(self._pending) >= MAX_PENDING:
                self._pending = {k: v for k, v in self._pending.items() if v.expires_at > now}
            self._pending[request_uri] = PushedRequest(client_id, dict(params), signed,
                                                       now + lifetime)
        return request_uri

    def consume(self, request_uri: str, client_id: str) -> PushedRequest | None:
        """The pushed request, once (RFC 9126 §4: "Authorization servers SHOULD treat
        request_uri values as one-time use"); None when unknown, used, expired or pushed by
        another client (which leaves it to its owner)."""
        with self._lock:
            pushed = self._pending.get(request_uri)
            if pushed is None or pushed.client_id != client_id:
                return None
            del self._pending[request_uri]
        return pushed if pushed.expires_at > time.time() else None
