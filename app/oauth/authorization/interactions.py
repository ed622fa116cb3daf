"""Pending interactions: authorization requests paused at a login or consent page.

A pending interaction keeps the validated request server-side under a random id for a few
minutes; the browser holds the id in an HttpOnly, SameSite=Lax cookie, which also guards the
login and consent forms against cross-site posts.
"""

from __future__ import annotations

import secrets
import threading
import time

from flask import Response, request

from ..sessions.sso import Browser, set_cookie_once
from .request import AuthorizationRequest, Interaction

INTERACTION_COOKIE = "pocket_op_interaction"
INTERACTION_LIFETIME = 900  # seconds a login or consent page stays usable
MAX_PENDING = 10_000


class Interactions:
    """Pending interactions, in memory: losing them on restart only restarts a login."""

    def __init__(self):
        self._pending: dict[str, Interaction] = {}
        self._lock = threading.Lock()

    def create(self, authorization: AuthorizationRequest) -> Interaction:
        """Pause ``authorization`` on a new interaction."""
        now = time.time()
        with self._lock:
            if len(self._pending) >= MAX_PENDING:
                self._pending = {k: v for k, v in self._pending.items() if v.expires_at > now}
            interaction = Interaction(secrets.token_urlsafe(24), authorization,
                                      now + INTERACTION_LIFETIME)
            self._pending[interaction.id] = interaction
        authorization.interaction = interaction
        return interaction

    def get(self, interaction_id: str) -> Interaction | None:
        """The interaction if it exists, has not expired and belongs to this browser."""
        if request.cookies.get(INTERACTION_COOKIE) != interaction_id:
            return None
        with self._lock:
            interaction = self._pending.get(interaction_id)
        if interaction is None or interaction.expires_at <= time.time():
            return None
        return interaction

    def finish(self, interaction: Interaction | None) -> None:
        if interaction is not None:
            with self._lock:
                self._pending.pop(interaction.id, None)


def set_cookies(response: Response, browser: Browser,
                interaction: Interaction | None = None) -> Response:
    """The cookies this request changed, once each even when steps call this in turn (the
    login form's answer is the next step's page or redirect, which set them already)."""
    if interaction is not None:
        # Below the issuer's path (script_root) when the issuer has one.
        set_cookie_once(response, INTERACTION_COOKIE, interaction.id, httponly=True,
                        samesite="Lax", path=request.script_root + "/interaction",
                        max_age=INTERACTION_LIFETIME)
    return browser.set_cookies(response)
