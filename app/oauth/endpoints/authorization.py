"""``authorization_endpoint`` (RFC 6749 §3.1, OpenID Connect Core §3.1.2): validate the
request, sign the user in, ask consent, then answer in the requested response mode.

Steps, in order: read parameters -> Authlib validates client, redirect_uri, response_type,
scope and PKCE -> our checks (OIDC redirect_uri, PKCE for public clients, prompt, nonce)
-> login (unless the SSO session satisfies prompt and max_age) -> consent (unless trusted or
remembered) -> issue. Errors before the client and redirect_uri are verified become an
error page; every later error is redirected to the client.
"""

from __future__ import annotations

import time
import warnings

from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import InvalidRequestError, OAuth2Request
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oidc.core.errors import (
    ConsentRequiredError,
    InteractionRequiredError,
    LoginRequiredError,
)
from flask import Blueprint, Flask, current_app, g, render_template, request
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from ...events import emit
from ...logs import annotate
from ...store import NotFound
from .. import acr
from ..claims import parse_claims_request, subject_for
from ..interactions import Interaction, current_login, set_cookies
from ..jarm import resolve_mode as resolve_jarm_mode
from ..login_throttle import FailedSignIns
from ..request_parameters import assemble_authorization_request, trusted_redirect_uri
from ..responses import RESPONSE_MODES, default_mode, deliver, error_page, split_location
from ..sso import add_session_client
from ..token_context import TokenContext
from ..tokens import SIGNING_ALGS
from ..verify import signature_keys

bp = Blueprint("authorization", __name__)

#: RFC 6749 §3.1: "Request and response parameters MUST NOT be included more than once."
SINGLE_VALUED = ("response_type", "client_id", "redirect_uri", "scope", "state", "nonce",
                 "prompt", "max_age", "response_mode", "code_challenge",
                 "code_challenge_method", "login_hint", "acr_values", "request", "request_uri")
PROMPTS = {"none", "login", "consent", "select_account"}
FAILED_SIGN_INS = "pocket_op.failed_sign_ins"  # app.extensions key of the FailedSignIns


def read_params() -> dict[str, str] | str:
    """The request's parameters (query for GET, form for POST per OIDC Core §3.1.2.1), or
    the name of a parameter given twice."""
    source = request.args if request.method == "GET" else request.form
    for name in SINGLE_VALUED:
        if len(source.getlist(name)) > 1:
            return name
    return {key: source[key] for key in source}


def make_request(params: dict[str, str]) -> OAuth2Request:
    oauth_request = OAuth2Request("GET", request.url)
    oauth_request.payload = BasicOAuth2Payload(params)
    return oauth_request


def validate_openid_request(grant, params: dict[str, str]) -> None:
    """Checks Authlib leaves to us; raised errors are redirected to the verified URI."""
    client = grant.request.client
    scopes = (grant.request.scope or "").split()
    # OIDC Core §3.1.2.1: redirect_uri is REQUIRED in an authentication request.
    if "openid" in scopes and not params.get("redirect_uri"):
        raise InvalidRequestError("Missing 'redirect_uri' in request.")
    mode = params.get("response_mode")
    if mode and mode not in RESPONSE_MODES:
        raise InvalidRequestError("Unsupported 'response_mode' in request.")
    # Multiple Response Types §2.1: tokens must not travel in the query.
    if mode == "query" and default_mode(params.get("response_type", "")) == "fragment":
        raise InvalidRequestError("'response_mode=query' cannot carry tokens.")
    # RFC 9700 §2.1.1 / RFC 7636 §4.4.1: public clients MUST use PKCE; the setting
    # require_pkce extends that to every client.
    pkce = client.is_public or client.get("require_pkce") or current_app.settings.require_pkce
    if pkce and "code" in params.get("response_type", "").split() \
            and not params.get("code_challenge"):
        raise InvalidRequestError("Missing 'code_challenge': this client must use PKCE.")
    g.claims_request = parse_claims_request(params.get("claims"))
    g.acr_request = acr.resolve(params, client, g.claims_request)
    prompts = set(params.get("prompt", "").split())
    if prompts - PROMPTS:
        raise InvalidRequestError("Unsupported 'prompt' value in request.")
    # OIDC Core §3.1.2.1: "none" "MUST NOT" be combined with any other value.
    if "none" in prompts and len(prompts) > 1:
        raise InvalidRequestError("'prompt=none' must not be combined with other values.")
    max_age = params.get("max_age")
    if max_age is not None and not max_age.isdigit():
        raise InvalidRequestError("Invalid 'max_age' in request.")


