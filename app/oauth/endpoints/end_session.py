"""``end_session_endpoint``: OpenID Connect RP-Initiated Logout 1.0, with the front-channel
iframes (Front-Channel Logout 1.0 §4) on the logged-out page.

https://openid.net/specs/openid-connect-rpinitiated-1_0.html

Steps, in order: read parameters -> validate id_token_hint, client_id and
post_logout_redirect_uri (a failure is an error page, never a redirect) -> no SSO session:
nothing to end -> a request tied to the session's user logs out at once, any other is asked
first -> ``logout.end_sso_session`` (tokens, back-channel) -> the logged-out page with the
front-channel iframes, then the post_logout_redirect_uri with ``state``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import InvalidRequestError
from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from ...events import emit
from ...request_notes import annotate
from ...store import NotFound
from .. import redirect_uri
from ..claims import subject_for
from ..clients import OAuthClient
from ..response_modes.delivery import error_page
from ..sessions.logout import (
    CONFIRMATION_LIFETIME,
    LOGOUT_COOKIE,
    PendingLogouts,
    add_query,
    end_sso_session,
)
from ..sessions.sso import SESSION_COOKIE, Browser
from ..tokens import SIGNING_ALGS
from ..verify import signature_keys

bp = Blueprint("end_session", __name__)

#: §2: the logout request's parameters, each at most once.
PARAMETERS = ("id_token_hint", "logout_hint", "client_id", "post_logout_redirect_uri", "state",
              "ui_locales")


@dataclass
class LogoutRequest:
    params: dict[str, str]
    client: OAuthClient | None
    hint: dict | None  # the claims of the id_token_hint
    redirect_to: str | None  # the validated post_logout_redirect_uri, state added


def read_params() -> dict[str, str]:
    """§2: "OPs MUST support the use of the HTTP GET and POST methods at the Logout
    Endpoint"; the query of a GET, the form of a POST."""
    source = request.args if request.method == "GET" else request.form
    for name in PARAMETERS:
        if len(source.getlist(name)) > 1:
            raise InvalidRequestError(f"Multiple '{name}' in request.")
    return {name: source[name] for name in PARAMETERS if source.get(name)}


def decode_id_token_hint(value: str | None) -> dict | None:
    """§2 id_token_hint, an ID token we issued. "The OP SHOULD accept ID Tokens when the RP
    identified by the ID Token's aud claim and/or sid claim has a current session or had a
    recent session at the OP, even when the exp time has passed": signature and issuer are
    checked, exp is not."""
    if not value:
        return None
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "EdDSA is deprecated")
            token = jwt.decode(value, KeySet([*signature_keys()]), algorithms=SIGNING_ALGS)
    except (JoseError, ValueError):
        raise InvalidRequestError("Invalid 'id_token_hint' in request.") from None
    if token.claims.get("iss") != current_app.settings.issuer:
        raise InvalidRequestError("Invalid 'id_token_hint' in request.")
    return token.claims


def find_client(client_id: str) -> OAuthClient:
    try:
        record = current_app.store.get_client(client_id)
    except NotFound:
        record = None
    if record is None or not record.active:
        raise InvalidRequestError("Invalid 'client_id' in request.")
    return OAuthClient(record)


def validate_logout_request(params: dict[str, str]) -> LogoutRequest:
    """§2 client_id: "When both client_id and id_token_hint are present, the OP MUST verify
    that the Client Identifier matches the one used when issuing the ID Token"; without
    client_id the hint's audience names the client."""
    hint = decode_id_token_hint(params.get("id_token_hint"))
    client_id = params.get("client_id")
    if hint is not None:
        audience = hint.get("aud")
        audience = [audience] if isinstance(audience, str) else list(audience or [])
        if client_id and client_id not in audience:
            raise InvalidRequestError("'client_id' does not match the 'id_token_hint'.")
        client_id = client_id or hint.get("azp") or (audience[0] if len(audience) == 1 else None)
    client = find_client(client_id) if client_id else None
    return LogoutRequest(params, client, hint, validate_redirect(params, client))


def validate_redirect(params: dict[str, str], client: OAuthClient | None) -> str | None:
    """§3: "The OP also MUST NOT perform post-logout redirection if the
    post_logout_redirect_uri value supplied does not exactly match one of the previously
    registered post_logout_redirect_uris values"; without id_token_hint, client_id is the
    "other means of confirming the legitimacy of the post-logout redirection target".
    §2 state: "the OP passes this value back to the RP using the state parameter"."""
    uri = params.get("post_logout_redirect_uri")
    if uri is None:
        return None
    if client is None:
        raise InvalidRequestError(
            "'post_logout_redirect_uri' needs 'client_id' or 'id_token_hint'.")
    # Exact match, and only a URI every parser reads alike (redirect_uri.parse); the
    # redirect goes to its normalised text.
    parsed = redirect_uri.parse(uri)
    if parsed is None or uri not in (client.get("post_logout_redirect_uris") or []):
        raise InvalidRequestError("Invalid 'post_logout_redirect_uri' in request.")
    state = params.get("state")
    return add_query(parsed.text, [("state", state)]) if state else parsed.text


def check_tied_to_session(logout: LogoutRequest, user, session) -> bool:
    """§2: "the OP MUST ask the End-User this question if an id_token_hint was not provided
    or if the supplied ID Token does not belong to the current OP session with the RP
    and/or currently logged in End-User"; a logout_hint naming someone else asks too."""
    hint = logout.hint
    if hint is None:
        return False
    subjects = {user.sub}
    if logout.client is not None:
        subjects.add(subject_for(logout.client, user))
    if hint.get("sub") not in subjects or hint.get("sid", session.sid) != session.sid:
        return False
    logout_hint = logout.params.get("logout_hint")
    return logout_hint is None or logout_hint in (user.sub, user.username, session.sid,
                                                  user.claims.get("email"))


