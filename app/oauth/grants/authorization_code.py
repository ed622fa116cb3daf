"""``grant_type=authorization_code`` (RFC 6749 §4.1) with PKCE (RFC 7636).

RFC 6749 §4.1.2: "If an authorization code is used more than once, the authorization server
MUST deny the request and SHOULD revoke (when possible) all tokens previously issued based
on that authorization code." https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
"""

from __future__ import annotations

import time

from authlib.oauth2.rfc6749 import InvalidRequestError, grants
from authlib.oidc.core import AuthorizationCodeMixin
from flask import current_app

from ...events import emit
from ...store import CodeAlreadyUsed, NotFound
from ...store.records import CodeRecord
from ..token_context import TokenContext, context_of
from ..tokens import lifetime
from .base import Grant


class Code(AuthorizationCodeMixin):
    """A consumed code as Authlib and the PKCE extension read it."""

    def __init__(self, record: CodeRecord):
        self.record = record
        self.code_hash = record.code_hash
        self.code_challenge = record.data.get("code_challenge")
        self.code_challenge_method = record.data.get("code_challenge_method")

    def get_redirect_uri(self):
        return self.record.redirect_uri

    def get_scope(self):
        return self.record.scope

    def get_nonce(self):
        return self.record.data.get("nonce")

    def get_auth_time(self):
        return self.record.data.get("auth_time")

    def get_acr(self):
        return self.record.data.get("acr")

    def get_amr(self):
        return self.record.data.get("amr")


def save_code(code: str, request) -> None:
    """Store a code with what the token endpoint needs later: PKCE, nonce, the session's
    authentication facts and the ``claims`` request (OIDC Core §5.5)."""
    payload, session, context = request.payload, request.session, context_of(request)
    data = {
        "nonce": payload.data.get("nonce"),
        "code_challenge": payload.data.get("code_challenge"),
        "code_challenge_method": payload.data.get("code_challenge_method"),
        "auth_time": context.auth_time, "acr": context.acr,
        "amr": context.amr, "claims": context.claims,
    }
    current_app.store.save_code(
        code, request.client.client_id, request.user.sub, payload.redirect_uri or "",
        request.scope or "", time.time() + lifetime(None, "authorization_code_lifetime"),
        sid=session.sid, data={k: v for k, v in data.items() if v},
    )


def validate_redirect_uri(request, client) -> str:
    """RFC 6749 §3.1.2.3: a redirect_uri must be one the client registered; "If multiple
    redirection URIs have been registered, [...] the client MUST include a redirection URI
    with the authorization request". The response goes to the normalised URI
    (``OAuthClient.match_redirect_uri``), never to the text as sent. The description names
    the parameter (Authlib's copies the URI in, which §5.2 may forbid); the error page
    shows what was sent."""
    sent = request.payload.redirect_uri
    if not sent:
        default = client.get_default_redirect_uri()
        if not default:
            raise InvalidRequestError("Missing 'redirect_uri' in request.",
                                      state=request.payload.state)
        return default
    uri = client.match_redirect_uri(sent)
    if uri is None:
        raise InvalidRequestError("Invalid 'redirect_uri' in request.")
    return uri


class AuthorizationCodeGrant(Grant, grants.AuthorizationCodeGrant):
    validate_authorization_redirect_uri = staticmethod(validate_redirect_uri)

    def validate_authorization_request(self) -> str:
        """RFC 6749 §4.1.1, validated once: ``get_consent_grant`` validated the request at
        /authorize (it may have waited on the login and consent pages since), and Authlib's
        ``create_authorization_response`` would validate it again; the redirect_uri verified
        then is the answer."""
        if self.redirect_uri is not None:
            return self.redirect_uri
        return super().validate_authorization_request()

    def save_authorization_code(self, code: str, request) -> None:
        save_code(code, request)

    def query_authorization_code(self, code: str, client):
        """Consume the code now: of concurrent redemptions exactly one wins. The tokens
        inherit what the code knew (``request.token_context``), in the code's family."""
        store = current_app.store
        try:
            record = store.consume_code(code)
        except CodeAlreadyUsed as reuse:
            revoked = store.revoke_tokens_of_code(reuse.code_hash)
            emit("authorization_code.reused", client_id=client.client_id, tokens_revoked=revoked)
            return None
        except NotFound:
            return None
        if record.client_id != client.client_id:
            return None
        self.request.token_context = TokenContext.from_record(record.code_hash, record.sid,
                                                              record.data)
        return Code(record)

    def delete_authorization_code(self, authorization_code) -> None:
        """Nothing to do: ``query_authorization_code`` consumed it."""