def needs_login(grant, params, user, session, interaction: Interaction | None) -> bool:
    """OIDC Core §3.1.2.1: prompt, max_age, id_token_hint and acr_values (or an acr claim):
    a session below the level asked needs a new login; the client's default_max_age and
    the seed's ``default_prompt_login``."""
    if session is None:
        return True
    if interaction is not None and interaction.login_done:
        return False
    client = grant.request.client
    prompts = set(params.get("prompt", "").split())
    if prompts & {"login", "select_account"} or client.get("default_prompt_login"):
        return True
    hinted = hinted_subject(params.get("id_token_hint"))
    if hinted is not None and hinted not in (user.sub, subject_for(client, user)):
        return True
    if not acr.session_satisfies(g.get("acr_request", acr.AcrRequest()), session):
        return True
    max_age = params.get("max_age") or client.get("default_max_age")
    return max_age is not None and time.time() - session.auth_time > int(max_age)


def no_silent_login(grant, session) -> OAuth2Error:
    """OIDC Core §3.1.2.6: login_required when nobody is signed in (or someone else, or
    too long ago); interaction_required when the client's policy (the seed's
    default_prompt_login) demands an interactive login every time."""
    if session is not None and grant.request.client.get("default_prompt_login"):
        return InteractionRequiredError("This client requires an interactive login.")
    return LoginRequiredError()


def hinted_subject(id_token_hint: str | None) -> str | None:
    """OIDC Core §3.1.2.1: the sub of an ID token we issued (expired ones are fine);
    anything else is invalid_request."""
    if not id_token_hint:
        return None
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "EdDSA is deprecated")
            token = jwt.decode(id_token_hint, KeySet([*signature_keys()]),
                               algorithms=SIGNING_ALGS)
    except (JoseError, ValueError):
        raise InvalidRequestError("Invalid 'id_token_hint' in request.") from None
    if token.claims.get("iss") != current_app.settings.issuer:
        raise InvalidRequestError("Invalid 'id_token_hint' in request.")
    return token.claims.get("sub")


def needs_consent(grant, params, user, interaction: Interaction | None) -> bool:
    client = grant.request.client
    if client.record.trusted or (interaction is not None and interaction.consent_done):
        return False
    if "consent" in params.get("prompt", "").split():
        return True
    try:
        granted = set(current_app.store.get_consent(user.sub, client.client_id))
    except NotFound:
        return True
    return not set((grant.request.scope or "").split()) <= granted


def response_mode(params: dict[str, str]) -> str:
    """The requested mode if it is valid for the response type, else the default one."""
    default = default_mode(params.get("response_type", ""))
    mode = resolve_jarm_mode(params.get("response_mode"), default)
    if mode not in RESPONSE_MODES or (mode == "query" and default == "fragment"):
        return default
    return mode


def redirect_error(error: OAuth2Error, params: dict[str, str]):
    """OAuth errors after the redirect_uri is verified go back to the client."""
    body = [(k, v) for k, v in error.get_body() if k != "state"]
    if params.get("state"):
        body.append(("state", params["state"]))
    sent = {name: params[name] for name in ("acr_values", "id_token_hint") if params.get(name)}
    emit("authorization.error", client_id=params.get("client_id"), error=error.error,
         description=error.description, redirect_uri=error.redirect_uri, **sent)
    return deliver(error.redirect_uri, body, response_mode(params), params.get("client_id"))


ERROR_TITLES = {"invalid_client": "Unknown application",
                "invalid_request": "The application sent an invalid request"}


def untrusted_error(error: OAuth2Error, params: dict[str, str]):
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