def refuse(error: OAuth2Error, params: dict[str, str]) -> Response:
    """§3: no redirect after a failed validation; an error page naming what was sent, and
    the registered URIs for the developer."""
    details = [(name, params[name]) for name in ("client_id", "post_logout_redirect_uri")
               if name in params]
    try:
        client = find_client(params["client_id"]) if "client_id" in params else None
    except InvalidRequestError:
        client = None
    if client is not None:
        registered = client.get("post_logout_redirect_uris") or []
        details.append(("post_logout_redirect_uris registered", ", ".join(registered) or "(none)"))
    emit("logout.error", client_id=params.get("client_id"), error=error.error,
         description=error.description, post_logout_redirect_uri=params.get(
             "post_logout_redirect_uri"))
    return error_page("The application's sign-out request cannot be served",
                      f"{error.error}: {error.description}", details)


def logged_out(logout: LogoutRequest, frontchannel: list[str]) -> Response:
    """The logged-out page with one iframe per front-channel logout URI (Front-Channel Logout
    §4: the OP renders "<iframe src="frontchannel_logout_uri">" tags), moving on to the
    post_logout_redirect_uri once they have loaded; a plain redirect when there is none to
    render."""
    if logout.redirect_to and not frontchannel:
        response = Response(status=302)
        response.headers["Location"] = logout.redirect_to
    else:
        response = current_app.make_response(render_template(
            "logged_out.html", frontchannel=frontchannel, redirect_to=logout.redirect_to,
            client=logout.client))
    response.headers["Cache-Control"] = "no-store"
    return response


def stay_signed_in(logout: LogoutRequest) -> Response:
    """No logout: back to the client when it asked for it, else a page saying so."""
    if logout.redirect_to:
        return logged_out(logout, [])
    response = current_app.make_response(render_template(
        "logged_out.html", still_signed_in=True, frontchannel=[], client=logout.client))
    response.headers["Cache-Control"] = "no-store"
    return response


def log_out(logout: LogoutRequest, browser: Browser, session, reason: str) -> Response:
    """End the SSO session, then clear this browser's session cookie and give it a new OP
    browser state (so its session_state values no longer match)."""
    try:
        frontchannel = end_sso_session(session.sid, reason)
    except NotFound:
        frontchannel = []  # ended meanwhile (another tab, the admin screens)
    browser.sign_out()
    return browser.set_cookies(logged_out(logout, frontchannel))


def ask(logout: LogoutRequest, user, session) -> Response:
    """The confirmation page, bound to a server-side pending logout by an HttpOnly cookie."""
    pending = current_app.logouts.create(session.sid, logout.params)
    page = render_template("logout_confirm.html", pending=pending, user=user,
                           client=logout.client, logout_hint=logout.params.get("logout_hint"))
    response = current_app.make_response(page)
    response.headers["Cache-Control"] = "no-store"
    response.set_cookie(LOGOUT_COOKIE, pending.id, httponly=True, samesite="Lax",
                        path=request.script_root + "/end_session",
                        max_age=CONFIRMATION_LIFETIME)
    return response


@bp.route("/end_session", methods=["GET", "POST"])
def end_session():
    params: dict[str, str] = {}
    try:
        params = read_params()
        logout = validate_logout_request(params)
    except OAuth2Error as error:
        return refuse(error, params)
    annotate(client_id=logout.client.client_id if logout.client is not None else None)
    browser = Browser()
    user, session = browser.current_login()
    if session is None and request.method == "POST" and SESSION_COOKIE not in request.cookies:
        # A cross-site POST carries no SameSite=Lax cookie, so "no session" may be wrong: go
        # round once through a top-level GET, which does carry it, before deciding.
        return redirect(url_for("end_session.end_session", **params), 303)
    if session is None:
        response = logged_out(logout, [])
        response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="Lax")
        return response
    if not check_tied_to_session(logout, user, session):
        return ask(logout, user, session)
    return log_out(logout, browser, session, reason="rp_initiated")


@bp.post("/end_session/<logout_id>")
def confirm(logout_id: str):
    """The answer on the confirmation page: "If the End-User says "yes", then the OP MUST
    log out the End-User" (§2); "no" keeps the session and still returns to the client."""
    pending = current_app.logouts.consume(logout_id)
    if pending is None:
        return error_page("Sign-out expired",
                          "This sign-out page has expired or belongs to another browser. "
                          "Go back to the application and sign out again.", [], 400)
    try:
        logout = validate_logout_request(pending.params)
    except OAuth2Error as error:
        return refuse(error, pending.params)
    browser = Browser()
    _, session = browser.current_login()
    if request.form.get("logout") != "yes":
        emit("logout.declined", sid=pending.sid,
             client_id=logout.client.client_id if logout.client is not None else None)
        return stay_signed_in(logout)
    if session is None:
        return logged_out(logout, [])  # that session ended meanwhile
    if session.sid != pending.sid:
        return stay_signed_in(logout)  # a newer login, not the session the user was asked about
    return log_out(logout, browser, session, reason="user_confirmed")


def init_app(app: Flask) -> None:
    app.logouts = PendingLogouts()
    app.register_blueprint(bp)
    app.registry.add_endpoint("end_session_endpoint", "end_session.end_session")
    # Front-Channel Logout §3 and Back-Channel Logout §2.1: sid is in every ID token.
    for key in ("frontchannel_logout_supported", "frontchannel_logout_session_supported",
                "backchannel_logout_supported", "backchannel_logout_session_supported"):
        app.registry.set_value(key, True)
