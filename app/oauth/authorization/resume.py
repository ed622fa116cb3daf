"""Resuming a request paused at its login or consent page (node-oidc-provider's
``resume.js``): the interaction it waits on, the client read again (it may have been
disabled meanwhile), and the consent form's answer. Nothing else is validated again: the
request was validated once, at /authorize.

OpenID Connect Core 1.0 §3.1.2.4 (consent), §3.1.2.6 (access_denied):
https://openid.net/specs/openid-connect-core-1_0.html
"""

from __future__ import annotations

from authlib.oauth2.rfc6749 import AccessDeniedError, InvalidClientError
from flask import Response, current_app

from ...events import emit
from ...store import NotFound
from ..response_modes.delivery import error_page
from .request import AuthorizationRequest, Interaction


def find_interaction(interaction_id: str) -> Interaction | Response:
    """The pending interaction of this browser, or the page saying it expired."""
    interaction = current_app.interactions.get(interaction_id)
    if interaction is None:
        return error_page("Sign-in expired",
                          "This sign-in page has expired or belongs to another browser. "
                          "Go back to the application and start again.", [], 400)
    return interaction


def reload_client(authorization: AuthorizationRequest) -> None:
    """The client once more, from the store: one that was disabled, deleted or expired
    since /authorize is invalid_client (shown on a page, RFC 6749 §4.1.2.1)."""
    client = current_app.oauth.query_client(authorization.params.get("client_id"))
    if client is None:
        raise InvalidClientError(description="The client does not exist on this server.")
    authorization.grant.request.client = client


def record_consent(authorization: AuthorizationRequest) -> None:
    """The consent form's answer. Allow is remembered per user, client and scopes (with
    what the user granted the client before); deny is access_denied (OIDC Core §3.1.2.6).
    A browser signed out meanwhile sees the login page again."""
    interaction = authorization.interaction
    given, interaction.consent_given = interaction.consent_given, None
    if given is None:
        return
    user, client_id = authorization.user, authorization.client.client_id
    if user is None:
        interaction.login_done = False
        return
    if not given:
        current_app.interactions.finish(interaction)
        emit("consent.denied", sub=user.sub, client_id=client_id)
        raise AccessDeniedError("The user denied the request.")
    scopes = authorization.scope.split()
    try:
        scopes += current_app.store.get_consent(user.sub, client_id)
    except NotFound:
        pass
    current_app.store.save_consent(user.sub, client_id, scopes)
    emit("consent.granted", sub=user.sub, client_id=client_id, scope=" ".join(sorted(set(scopes))))
    interaction.consent_done = True
