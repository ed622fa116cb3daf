"""The login and consent forms of the authorization endpoint's interactions (OpenID
Connect Core §3.1.2.3 authentication, §3.1.2.4 consent). Their routes belong to the
authorization blueprint, so the pages' form actions stay ``authorization.login`` and
``authorization.consent``. Both forms are guarded by the interaction cookie (HttpOnly,
SameSite=Lax), which a cross-site post does not carry.
"""

from __future__ import annotations

from authlib.oauth2.rfc6749 import AccessDeniedError
from flask import current_app, request

from ...events import emit
from ...store import NotFound
from ..acr import login_acr
from ..interactions import Interaction, set_cookies
from ..login_throttle import failed_sign_ins, wait_message
from ..responses import error_page
from ..sso import current_login, sign_in
from .authorization import (
    authorization_response,
    bp,
    demo_personas,
    make_request,
    redirect_error,
    show_step,
)


def interaction_or_error(interaction_id: str):
    interaction = current_app.interactions.get(interaction_id)
    if interaction is None:
        return None, error_page("Sign-in expired",
                                "This sign-in page has expired or belongs to another browser. "
                                "Go back to the application and start again.", [], 400)
    return interaction, None


def login_again(interaction: Interaction, message: str, status: int):
    """The login page once more, with ``message`` above the form."""
    grant = current_app.oauth.get_consent_grant(make_request(interaction.params))
    interaction.errors = [message]
    response = show_step("login", interaction.params, grant, interaction)
    response.status_code = status
    return response


@bp.post("/interaction/<interaction_id>/login")
def login(interaction_id: str):
    interaction, problem = interaction_or_error(interaction_id)
    if problem:
        return problem
    username = request.form.get("username", "")
    password = request.form.get("password", "")
    persona = request.form.get("persona")
    if persona in demo_personas():
        username = password = persona  # one-click demo login: works while the demo password does
    client_id, address = interaction.params.get("client_id"), request.remote_addr or ""
    choices = [value for value, _ in interaction.acr_choices]
    acr = login_acr(choices, request.form.get("acr"))
    if choices and acr is None:
        return login_again(interaction, "Choose one of the authentication levels offered.", 400)
    settings, failures = current_app.settings, failed_sign_ins()
    limits = (settings.login_max_failures, settings.login_failure_window)
    # RFC 6749 §10.10: throttled attempts are refused before the password is checked.
    wait = failures.retry_after(username, address, *limits)
    if wait is not None:
        emit("login.throttled", username=username[:100], ip=address, client_id=client_id,
             retry_after=wait)
        response = login_again(interaction, wait_message(wait), 429)
        response.headers["Retry-After"] = str(wait)
        return response
    user = current_app.store.authenticate_user(username, password)
    if user is None:
        failures.record(username, address, *limits)
        emit("login.failed", username=username[:100], ip=address, client_id=client_id)
        return login_again(interaction, "Wrong username or password.", 401)
    failures.clear(username, address)
    session = sign_in(user, amr=["pwd"], acr=acr)
    emit("login.succeeded", sub=user.sub, sid=session.sid, acr=acr)
    interaction.login_done, interaction.errors = True, []
    return set_cookies(authorization_response(interaction.params, interaction))


@bp.post("/interaction/<interaction_id>/consent")
def consent(interaction_id: str):
    interaction, problem = interaction_or_error(interaction_id)
    if problem:
        return problem
    user, _ = current_login()
    if user is None:
        interaction.login_done = False
        return authorization_response(interaction.params, interaction)
    grant = current_app.oauth.get_consent_grant(make_request(interaction.params))
    client_id = grant.request.client.client_id
    if request.form.get("decision") != "allow":
        current_app.interactions.finish(interaction)
        emit("consent.denied", sub=user.sub, client_id=client_id)
        error = AccessDeniedError("The user denied the request.", redirect_uri=grant.redirect_uri)
        return redirect_error(error, interaction.params)
    scopes = (grant.request.scope or "").split()
    try:
        scopes += current_app.store.get_consent(user.sub, client_id)
    except NotFound:
        pass
    current_app.store.save_consent(user.sub, client_id, scopes)
    emit("consent.granted", sub=user.sub, client_id=client_id, scope=" ".join(sorted(set(scopes))))
    interaction.consent_done = True
    return authorization_response(interaction.params, interaction)
