"""The Authlib authorization server over our store: client lookup, token generation and
storage, and the one place OAuth errors become responses. What a token knows of its grant
comes with the request (``token_context``), never through ``flask.g``.

RFC 6749 §5.1 (token response), §5.2 (error response): https://www.rfc-editor.org/rfc/rfc6749
"""

from __future__ import annotations

import os
import time
import uuid

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.integrations.flask_oauth2.requests import FlaskOAuth2Request
from authlib.oauth2.rfc6749 import OAuth2Request, UnsupportedResponseTypeError
from flask import Response, current_app, json
from flask import request as flask_request

from ..events import emit
from ..request_notes import annotate
from ..store import NotFound
from ..store.crypto import generate_secret, hash_value
from . import client_auth
from .clients import OAuthClient
from .token_context import NO_CONTEXT, TokenContext, context_of
from .tokens import create_access_token, lifetime

#: Client authentication methods of the token endpoint (OIDC Core §9), in Authlib's order.
TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "client_secret_jwt",
                               "private_key_jwt", "none"]
#: Descriptions for the errors Authlib raises without one: every JSON error carries both
#: ``error`` and ``error_description`` (one shape for the whole server).
DEFAULT_DESCRIPTIONS = {
    "unsupported_grant_type": "Unsupported 'grant_type' in request.",
    "invalid_grant": "The grant is invalid, expired or revoked.",
    "invalid_scope": "Invalid 'scope' in request.",
    "invalid_client": "Client authentication failed.",
    "unauthorized_client": "The client is not allowed to use this grant type.",
    "unsupported_token_type": "Unsupported 'token_type_hint' value.",
}


# Authlib refuses plain-http requests from anything but loopback names, and the refusal
# escapes as an exception (a 500). pocket-op is a development server that speaks http by
# design (also with --host 0.0.0.0 for a phone on the LAN), so transport is our decision.
os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")

CLIENTS_READ = "pocket_op.clients_read"  # the WSGI environ key of an HTTP request's client reads


