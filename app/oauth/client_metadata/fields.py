"""Client metadata, field by field: what each field a registration may carry must look like
(``FIELDS``), and the fields this server does not act on yet (``NOT_ACTED_ON``).

RFC 7591 §2 (client metadata): https://www.rfc-editor.org/rfc/rfc7591#section-2
OpenID Connect Registration 1.0 §2:
https://openid.net/specs/openid-connect-registration-1_0.html#ClientMetadata
OpenID Connect Front-/Back-Channel and RP-Initiated Logout; RFC 9126 §6 (PAR); RFC 9101 §10.5;
RFC 8705 §3.4; RFC 9449 §5.2; the Janssen Auth Server's extensions named in CONTRACT.md.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any
from urllib.parse import SplitResult, urlsplit

from authlib.oauth2.rfc7591.errors import InvalidClientMetadataError
from flask import current_app
from joserfc.errors import JoseError
from joserfc.jwk import JWKRegistry

from ..fetch import is_loopback
from ..jar import request_object
from ..safe_regex import check_safe_regex
from ..tokens import JWE_ALGS, JWE_ENCS, SIGNING_ALGS

Check = Callable[[str, Any], None]

#: RFC 7518 §4.3, §4.6: the key type each encryption algorithm needs.
ENCRYPTION_KEY_TYPES = {"RSA-OAEP": ("RSA",), "RSA-OAEP-256": ("RSA",), "ECDH-ES": ("EC", "OKP")}
#: (alg field, enc field, True when the OP encrypts to the client's keys).
ENCRYPTION_PAIRS = tuple(
    (f"{what}_encrypted_response_alg", f"{what}_encrypted_response_enc", True)
    for what in ("id_token", "userinfo", "authorization", "introspection")
) + (("request_object_encryption_alg", "request_object_encryption_enc", False),)
#: Symmetric algorithms for client_secret_jwt (RFC 7523 with the client secret as key).
HMAC_ALGS = ("HS256", "HS384", "HS512")
#: RFC 7591 §2.1: the grant types each response type word needs.
RESPONSE_TYPE_GRANTS = {"code": "authorization_code", "token": "implicit",
                        "id_token": "implicit"}
#: JWK members that only a private or symmetric key has (RFC 7518 §6).
PRIVATE_MEMBERS = ("d", "p", "q", "dp", "dq", "qi", "oth", "k")
#: RFC 7591 §2.2: human-readable fields that may carry a language tag (``client_name#fr``).
LOCALIZABLE = ("client_name", "client_uri", "logo_uri", "tos_uri", "policy_uri")
UNSAFE_SCHEMES = ("javascript", "data", "vbscript", "file")


def invalid(field: str, problem: str) -> InvalidClientMetadataError:
    return InvalidClientMetadataError(f"Invalid '{field}': {problem}.")


def parse_uri(value: str) -> SplitResult | None:
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return None
    return parts


# Field checks: each takes (field, value) and raises when the value is not acceptable.

def boolean(field: str, value: Any) -> None:
    if not isinstance(value, bool):
        raise invalid(field, "expected true or false")


def string(field: str, value: Any) -> None:
    if not isinstance(value, str):
        raise invalid(field, "expected a string")


def strings(field: str, value: Any) -> None:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise invalid(field, "expected an array of strings")


def acr_values(field: str, value: Any) -> None:
    """OIDC Registration §2 ``default_acr_values`` and Janssen's ``authorized_acr_values``:
    only ACRs enabled in the Enabled ACRs screen, which the login page can satisfy."""
    strings(field, value)
    enabled = {record.value for record in current_app.store.find_acrs(enabled=True)}
    unknown = [item for item in value if item not in enabled]
    if unknown:
        raise invalid(field, f"'{unknown[0]}' is not an enabled ACR")


#: The largest number of seconds a lifetime or max age may be: a 32-bit int, as the Janssen
#: Auth Server stores them (larger ones overflow when added to the clock).
MAX_SECONDS = 2**31 - 1


def integer(low: int, high: int = MAX_SECONDS) -> Check:
    def check(field: str, value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise invalid(field, f"expected an integer from {low} to {high}")

    return check


def one_of(*options: str) -> Check:
    def check(field: str, value: Any) -> None:
        string(field, value)
        if value not in options:
            raise invalid(field, "unsupported value")

    return check


def url(field: str, value: Any, secure: bool = False) -> None:
    """An absolute http(s) URL; with ``secure``, https unless the host is loopback."""
    string(field, value)
    parts = parse_uri(value)
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise invalid(field, "expected an absolute http(s) URL")
    if secure and parts.scheme != "https" and not is_loopback(parts.hostname):
        raise invalid(field, "expected an https URL (plain http only on loopback)")


def secure_url(field: str, value: Any) -> None:
    url(field, value, secure=True)


def urls(field: str, value: Any) -> None:
    strings(field, value)
    for item in value:
        url(field, item)


def regex(field: str, value: Any) -> None:
    string(field, value)
    problem = check_safe_regex(value)
    if problem:
        raise invalid(field, problem)


def regexes(field: str, value: Any) -> None:
    strings(field, value)
    for item in value:
        regex(field, item)


def origins(field: str, value: Any) -> None:
    """Web origins (scheme, host and port only), as in ``http://localhost:3000``."""
    strings(field, value)
    for item in value:
        url(field, item)
        parts = urlsplit(item)
        if parts.path or parts.query or parts.fragment or "#" in item or "@" in parts.netloc:
            raise invalid(field, "expected origins such as https://app.example")


