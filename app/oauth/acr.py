"""Authentication Context Class References: which ACR an authorization request asks for,
whether the SSO session satisfies it, what the login page offers and what the ID token's
``acr`` says.

OpenID Connect Core 1.0 §2 (acr), §3.1.2.1 (acr_values), §5.5.1.1 (acr as an Essential
Claim): https://openid.net/specs/openid-connect-core-1_0.html
OpenID Connect Unmet Authentication Requirements 1.0:
https://openid.net/specs/openid-connect-unmet-authentication-requirements-1_0.html
OpenID Connect Registration §2 (default_acr_values); the Janssen client field
``authorized_acr_values`` (the ACRs a client may ask for).

The ACRs are the store's (the Enabled ACRs screen): each has a level. A session signed in at
a level satisfies a request for any ACR at that level or below; a request for a higher one
(voluntary or essential) needs a new login, at which the person picks among the requested
ACRs (a dev server's way to test step-up). The level-0 ACR (``0``, Core §2: "Authentication
using a long-lived browser cookie ... is one example where the use of 'level 0' is
appropriate") is what an ID token says when an SSO session is reused and no ACR was asked.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from authlib.oauth2 import OAuth2Error
from flask import current_app

from ..store import NotFound
from ..store.records import AcrRecord, SessionRecord


class UnmetAuthenticationRequirementsError(OAuth2Error):
    """Unmet Authentication Requirements 1.0 §1: "The Authorization Server is unable to
    meet the requirements of the Relying Party for the authentication of the End-User.\""""

    error = "unmet_authentication_requirements"


@dataclass(frozen=True)
class AcrRequest:
    #: The enabled ACRs requested (and allowed to the client), in the request's order of
    #: preference; empty when nothing usable was asked.
    acceptable: list[AcrRecord] = field(default_factory=list)
    essential: bool = False


def enabled_acrs() -> dict[str, AcrRecord]:
    return {record.value: record for record in current_app.store.find_acrs(enabled=True)}


def supported_values() -> list[str]:
    """Discovery's ``acr_values_supported``: the enabled ACRs, read at each request."""
    return list(enabled_acrs())


def requested_values(params: dict[str, str], client,
                     claims_request: dict | None) -> tuple[list[str], bool]:
    """(values asked, essential?): an essential ``acr`` claim with values (§5.5.1.1) first,
    then ``acr_values`` (§3.1.2.1: voluntary), a voluntary ``acr`` claim, and the client's
    ``default_acr_values``."""
    spec = ((claims_request or {}).get("id_token") or {}).get("acr") or {}
    wanted = spec.get("values") if isinstance(spec.get("values"), list) else (
        [spec["value"]] if isinstance(spec.get("value"), str) else [])
    wanted = [value for value in wanted if isinstance(value, str)]
    if spec.get("essential") is True and wanted:
        return wanted, True
    if params.get("acr_values", "").split():
        return params["acr_values"].split(), False
    if wanted:
        return wanted, False
    return list(client.get("default_acr_values") or []), False


def resolve(params: dict[str, str], client, claims_request: dict | None) -> AcrRequest:
    """The request's ACR needs; an essential ACR that cannot be met is an error, a
    voluntary one is ignored."""
    values, essential = requested_values(params, client, claims_request)
    if not values:
        return AcrRequest()
    enabled = enabled_acrs()
    authorized = client.get("authorized_acr_values")
    acceptable = [enabled[v] for v in dict.fromkeys(values)
                  if v in enabled and (not authorized or v in authorized)]
    if essential and not acceptable:
        # Unmet Authentication Requirements 1.0 §1: SHALL be used when an essential acr
        # claim cannot be met.
        raise UnmetAuthenticationRequirementsError(
            "None of the essential 'acr' values can be met.")
    return AcrRequest(acceptable, essential)


def level_of(value: str | None) -> int:
    """The level of a session's ACR (0 when unknown or deleted since)."""
    if value is None:
        return 0
    try:
        return current_app.store.get_acr(value).level
    except NotFound:
        return 0


def session_satisfies(acr_request: AcrRequest, session: SessionRecord) -> bool:
    if not acr_request.acceptable:
        return True
    level = level_of(session.acr)
    return any(record.level <= level for record in acr_request.acceptable)


def default_acr() -> AcrRecord | None:
    try:
        return current_app.store.get_default_acr()
    except NotFound:
        return None


def login_choices(acr_request: AcrRequest) -> list[AcrRecord]:
    """What the login page offers: the requested ACRs a sign-in can reach (level 1 and up);
    nothing when no ACR was asked (the sign-in is then at the default ACR)."""
    return [record for record in acr_request.acceptable if record.level > 0]


def login_acr(choices: list[str], chosen: str | None) -> str | None:
    """The session's ACR after a sign-in: the one chosen among ``choices`` (the first when
    none was posted), or the default ACR when the page offered none. None if ``chosen`` is
    not offered."""
    if not choices:
        default = default_acr()
        return default.value if default is not None else None
    if not chosen:
        return choices[0]
    return chosen if chosen in choices else None


def token_acr(acr_request: AcrRequest, session: SessionRecord, fresh_login: bool) -> str | None:
    """The ``acr`` claim: after a sign-in, the session's ACR. A reused session answers with
    the requested ACR it satisfies (its own if asked, else the highest-level one), or the
    level-0 ACR when nothing was asked."""
    if fresh_login:
        return session.acr
    level = level_of(session.acr)
    met = [record for record in acr_request.acceptable if record.level <= level]
    if met:
        own = [record for record in met if record.value == session.acr]
        return (own or sorted(met, key=lambda record: -record.level))[0].value
    reused = [record for record in enabled_acrs().values() if record.level == 0]
    return reused[0].value if reused else session.acr
