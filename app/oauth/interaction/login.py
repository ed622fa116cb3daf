"""POST /interaction/<id>/login: the login form (OpenID Connect Core §3.1.2.3), or a demo
persona's one-click button. A sign-in resumes the request; a refused one shows the login
page again.

RFC 6749 §10.10: failed sign-ins are throttled per username and address
(``login_throttle``).
"""

from __future__ import annotations

from flask import Response, current_app, request

from ...events import emit
from ..acr import login_acr
from ..authorization import steps
from ..authorization.prompts import show_page
from ..authorization.request import Interaction
from ..authorization.resume import find_interaction
from ..login_throttle import failed_sign_ins, wait_message
from ..sessions.sso import Browser


def login(interaction_id: str) -> Response:
    interaction = find_interaction(interaction_id)
    if isinstance(interaction, Response):
        return interaction
    username = request.form.get("username", "")
    password = request.form.get("password", "")
    persona = request.form.get("persona")
    if persona in current_app.demo_personas:
        username = password = persona  # one-click demo login: works while the demo password does
    client_id = interaction.request.params.get("client_id")
    address = request.remote_addr or ""
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
    browser = Browser()
    session = browser.sign_in(user, amr=["pwd"], acr=acr)
    emit("login.succeeded", sub=user.sub, sid=session.sid, acr=acr)
    interaction.login_done, interaction.errors = True, []
    # The new session's cookies, even when the resumed request ends on an error page.
    return browser.set_cookies(steps.resume_interaction(interaction, browser))


def login_again(interaction: Interaction, message: str, status: int) -> Response:
    """The login page once more, with ``message`` above the form."""
    interaction.errors = [message]
    response = show_page("login", interaction.request.resumed(Browser()))
    response.status_code = status
    return response