def jwk_set(field: str, value: Any) -> None:
    """RFC 7517 §5: a JWK Set, here of public keys only (the client keeps its private keys)."""
    keys = value.get("keys") if isinstance(value, dict) else None
    if not isinstance(keys, list) or not all(isinstance(key, dict) for key in keys):
        raise invalid(field, "expected a JWK Set")
    for key in keys:
        if any(member in key for member in PRIVATE_MEMBERS):
            raise invalid(field, "public keys only")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                JWKRegistry.import_key(key)
        except (JoseError, ValueError, KeyError, TypeError):
            raise invalid(field, "a key is not a valid JWK") from None


signing_alg = one_of(*SIGNING_ALGS)

FIELDS: dict[str, Check] = {
    # RFC 7591 §2 (redirect_uris, grant_types, response_types and scope: see below)
    "redirect_uris": strings, "grant_types": strings, "response_types": strings,
    "token_endpoint_auth_method": string, "scope": string,
    "client_name": string, "client_uri": url, "logo_uri": url, "tos_uri": url,
    "policy_uri": url, "contacts": strings, "jwks_uri": secure_url, "jwks": jwk_set,
    "software_id": string, "software_version": string, "software_statement": string,
    # OpenID Connect Registration §2
    "application_type": one_of("web", "native"),
    "sector_identifier_uri": secure_url, "subject_type": one_of("public", "pairwise"),
    "id_token_signed_response_alg": signing_alg, "userinfo_signed_response_alg": signing_alg,
    "request_object_signing_alg": one_of(*request_object.SIGNING_ALGS),
    "token_endpoint_auth_signing_alg": string,
    "default_max_age": integer(0), "require_auth_time": boolean,
    "default_acr_values": acr_values, "initiate_login_uri": secure_url, "request_uris": urls,
    # JARM, RFC 9701 (signed introspection responses)
    "authorization_signed_response_alg": signing_alg,
    "introspection_signed_response_alg": signing_alg,
    # RP-Initiated, Front-Channel and Back-Channel Logout
    "post_logout_redirect_uris": strings,
    "frontchannel_logout_uri": url, "frontchannel_logout_session_required": boolean,
    "backchannel_logout_uri": url, "backchannel_logout_session_required": boolean,
    # RFC 9126 §6, RFC 9101 §10.5, RFC 8705 §3.4, RFC 9449 §5.2
    "require_pushed_authorization_requests": boolean, "require_signed_request_object": boolean,
    "tls_client_certificate_bound_access_tokens": boolean, "dpop_bound_access_tokens": boolean,
    # The Janssen Auth Server's extensions (CONTRACT.md)
    "access_token_as_jwt": boolean, "access_token_signing_alg": signing_alg,
    "access_token_lifetime": integer(1), "redirect_uris_regex": regex,
    "authorized_origins": origins, "allow_spontaneous_scopes": boolean,
    "spontaneous_scopes": regexes, "default_prompt_login": boolean,
    "authorized_acr_values": acr_values, "par_lifetime": integer(1), "require_par": boolean,
    # pocket-op
    "require_pkce": boolean,
    "code_challenge_method": one_of("S256", "plain"),  # pkce.py: RFC 9700 §2.1.1
}
FIELDS.update({alg: one_of(*JWE_ALGS) for alg, _, _ in ENCRYPTION_PAIRS})
FIELDS.update({enc: one_of(*JWE_ENCS) for _, enc, _ in ENCRYPTION_PAIRS})
# RFC 9101 §6.1: request objects are encrypted to the OP's RSA key.
FIELDS["request_object_encryption_alg"] = one_of(*request_object.ENCRYPTION_ALGS)
FIELDS["request_object_encryption_enc"] = one_of(*request_object.ENCRYPTION_ENCS)


#: Metadata of the seeds' specs that this server does not act on yet (CIBA, mTLS, UMA, FAPI
#: and Janssen extensions whose behaviour is still to come): checked if we know their shape,
#: then neither stored nor echoed, so no client believes it got the behaviour. RFC 7591 §2:
#: "The implementation and use of all client metadata fields is OPTIONAL"; §3.2.1: the
#: server "MAY reject or replace any of the client's requested metadata values".
NOT_ACTED_ON = (
    "software_statement", "authorized_origins", "allow_spontaneous_scopes",
    "spontaneous_scopes", "additional_audience", "include_claims_in_id_token",
    "persist_client_authorizations", "rpt_as_jwt", "claims_redirect_uri",
    "backchannel_token_delivery_mode", "backchannel_client_notification_endpoint",
    "backchannel_authentication_request_signing_alg", "backchannel_user_code_parameter",
    "tls_client_auth_subject_dn", "tls_client_auth_san_dns", "tls_client_auth_san_uri",
    "tls_client_auth_san_ip", "tls_client_auth_san_email", "authorization_details_types",
    "dpop_bound_access_tokens", "tls_client_certificate_bound_access_tokens",
)
#: Bindings that would leave the client less protected than it asked if ignored: refused
#: when true (RFC 9449 §5.2 dpop_bound_access_tokens, RFC 8705 §3.4).
REFUSED_WHEN_TRUE = ("dpop_bound_access_tokens", "tls_client_certificate_bound_access_tokens")


def check_for(field: str) -> Check | None:
    name, _, tag = field.partition("#")
    return FIELDS.get(field) or (FIELDS[name] if tag and name in LOCALIZABLE else None)
