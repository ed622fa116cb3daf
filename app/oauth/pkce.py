"""PKCE code challenge methods per client: S256, and ``plain`` only for a client that
registered it (client metadata ``code_challenge_method``: "S256", the default, or "plain").

RFC 7636 Proof Key for Code Exchange: https://www.rfc-editor.org/rfc/rfc7636
RFC 9700 OAuth 2.0 Security Best Current Practice §2.1.1:
https://www.rfc-editor.org/rfc/rfc9700#section-2.1.1
"""

from __future__ import annotations

from authlib.oauth2.rfc6749 import InvalidRequestError
from authlib.oauth2.rfc7636 import CodeChallenge as AuthlibCodeChallenge

#: The client metadata field naming the method a client may use, and its default.
METHOD_FIELD = "code_challenge_method"
DEFAULT_METHOD = "S256"
#: Every method some client can use: discovery's ``code_challenge_methods_supported``.
METHODS = ("S256", "plain")


def check_method_allowed(client, method: str) -> bool:
    """S256 for every client; plain only where the client registered it."""
    return method == "S256" or client.get(METHOD_FIELD) == method


class CodeChallenge(AuthlibCodeChallenge):
    """Authlib's PKCE checks (challenge and verifier syntax, §4.6 verification), plus the
    method the client registered."""

    #: RFC 7636 §4.3: code_challenge_method "defaults to "plain" if not present in the
    #: request" (Authlib's default too).
    DEFAULT_CODE_CHALLENGE_METHOD = "plain"
    SUPPORTED_CODE_CHALLENGE_METHOD = list(METHODS)

    def validate_code_challenge(self, grant, redirect_uri) -> None:
        """RFC 9700 §2.1.1: "Clients SHOULD use PKCE code challenge methods that do not
        expose the PKCE verifier in the authorization request. [...] Currently, S256 is the
        only such method." (RFC 7636 §4.2: "If the client is capable of using "S256", it
        MUST use "S256""). RFC 7636 §4.4.1: "If the server supporting PKCE does not
        support the requested transformation, the authorization endpoint MUST return the
        authorization error response with "error" value set to "invalid_request"". A
        method the client did not register is not supported for it."""
        super().validate_code_challenge(grant, redirect_uri)
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            return
        method = data.get("code_challenge_method") or self.DEFAULT_CODE_CHALLENGE_METHOD
        if not check_method_allowed(grant.request.client, method):
            parameter = "Invalid" if data.get("code_challenge_method") else "Missing"
            raise InvalidRequestError(
                f"{parameter} 'code_challenge_method': this client must use S256.")
