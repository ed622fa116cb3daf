"""Reading the authorization request's parameters, once: the query or the form, then a
request object by value or by reference (RFC 9101) or a pushed request (RFC 9126), and the
client's and the server's policies on both.

RFC 6749 §3.1: https://www.rfc-editor.org/rfc/rfc6749#section-3.1
RFC 9101 §6.3 Request Parameter Assembly and Validation: https://www.rfc-editor.org/rfc/rfc9101
OpenID Connect Core 1.0 §6.3.3: https://openid.net/specs/openid-connect-core-1_0.html
RFC 9126 §4 Authorization Request: https://www.rfc-editor.org/rfc/rfc9126#section-4

The PAR endpoint uses ``validate_single_valued``, ``assemble`` and ``validate_policies``
(all but the pushed request lookup).
"""

from __future__ import annotations

from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import InvalidRequestError, OAuth2Request
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc9101.errors import InvalidRequestUriError
from flask import current_app, request
from werkzeug.datastructures import MultiDict

from ...request_notes import annotate
from ..jar.request_object import fetch_request_object, read_request_object, refuse
from ..par.pushed_requests import URN_PREFIX
from ..response_modes.delivery import default_mode
from ..response_modes.jarm import validate_response_mode
from .request import AuthorizationRequest

#: RFC 6749 §3.1: "Request and response parameters MUST NOT be included more than once."
SINGLE_VALUED = ("response_type", "client_id", "redirect_uri", "scope", "state", "nonce",
                 "prompt", "max_age", "response_mode", "code_challenge",
                 "code_challenge_method", "login_hint", "acr_values", "request", "request_uri")


def validate_single_valued(source: MultiDict) -> None:
    """RFC 6749 §3.1: a parameter given twice is invalid_request."""
    for name in SINGLE_VALUED:
        if len(source.getlist(name)) > 1:
            raise InvalidRequestError(f"Multiple '{name}' in request.")


def read_parameters(authorization: AuthorizationRequest) -> None:
    """The query for GET, the form for POST (OIDC Core §3.1.2.1)."""
    source = request.args if request.method == "GET" else request.form
    validate_single_valued(source)
    authorization.params = {key: source[key] for key in source}
    annotate(client_id=authorization.params.get("client_id"))  # the request's log line


def assemble_parameters(authorization: AuthorizationRequest) -> None:
    """The parameters /authorize goes on with: a pushed request's, or a request object's
    over the query's. An error found here may be redirected only to a redirect_uri the
    client registered (``trusted_redirect_uri``)."""
    try:
        authorization.params = assemble_authorization_request(authorization.params)
    except OAuth2Error as error:
        error.redirect_uri = trusted_redirect_uri(authorization.params)
        raise


def create_oauth2_request(params: dict[str, str]) -> OAuth2Request:
    """The request as Authlib's grants read it."""
    oauth_request = OAuth2Request("GET", request.url)
    oauth_request.payload = BasicOAuth2Payload(params)
    return oauth_request


def assemble(params: dict[str, str], client) -> tuple[dict[str, str], bool]:
    """The parameters of a request carrying ``request`` or ``request_uri`` (not a pushed
    one), and whether they came from a signed request object."""
    # RFC 9101 §5: request "If this parameter is present in the authorization request,
    # request_uri MUST NOT be present."
    if "request" in params and "request_uri" in params:
        raise InvalidRequestError("Send either 'request' or 'request_uri', not both.")
    if "request_uri" in params:
        value = fetch_request_object(params["request_uri"], client)
    elif "request" in params:
        value = params["request"]
    else:
        return params, False
    inner, signed = read_request_object(value, client)
    # OIDC Core §6.3.3: "If the same parameter exists both in the Request Object and the
    # OAuth Authorization Request parameters, the parameter in the Request Object is used."
    outer = {k: v for k, v in params.items() if k not in ("request", "request_uri")}
    return {**outer, **inner}, signed


def assemble_authorization_request(params: dict[str, str]) -> dict[str, str]:
    """Unknown clients pass through untouched, for the usual invalid_client page."""
    client = current_app.oauth.query_client(params.get("client_id"))
    if client is None:
        return params
    request_uri = params.get("request_uri", "")
    if request_uri.startswith(URN_PREFIX) and "request" not in params:
        pushed = current_app.pushed_requests.consume(request_uri, client.client_id)
        if pushed is None:
            # RFC 9126 §4: "An expired request_uri MUST be rejected as invalid."
            raise refuse(InvalidRequestUriError, "Unknown, used or expired 'request_uri'.",
                         client.client_id, "the request_uri was not pushed by this client, "
                         "was used already or expired (see par_lifetime)")
        params = pushed.params
        validate_policies(params, client, pushed=True, signed=pushed.signed)
        return params
    params, signed = assemble(params, client)
    validate_policies(params, client, pushed=False, signed=signed)
    return params


def check_par_required(client) -> bool:
    """RFC 9126 §5 and §6: the server-wide ``require_par`` setting, the client's
    ``require_pushed_authorization_requests`` or the seed's ``require_par``."""
    return bool(current_app.settings.require_par
                or client.get("require_pushed_authorization_requests")
                or client.get("require_par"))


def validate_policies(params: dict[str, str], client, *, pushed: bool, signed: bool) -> None:
    """What the client registered about how it sends requests and wants responses."""
    # RFC 9126 §4: with PAR required, "the authorization server will refuse, using the
    # invalid_request error code, to process any request to the authorization endpoint
    # that does not have a request_uri parameter with a value obtained from the PAR
    # endpoint."
    if not pushed and check_par_required(client):
        raise InvalidRequestError("This client must send a 'request_uri' from the PAR "
                                  "endpoint.")
    # RFC 9101 §10.5 require_signed_request_object: the server "MUST reject the
    # authorization request from the client that does not conform to this specification".
    if not signed and client.get("require_signed_request_object"):
        raise InvalidRequestError("This client must send a signed 'request' object.")
    validate_response_mode(params, client, default_mode(params.get("response_type", "")))


def trusted_redirect_uri(params: dict[str, str]) -> str | None:
    """Where an error found while assembling may be redirected: the request's redirect_uri
    if the client registered it (or its only one), else nowhere (RFC 6749 §4.1.2.1)."""
    client = current_app.oauth.query_client(params.get("client_id"))
    if client is None:
        return None
    redirect_uri = params.get("redirect_uri")
    if redirect_uri:
        return client.match_redirect_uri(redirect_uri)
    return client.get_default_redirect_uri()
