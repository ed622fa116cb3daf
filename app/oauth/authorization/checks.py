"""The checks of an authorization request, one function per rule; each raises the
OAuth2Error its spec names. ``steps.py`` lists them in the order they run (the first that
fails answers), at /authorize and at the PAR endpoint.

RFC 6749 §4.1.1, §4.1.2.1: https://www.rfc-editor.org/rfc/rfc6749
OpenID Connect Core 1.0 §3.1.2.1, §5.5: https://openid.net/specs/openid-connect-core-1_0.html
OAuth 2.0 Multiple Response Type Encoding Practices §2.1:
https://openid.net/specs/oauth-v2-multiple-response-types-1_0.html
RFC 7636 §4.4.1, RFC 9700 §2.1.1: https://www.rfc-editor.org/rfc/rfc9700#section-2.1.1
"""

from __future__ import annotations

from authlib.oauth2.rfc6749 import InvalidRequestError
from flask import current_app

from .. import acr
from ..claims import parse_claims_request
from ..response_modes.delivery import RESPONSE_MODES, default_mode
from .parameters import create_oauth2_request
from .request import AuthorizationRequest

#: OIDC Core §3.1.2.1: the prompt values we act on.
PROMPTS = ("consent", "login", "none", "select_account")


def validate_grant(authorization: AuthorizationRequest) -> None:
    """RFC 6749 §4.1.1 / §4.2.1 and OIDC Core §3.1.2.1 through Authlib's grants: the
    client (invalid_client), its redirect_uri (§3.1.2.3), the response_type
    (unsupported_response_type, unauthorized_client), the scope (invalid_scope), PKCE's
    syntax (RFC 7636 §4.4.1) and, when an ID token is returned, openid and nonce
    (``grants.front_channel``). Keeps the validated grant on the request."""
    authorization.grant = current_app.oauth.get_consent_grant(
        create_oauth2_request(authorization.params))


def validate_openid_redirect_uri(authorization: AuthorizationRequest) -> None:
    """OIDC Core §3.1.2.1: redirect_uri is REQUIRED in an authentication request."""
    if "openid" in authorization.scope.split() and not authorization.params.get("redirect_uri"):
        raise InvalidRequestError("Missing 'redirect_uri' in request.")


def validate_response_mode(authorization: AuthorizationRequest) -> None:
    """Multiple Response Types §2.1, Form Post §2, JARM §2.3: the response modes we
    speak."""
    mode = authorization.params.get("response_mode")
    if mode and mode not in RESPONSE_MODES:
        raise InvalidRequestError("Unsupported 'response_mode' in request.")


def validate_no_tokens_in_query(authorization: AuthorizationRequest) -> None:
    """Multiple Response Types §2.1: tokens must not travel in the query."""
    params = authorization.params
    if (params.get("response_mode") == "query"
            and default_mode(params.get("response_type", "")) == "fragment"):
        raise InvalidRequestError("'response_mode=query' cannot carry tokens.")


def validate_pkce_required(authorization: AuthorizationRequest) -> None:
    """RFC 9700 §2.1.1 / RFC 7636 §4.4.1: public clients MUST use PKCE; the client's
    ``require_pkce`` and the ``require_pkce`` setting extend that to more clients."""
    client, params = authorization.client, authorization.params
    pkce = client.is_public or client.get("require_pkce") or current_app.settings.require_pkce
    if pkce and "code" in params.get("response_type", "").split() \
            and not params.get("code_challenge"):
        raise InvalidRequestError("Missing 'code_challenge': this client must use PKCE.")


def validate_claims_request(authorization: AuthorizationRequest) -> None:
    """OIDC Core §5.5: the ``claims`` parameter is a JSON object with ``userinfo`` and
    ``id_token`` members; kept on the request for the tokens."""
    authorization.claims = parse_claims_request(authorization.params.get("claims"))


def validate_acr_request(authorization: AuthorizationRequest) -> None:
    """OIDC Core §3.1.2.1 acr_values, §5.5.1.1 an ``acr`` claim: an essential one no enabled
    ACR meets is unmet_authentication_requirements; kept on the request for the login."""
    authorization.acr = acr.resolve(authorization.params, authorization.client,
                                    authorization.claims)


def validate_prompt_values(authorization: AuthorizationRequest) -> None:
    """OIDC Core §3.1.2.1 prompt: "none", "login", "consent" or "select_account"."""
    if authorization.prompts - set(PROMPTS):
        raise InvalidRequestError("Unsupported 'prompt' value in request.")


def validate_prompt_none_alone(authorization: AuthorizationRequest) -> None:
    """OIDC Core §3.1.2.1: "If this parameter contains none with any other value, an
    error is returned"."""
    prompts = authorization.prompts
    # OIDC Core §3.1.2.1: "none" "MUST NOT" be combined with any other value.
    if "none" in prompts and len(prompts) > 1:
        raise InvalidRequestError("'prompt=none' must not be combined with other values.")


def validate_max_age(authorization: AuthorizationRequest) -> None:
    """OIDC Core §3.1.2.1 max_age: a number of seconds."""
    max_age = authorization.params.get("max_age")
    if max_age is not None and not max_age.isdigit():
        raise InvalidRequestError("Invalid 'max_age' in request.")