def show_step(step: str, params, grant, interaction: Interaction | None, user=None):
    """Render the login or consent page of a (new or continuing) interaction."""
    if interaction is None:
        interaction = current_app.interactions.create(params)
    if step == "login" and "acr_request" in g:
        interaction.acr_choices = [(record.value, record.description)
                                   for record in acr.login_choices(g.acr_request)]
    client = grant.request.client
    page = render_template(
        f"{step}.html", interaction=interaction, client=client, user=user,
        scopes=describe_scopes(grant.request.scope), personas=demo_personas(),
        username=request.form.get("username") or params.get("login_hint", ""),
    )
    response = current_app.make_response(page)
    response.headers["Cache-Control"] = "no-store"
    return set_cookies(response, interaction)


def describe_scopes(scope: str | None) -> list[tuple[str, str]]:
    """(name, description) of each requested scope, for the consent page."""
    described = []
    for name in (scope or "").split():
        try:
            described.append((name, current_app.store.get_scope(name).description))
        except NotFound:
            described.append((name, ""))
    return described


def demo_personas() -> list[str]:
    from ...seed import DEMO_USERS

    return list(DEMO_USERS)


def issue(grant, params, user, session, interaction):
    """Create the response through Authlib and deliver it in the response mode."""
    oauth_request = grant.request
    oauth_request.user, oauth_request.session = user, session
    fresh_login = interaction is not None and interaction.login_done
    oauth_request.token_context = TokenContext.from_login(
        session, acr.token_acr(g.get("acr_request", acr.AcrRequest()), session, fresh_login),
        nonce=params.get("nonce"), claims=g.get("claims_request"))
    response = current_app.oauth.create_authorization_response(
        request=oauth_request, grant_user=user, grant=grant)
    current_app.store.touch_session(session.sid)
    current_app.interactions.finish(interaction)
    location = response.headers.get("Location")
    if not location:
        return response
    redirect_uri, body = split_location(location, grant.redirect_uri)
    body += add_session_client(session, oauth_request, redirect_uri)
    emit("authorization.granted", client_id=grant.request.client.client_id, sub=user.sub,
         sid=session.sid, scope=oauth_request.scope)
    return set_cookies(deliver(redirect_uri, body, response_mode(params),
                               oauth_request.client.client_id))


def authorization_response(params: dict[str, str], interaction: Interaction | None = None):
    """Run every step for ``params``; used by /authorize and by the interaction forms."""
    server = current_app.oauth
    try:
        grant = server.get_consent_grant(make_request(params))
    except OAuth2Error as error:
        if error.redirect_uri:
            return redirect_error(error, params)
        return untrusted_error(error, params)
    try:
        validate_openid_request(grant, params)
        user, session = current_login()
        if needs_login(grant, params, user, session, interaction):
            if "none" in params.get("prompt", "").split():
                raise no_silent_login(grant, session)
            return show_step("login", params, grant, interaction)
        if needs_consent(grant, params, user, interaction):
            if "none" in params.get("prompt", "").split():
                raise ConsentRequiredError()
            return show_step("consent", params, grant, interaction, user=user)
    except OAuth2Error as error:
        error.redirect_uri = grant.redirect_uri
        return redirect_error(error, params)
    return issue(grant, params, user, session, interaction)


@bp.route("/authorize", methods=["GET", "POST"])
def authorize():
    params = read_params()
    if isinstance(params, str):
        error = InvalidRequestError(f"Multiple '{params}' in request.")
        return untrusted_error(error, {})
    annotate(client_id=params.get("client_id"))
    try:  # request objects, pushed requests and the policies on them (RFC 9101, RFC 9126)
        params = assemble_authorization_request(params)
    except OAuth2Error as error:
        error.redirect_uri = trusted_redirect_uri(params)
        if error.redirect_uri:
            return redirect_error(error, params)
        return untrusted_error(error, params)
    return authorization_response(params)


def init_app(app: Flask) -> None:
    from . import login_consent  # noqa: F401 - attaches the form routes to ``bp``

    app.register_blueprint(bp)
    app.extensions[FAILED_SIGN_INS] = FailedSignIns()
    app.registry.add_endpoint("authorization_endpoint", "authorization.authorize")
    app.registry.add_supported("response_modes_supported", *RESPONSE_MODES)
    app.registry.add_supported("prompt_values_supported", *sorted(PROMPTS))
    app.registry.set_value("authorization_response_iss_parameter_supported", True)
    app.registry.set_value("claims_parameter_supported", True)
    app.registry.set_dynamic("acr_values_supported", acr.supported_values)