class OP(AuthorizationServer):
    def __init__(self):
        super().__init__()
        client_auth.register(self)

    def query_client(self, client_id):
        """The client if it exists, is active and has not expired (the seed's "expirable
        client"); None otherwise, which Authlib turns into ``invalid_client``. Read from the
        store once per HTTP request: Authlib asks again at each step that needs the client
        (with the client_id only), and so do JARM responses and error redirects. The reads
        are a cache of the store kept with the HTTP request itself (its WSGI environ, which
        PEP 3333 lets applications extend), not protocol state."""
        if not client_id:
            return None
        read = flask_request.environ.setdefault(CLIENTS_READ, {})
        if client_id not in read:
            read[client_id] = self.read_client(client_id)
        if read[client_id] is not None:
            annotate(client_id=client_id)  # the request's log line and Logs row name it
        return read[client_id]

    @staticmethod
    def read_client(client_id: str) -> OAuthClient | None:
        try:
            record = current_app.store.get_client(client_id)
        except NotFound:
            return None
        if not record.active or (record.expires_at and record.expires_at <= time.time()):
            return None
        return OAuthClient(record)

    def generate_token(self, grant_type, client, user=None, scope=None, expires_in=None,
                       include_refresh_token=True, context: TokenContext = NO_CONTEXT):
        """RFC 6749 §5.1 / RFC 6750: a Bearer access token, and a refresh token when the
        client may use the refresh_token grant. Every grant passes its request's
        ``context`` (grants/base.py); it replaces Authlib's generator registry."""
        expires_in = expires_in or lifetime(client, "access_token_lifetime")
        token = {
            "access_token": create_access_token(client, grant_type, user, scope or "", expires_in,
                                                auth_time=context.auth_time),
            "token_type": "Bearer",
            "expires_in": expires_in,
        }
        if scope:
            token["scope"] = scope
        if include_refresh_token and user is not None and client.check_grant_type("refresh_token"):
            token["refresh_token"] = generate_secret(32)
        return token

    def save_token(self, token, request):
        """Store digests of the access and refresh tokens, in the grant's family (one family
        per authorization code, kept across refreshes)."""
        store, context = current_app.store, context_of(request)
        family = context.family or str(uuid.uuid4())
        client_id = request.client.client_id
        sub = request.user.sub if request.user is not None else None
        code = request.authorization_code
        common = {"client_id": client_id, "scope": token.get("scope", ""), "family": family,
                  "sub": sub, "sid": context.sid,
                  "code_hash": code.code_hash if code is not None else None}
        data = {k: getattr(context, k) for k in ("auth_time", "acr", "amr", "claims")
                if getattr(context, k)}
        now = time.time()
        # One transaction for the tokens and their audit row: one commit (and fsync), not
        # one per row.
        with store.atomic():
            store.save_token(token["access_token"], "access", data=data,
                             expires_at=now + token["expires_in"], **common)
            if "refresh_token" in token:
                store.save_token(token["refresh_token"], "refresh", data=data, **common,
                                 expires_at=now + lifetime(request.client,
                                                           "refresh_token_lifetime"))
            emit("token.issued", client_id=client_id, sub=sub, family=family,
                 grant_type=request.payload.grant_type or "authorization_code",
                 access_token_hash=hash_value(token["access_token"])[:16],
                 refresh=("refresh_token" in token))

    def create_oauth2_request(self, request):
        if isinstance(request, OAuth2Request):
            return request
        return FlaskOAuth2Request(flask_request)

    def handle_response(self, status_code, payload, headers):
        if isinstance(payload, dict):
            payload = json.dumps(payload)
        response = Response(payload, status=status_code, headers=headers)
        if response.mimetype == "application/json":
            response.headers["Cache-Control"] = "no-store"
            response.headers["Pragma"] = "no-cache"
        return response

    def get_authorization_grant(self, request):
        """RFC 6749 §4.1.2.1 unsupported_response_type. Authlib copies the response_type into
        the error description and raises ValueError (a 500) when it holds characters §5.2
        forbids there; such a value is as unsupported as any other."""
        try:
            return super().get_authorization_grant(request)
        except UnsupportedResponseTypeError as error:
            error.description = "Unsupported 'response_type' in request."
            raise
        except ValueError:
            raise UnsupportedResponseTypeError(
                None, "Unsupported 'response_type' in request.",
                redirect_uri=self.verified_redirect_uri(request)) from None

    def verified_redirect_uri(self, request) -> str | None:
        """Where an error may be redirected: the client's redirect_uri, once checked."""
        client = self.query_client(request.payload.client_id)
        if client is None:
            return None
        uri = request.payload.redirect_uri
        if not uri:
            return client.get_default_redirect_uri()
        return client.match_redirect_uri(uri)

    def handle_error_response(self, request, error):
        """RFC 6749 §5.2: invalid_client is 401, with WWW-Authenticate when the client used
        the Authorization header."""
        if not error.description:
            error.description = DEFAULT_DESCRIPTIONS.get(error.error, "The request failed.")
        if error.error == "invalid_client" and not error.redirect_uri:
            error.status_code = 401
            if not flask_request.headers.get("Authorization", "").lower().startswith("basic "):
                response = self.handle_response(*error(None))
                response.headers.pop("WWW-Authenticate", None)
                return self._log_error(response, error, request)
        return self._log_error(self.handle_response(*error(None)), error, request)

    def _log_error(self, response: Response, error, request) -> Response:
        emit("authorization.error" if error.redirect_uri else "token.error",
             error=error.error, description=error.description,
             client_id=client_auth.client_id_of(request), path=flask_request.path)
        return response

    def send_signal(self, name, *args, **kwargs):
        if name == "after_authenticate_client" and kwargs.get("client") is not None:
            annotate(client_id=kwargs["client"].client_id)
