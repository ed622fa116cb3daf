"""The user-facing steps of an authorization request: pending interactions (login,
consent).

A pending interaction keeps the validated request's parameters server-side under a random
id for a few minutes; the browser holds the id in an HttpOnly, SameSite=Lax cookie, which
also guards the login and consent forms against cross-site posts.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field

from flask import Response, request

from .sso import set_browser_state_cookie, set_cookie_once, set_session_cookie

INTERACTION_COOKIE = "pocket_op_interaction"
INTERACTION_LIFETIME = 900  # seconds a login or consent page stays usable
MAX_PENDING = 10_000


@dataclass
class Interaction:
    id: str
    params: dict[str, str]
    expires_at: float
    login_done: bool = False
    consent_done: bool = False
    errors: list[str] = field(default_factory=list)
    #: (value, description) of the ACRs the login page offers (app.oauth.acr.login_choices)
    acr_choices: list[tuple[str, str]] = field(default_factory=list)


class Interactions:
    """Pending interactions, in memory: losing them on restart only restarts a login."""

    def __init__(self):
        self._pending: dict[str, Interaction] = {}
        self._lock = threading.Lock()

    def create(self, params: dict[str, str]) -> Interaction:
        now = time.time()
        with self._lock:
            if len(self._pending) >= MAX_PENDING:
                self._pending = {k: v for k, v in self._pending.items() if v.expires_at > now}
            interaction = Interaction(secrets.token_urlsafe(24), dict(params),
                                      now + INTERACTION_LIFETIME)
            self._pending[interaction.id] = interaction
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


def set_cookies(response: Response, interaction: Interaction | None = None) -> Response:
    """The cookies this request changed, once each even when steps call this in turn (the
    login form's answer is the next step's page or redirect, which set them already)."""
    set_session_cookie(response)
    if interaction is not None:
        # Below the issuer's path (script_root) when the issuer has one.
        set_cookie_once(response, INTERACTION_COOKIE, interaction.id, httponly=True,
                        samesite="Lax", path=request.script_root + "/interaction",
                        max_age=INTERACTION_LIFETIME)
    return set_browser_state_cookie(response)
