"""``pushed_authorization_request_endpoint``: OAuth 2.0 Pushed Authorization Requests.

The client POSTs the authorization request's parameters (or a request object), authenticated
as at the token endpoint; the server validates them as the authorization endpoint would and
answers with a single-use ``request_uri`` to send the user to /authorize with.
RFC 9126: https://www.rfc-editor.org/rfc/rfc9126
"""

from __future__ import annotations

from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import InvalidRequestError
from flask import Blueprint, Flask, Response, current_app, jsonify, request

from ...errors import error_response
from ...events import emit
from ..authorization.parameters import assemble, validate_policies, validate_single_valued
from ..authorization.steps import validate_pushed_request
from ..client_auth import client_id_of
from ..par.pushed_requests import DEFAULT_LIFETIME, PushedRequests
from ..server import TOKEN_ENDPOINT_AUTH_METHODS

bp = Blueprint("pushed_authorization_request", __name__)

#: Client authentication parameters: they are not part of the authorization request.
CLIENT_AUTH_PARAMS = ("client_secret", "client_assertion", "client_assertion_type")


def authenticate_client(oauth_request):
    """RFC 9126 §2: "The rules for client authentication as defined in [RFC6749] for token
    endpoint requests, including the applicable authentication methods, apply for the PAR
    endpoint as well." The issuer and this endpoint's URL are accepted assertion audiences."""
    server = current_app.oauth
    client = server.authenticate_client(oauth_request, TOKEN_ENDPOINT_AUTH_METHODS, "token")
    server.send_signal("after_authenticate_client", client=client, grant=None)
    oauth_request.client = client
    return client


def read_params(client) -> dict[str, str]:
    """The pushed authorization request parameters (RFC 9126 §2.1)."""
    validate_single_valued(request.form)
    params = {k: v for k, v in request.form.items() if k not in CLIENT_AUTH_PARAMS}
    # RFC 9126 §2.1: "The request_uri authorization request parameter is one exception,
    # and it MUST NOT be provided."
    if "request_uri" in params:
        raise InvalidRequestError("'request_uri' must not be pushed.")
    if params.setdefault("client_id", client.client_id) != client.client_id:
        raise InvalidRequestError("'client_id' differs from the authenticated client.")
    return params


def lifetime(client) -> int:
    """The seed's per-client ``par_lifetime``, else DEFAULT_LIFETIME seconds."""
    value = client.get("par_lifetime")
    valid = isinstance(value, int) and not isinstance(value, bool) and value > 0
    return value if valid else DEFAULT_LIFETIME


@bp.post("/par")
def pushed_authorization_request():
    oauth_request = current_app.oauth.create_oauth2_request(request)
    try:
        client = authenticate_client(oauth_request)
        params, signed = assemble(read_params(client), client)
        validate_policies(params, client, pushed=True, signed=signed)
        # RFC 9126 §2.1: the authorization server validates the request as it would an
        # authorization request: client, redirect_uri, response_type, scope, PKCE, OIDC.
        validate_pushed_request(params)
    except OAuth2Error as error:
        return par_error(error, oauth_request)
    expires_in = lifetime(client)
    request_uri = current_app.pushed_requests.save(client.client_id, params, signed, expires_in)
    emit("authorization_request.pushed", client_id=client.client_id, expires_in=expires_in,
         signed=signed)
    # RFC 9126 §2.2: "the server MUST generate a request URI and provide it in the response
    # with a 201 HTTP status code".
    response = jsonify({"request_uri": request_uri, "expires_in": expires_in})
    response.status_code = 201
    response.headers["Cache-Control"] = "no-store"
    return response


def par_error(error: OAuth2Error, oauth_request) -> Response:
    """RFC 9126 §2.3: the error response of RFC 6749 §5.2, as JSON (never a redirect);
    invalid_client is 401 as at the token endpoint."""
    if error.error == "invalid_client":
        error.redirect_uri = None
        return current_app.oauth.handle_error_response(oauth_request, error)
    emit("authorization_request.push_refused", client_id=client_id_of(oauth_request),
         error=error.error, description=error.description)
    return error_response(error.status_code or 400, error.error, error.description or "")


def init_app(app: Flask) -> None:
    app.pushed_requests = PushedRequests()
    app.register_blueprint(bp)
    app.registry.add_endpoint("pushed_authorization_request_endpoint",
                              "pushed_authorization_request.pushed_authorization_request")
    # RFC 9126 §5: "require_pushed_authorization_requests ... If omitted, the default value
    # is false."
    app.registry.set_dynamic("require_pushed_authorization_requests",
                             lambda: current_app.settings.require_par)
