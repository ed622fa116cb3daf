"""One authorization request as the steps see it, and the interaction it waits on.

The ``AuthorizationRequest`` is built once, at /authorize: its parameters (after request
objects and pushed requests are assembled), Authlib's validated grant (client, scope, the
verified redirect_uri) and the claims and ACR requests. A login or consent page keeps it on
an ``Interaction``, and the forms resume it from there, with the ``Browser`` of their own
HTTP request (``resumed``).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace

from authlib.oauth2.rfc6749.grants import BaseGrant

from ...store.records import SessionRecord, UserRecord
from ..acr import AcrRequest
from ..clients import OAuthClient
from ..sessions.sso import Browser


@dataclass
class AuthorizationRequest:
    #: The request's parameters, request object and pushed request included (RFC 9101 §6.3).
    params: dict[str, str] = field(default_factory=dict)
    #: Authlib's grant once it validated the request: ``grant.request`` holds the client and
    #: the allowed scope, ``grant.redirect_uri`` the verified redirect_uri.
    grant: BaseGrant | None = None
    #: OIDC Core §5.5: the ``claims`` request parameter, parsed.
    claims: dict | None = None
    #: The ACRs asked for (acr_values, an ``acr`` claim or the client's default_acr_values).
    acr: AcrRequest = field(default_factory=AcrRequest)
    #: The interaction waiting on the person, once a login or consent page was shown.
    interaction: Interaction | None = None
    #: This browser at this HTTP request (who is signed in, the cookies to send); None for
    #: a pushed request (RFC 9126), which the client sends, not the browser.
    browser: Browser | None = None
    #: The signed-in person and SSO session, read again at each HTTP request.
    user: UserRecord | None = None
    session: SessionRecord | None = None

    @property
    def client(self) -> OAuthClient:
        return self.grant.request.client

    @property
    def redirect_uri(self) -> str | None:
        """Where the answer and every error may go: verified, or None before that."""
        return self.grant.redirect_uri if self.grant is not None else None

    @property
    def scope(self) -> str:
        """The scope Authlib allowed (the requested one, limited to the client's)."""
        return self.grant.request.scope or ""

    @property
    def prompts(self) -> set[str]:
        return set(self.params.get("prompt", "").split())

    def resumed(self, browser: Browser) -> AuthorizationRequest:
        """A copy for one HTTP request that resumes this request: its browser, the person,
        the client read again and what Authlib sets while answering stay with that HTTP
        request, even when a form is posted twice at once."""
        grant = copy.copy(self.grant)
        grant.request = copy.copy(self.grant.request)
        return replace(self, grant=grant, browser=browser)


@dataclass
class Interaction:
    """An authorization request paused at its login or consent page, and what the person
    answered so far."""

    id: str
    request: AuthorizationRequest
    expires_at: float
    login_done: bool = False
    consent_done: bool = False
    #: The consent form's answer (True: allow), until the resumed request records it.
    consent_given: bool | None = None
    errors: list[str] = field(default_factory=list)
    #: (value, description) of the ACRs the login page offers (app.oauth.acr.login_choices)
    acr_choices: list[tuple[str, str]] = field(default_factory=list)
