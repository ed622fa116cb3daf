"""The answer to an authorization request: the grant's response through Authlib, or an
error, delivered in the requested response mode (``responses.deliver``: query, fragment,
form_post and the JARM modes); errors before the client and redirect_uri are verified are
shown on an error page instead.

RFC 6749 §4.1.2, §4.1.2.1: https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
RFC 9207 §2 (``iss`` in every response), JARM §2.3, OIDC Session Management §3
(``session_state``).
"""

from __future__ import annotations

from authlib.oauth2 import OAuth2Error
from flask import Response, current_app

from ...events import emit
from ...store import NotFound
from .. import acr
from ..response_modes.delivery import (
    RESPONSE_MODES,
    default_mode,
    deliver,
    error_page,
    split_location,
)
from ..response_modes.jarm import resolve_mode as resolve_jarm_mode
from ..sessions.sso import add_session_client
from ..token_context import TokenContext
from .interactions import set_cookies
from .request import AuthorizationRequest


def issue(authorization: AuthorizationRequest) -> Response:
    """Create the response through Authlib (with the grant validated at /authorize) and
    deliver it in the response mode."""
    grant, user, session = authorization.grant, authorization.user, authorization.session
    oauth_request = grant.request
    oauth_request.user, oauth_request.session = user, session
    set_token_context(authorization)
    response = current_app.oauth.create_authorization_response(
        request=oauth_request, grant_user=user, grant=grant)
    current_app.store.touch_session(session.sid)
    current_app.interactions.finish(authorization.interaction)
    location = response.headers.get("Location")
    if not location:
        return response
    redirect_uri, body = split_location(location, grant.redirect_uri)
    body += add_session_client(authorization.browser, session, oauth_request, redirect_uri)
    emit("authorization.granted", client_id=authorization.client.client_id, sub=user.sub,
         sid=session.sid, scope=oauth_request.scope)
    return set_cookies(deliver(redirect_uri, body, response_mode(authorization.params),
                               authorization.client.client_id), authorization.browser)


def set_token_context(authorization: AuthorizationRequest) -> None:
    """What the tokens of this grant know (``TokenContext``): the session's authentication
    facts, the nonce and the claims request, which the grants store with the code
    (``save_code``) and put in the tokens (``save_token``, ``create_id_token``)."""
    session, interaction = authorization.session, authorization.interaction
    fresh_login = interaction is not None and interaction.login_done
    authorization.grant.request.token_context = TokenContext.from_login(
        session, acr.token_acr(authorization.acr, session, fresh_login),
        nonce=authorization.params.get("nonce"), claims=authorization.claims)


def response_mode(params: dict[str, str]) -> str:
    """The requested mode if it is valid for the response type, else the default one."""
    default = default_mode(params.get("response_type", ""))
    mode = resolve_jarm_mode(params.get("response_mode"), default)
    if mode not in RESPONSE_MODES or (mode == "query" and default == "fragment"):
        return default
    return mode


def unverified_error(error: OAuth2Error, params: dict[str, str]) -> Response:
    """An error found before the client and redirect_uri were verified: redirected only to
    a redirect_uri the step verified, else shown on a page."""
    if error.redirect_uri:
        return redirect_error(error, params)
    return untrusted_error(error, params)


def redirect_error(error: OAuth2Error, params: dict[str, str]) -> Response:
    """OAuth errors after the redirect_uri is verified go back to the client."""
    body = [(k, v) for k, v in error.get_body() if k != "state"]
    if params.get("state"):
        body.append(("state", params["state"]))
    sent = {name: params[name] for name in ("acr_values", "id_token_hint") if params.get(name)}
    emit("authorization.error", client_id=params.get("client_id"), error=error.error,
         description=error.description, redirect_uri=error.redirect_uri, **sent)
    # A redirect happens only once this client_id was looked up and its redirect_uri verified.
    return deliver(error.redirect_uri, body, response_mode(params), params.get("client_id"))


ERROR_TITLES = {"invalid_client": "Unknown application",
                "invalid_request": "The application sent an invalid request"}


def untrusted_error(error: OAuth2Error, params: dict[str, str]) -> Response:
    """RFC 6749 §4.1.2.1: with an unknown client or an unregistered redirect_uri, "the
    authorization server SHOULD inform the resource owner of the error and MUST NOT
    automatically redirect the user-agent to the invalid redirection URI"."""
    client_id = params.get("client_id", "")
    details = [("client_id sent", client_id or "(none)"),
               ("redirect_uri sent", params.get("redirect_uri", "(none)"))]
    try:
        record = current_app.store.get_client(client_id)
    except NotFound:
        details.append(("registered", "no client has this client_id"))
    else:
        registered = record.metadata.get("redirect_uris") or []
        details.append(("redirect_uris registered", ", ".join(registered) or "(none)"))
        if record.metadata.get("redirect_uris_regex"):
            details.append(("redirect_uris_regex", record.metadata["redirect_uris_regex"]))
    emit("authorization.error", client_id=client_id or None, error=error.error,
         description=error.description, redirect_uri=params.get("redirect_uri"))
    return error_page(ERROR_TITLES.get(error.error, "The request cannot be served"),
                      f"{error.error}: {error.description or ''}", details)
