"""The steps that involve the person: who is signed in, and the login and consent pages
when the policy asks for them. A page pauses the request on its interaction; the page's
form (``app.oauth.interaction``) resumes it.

OpenID Connect Core 1.0 §3.1.2.3 (authentication), §3.1.2.4 (consent), §3.1.2.6
(login_required, consent_required when prompt=none forbids a page):
https://openid.net/specs/openid-connect-core-1_0.html
"""

from __future__ import annotations

from authlib.oidc.core.errors import ConsentRequiredError
from flask import Response, current_app, render_template, request

from ...store import NotFound
from .. import acr
from .interactions import set_cookies
from .policy import needs_consent, needs_login, no_silent_login
from .request import AuthorizationRequest


def load_login(authorization: AuthorizationRequest) -> None:
    """The signed-in person and SSO session of this browser, at this HTTP request."""
    authorization.user, authorization.session = authorization.browser.current_login()


def login(authorization: AuthorizationRequest) -> Response | None:
    """The login page, unless the SSO session satisfies the request (``needs_login``);
    with prompt=none, login_required or interaction_required instead."""
    if not needs_login(authorization):
        return None
    if "none" in authorization.prompts:
        raise no_silent_login(authorization)
    return show_page("login", authorization)


def consent(authorization: AuthorizationRequest) -> Response | None:
    """The consent page, unless the client is trusted or the scopes were granted before
    (``needs_consent``); with prompt=none, consent_required instead."""
    if not needs_consent(authorization):
        return None
    if "none" in authorization.prompts:
        raise ConsentRequiredError()
    return show_page("consent", authorization, user=authorization.user)


def show_page(name: str, authorization: AuthorizationRequest, user=None) -> Response:
    """The login or consent page of the request's interaction (a new one the first
    time)."""
    interaction = authorization.interaction or current_app.interactions.create(authorization)
    if name == "login":
        interaction.acr_choices = [(record.value, record.description)
                                   for record in acr.login_choices(authorization.acr)]
    page = render_template(
        f"{name}.html", interaction=interaction, client=authorization.client, user=user,
        scopes=describe_scopes(authorization.scope), personas=current_app.demo_personas,
        username=request.form.get("username") or authorization.params.get("login_hint", ""),
    )
    response = current_app.make_response(page)
    response.headers["Cache-Control"] = "no-store"
    return set_cookies(response, authorization.browser, interaction)


def describe_scopes(scope: str) -> list[tuple[str, str]]:
    """(name, description) of each requested scope, for the consent page."""
    described = []
    for name in scope.split():
        try:
            described.append((name, current_app.store.get_scope(name).description))
        except NotFound:
            described.append((name, ""))
    return described
