"""``revocation_endpoint``: OAuth 2.0 Token Revocation, behind the token endpoint's client
authentication.

RFC 7009: https://www.rfc-editor.org/rfc/rfc7009
"""

from __future__ import annotations

from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import InvalidGrantError, InvalidRequestError
from authlib.oauth2.rfc7009 import RevocationEndpoint
from flask import Blueprint, Flask, current_app

from ...events import emit
from ...store import NotFound
from ...store.records import TokenRecord
from ..server import TOKEN_ENDPOINT_AUTH_METHODS

bp = Blueprint("revocation", __name__)


class UnsupportedTokenTypeError(OAuth2Error):
    """RFC 7009 §2.2.1, an error response as in RFC 6749 §5.2 (400; Authlib's own says 401)."""

    error = "unsupported_token_type"
    status_code = 400


def find_token(raw: str) -> TokenRecord | None:
    try:
        return current_app.store.get_token(raw)
    except NotFound:
        return None


class Revocation(RevocationEndpoint):
    #: RFC 7009 §2.1: the client authenticates "as described in Section 2.3 of [RFC6749]",
    #: as at the token endpoint; a public client sends its ``client_id``.
    CLIENT_AUTH_METHODS = TOKEN_ENDPOINT_AUTH_METHODS

    def check_params(self, request, client) -> None:
        """§2.1: ``token`` REQUIRED; ``token_type_hint`` OPTIONAL, one of §4.1.2's values."""
        if not request.form.get("token"):
            raise InvalidRequestError("Missing 'token' parameter.")
        hint = request.form.get("token_type_hint")
        if hint and hint not in self.SUPPORTED_TOKEN_TYPES:
            raise UnsupportedTokenTypeError("Unsupported 'token_type_hint' value.")

    def authenticate_token(self, request, client) -> TokenRecord | None:
        """§2.1: the server "verifies whether the token was issued to the client making the
        revocation request. If this validation fails, the request is refused and the client
        is informed of the error": invalid_grant, and the token is left alone."""
        self.check_params(request, client)
        record = self.query_token(request.form["token"], request.form.get("token_type_hint"))
        if record is not None and record.client_id != client.client_id:
            emit("token.revocation_refused", client_id=client.client_id,
                 reason="the token was issued to another client")
            raise InvalidGrantError("The token was issued to another client.")
        return record

    def query_token(self, token_string: str, token_type_hint: str | None) -> TokenRecord | None:
        """§2.1: "If the server is unable to locate the token using the given hint, it MUST
        extend its search across all of its supported token types." One lookup by digest
        finds either kind, so the hint changes nothing."""
        return find_token(token_string)

    def revoke_token(self, token: TokenRecord, request) -> None:
        """§2.1: "If the particular token is a refresh token and the authorization server
        supports the revocation of access tokens, then the authorization server SHOULD also
        invalidate all access tokens based on the same authorization grant": the family.
        An access token is revoked alone."""
        store = current_app.store
        if token.kind == "refresh":
            count = store.revoke_family(token.family)
        else:
            count = store.revoke_token(request.form["token"])
        emit("token.revoked", client_id=token.client_id, family=token.family, kind=token.kind,
             count=count)


@bp.post("/revoke")
def revoke():
    return current_app.oauth.create_endpoint_response(Revocation.ENDPOINT_NAME)


def init_app(app: Flask) -> None:
    app.oauth.register_endpoint(Revocation)
    app.register_blueprint(bp)
    app.registry.add_endpoint("revocation_endpoint", "revocation.revoke")
    app.registry.add_supported("revocation_endpoint_auth_methods_supported",
                               *Revocation.CLIENT_AUTH_METHODS)
