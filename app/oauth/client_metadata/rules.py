"""Client metadata, fields together: the rules that relate one field to others or to the
server (grant and response types, redirect URIs, authentication, encryption keys, scope,
sector identifier).

RFC 7591 §2, §2.1: https://www.rfc-editor.org/rfc/rfc7591#section-2
OpenID Connect Registration 1.0 §2 and §5 (sector_identifier_uri):
https://openid.net/specs/openid-connect-registration-1_0.html
RFC 6749 §3.1.2 and RFC 8252 §7 (redirect URIs, through ``app.oauth.redirect_uri``).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from authlib.oauth2.rfc7591.errors import InvalidRedirectURIError
from flask import current_app

from ..clients import METADATA_DEFAULTS
from ..fetch import FetchError, fetch_json, is_loopback
from ..redirect_uri import parse as redirect_uri_parse
from ..tokens import SIGNING_ALGS
from .fields import (
    ENCRYPTION_KEY_TYPES,
    ENCRYPTION_PAIRS,
    HMAC_ALGS,
    RESPONSE_TYPE_GRANTS,
    UNSAFE_SCHEMES,
    invalid,
    parse_uri,
)


def server_metadata() -> dict:
    """What is really wired: the registry's ``*_supported`` lists discovery publishes."""
    registry = current_app.registry
    return {key: registry.supported(key) for key in (
        "grant_types_supported", "response_types_supported",
        "token_endpoint_auth_methods_supported",
        "token_endpoint_auth_signing_alg_values_supported")}


def default_response_types(metadata: dict) -> dict:
    """RFC 7591 §2: response_types defaults to ``code``; a client that does not register
    the authorization_code grant gets none (so that client_credentials alone is consistent)."""
    grants = metadata.get("grant_types", METADATA_DEFAULTS["grant_types"])
    return {"response_types": ["code"] if "authorization_code" in grants else []}


def validate_grant_and_response_types(metadata: dict, server: dict) -> None:
    """RFC 7591 §2.1: the values must be supported, and "the authorization server MUST
    ensure they are consistent" with each other."""
    if not set(metadata["grant_types"]) <= set(server.get("grant_types_supported", [])):
        raise invalid("grant_types", "unsupported value")
    wired = [set(value.split()) for value in server.get("response_types_supported", [])]
    for value in metadata["response_types"]:
        words = set(value.split())
        if words not in wired:
            raise invalid("response_types", "unsupported value")
        needed = {RESPONSE_TYPE_GRANTS[word] for word in words if word in RESPONSE_TYPE_GRANTS}
        if not needed <= set(metadata["grant_types"]):
            raise invalid("response_types", "inconsistent with 'grant_types'")


def validate_redirect_uris(metadata: dict) -> None:
    """RFC 7591 §2: "clients using flows with redirection MUST register their redirection
    URI values"; CONTRACT.md: plain http on localhost and loopback for every application type."""
    uris = metadata.get("redirect_uris") or []
    if not uris and {"authorization_code", "implicit"} & set(metadata["grant_types"]):
        raise InvalidRedirectURIError("Missing 'redirect_uris': the grant types need them.")
    native = metadata["application_type"] == "native"
    for uri in uris:
        problem = redirect_uri_problem(uri, native)
        if problem:
            raise InvalidRedirectURIError(f"Invalid 'redirect_uris': {problem}.")
    for uri in metadata.get("post_logout_redirect_uris") or []:
        problem = redirect_uri_problem(uri, native)
        if problem:
            raise invalid("post_logout_redirect_uris", problem)
    # Front-Channel Logout 1.0 §2 frontchannel_logout_uri: "The domain, port, and scheme of
    # this URL MUST be the same as that of a registered Redirection URI value."
    frontchannel = metadata.get("frontchannel_logout_uri")
    if frontchannel and not any(check_same_origin(frontchannel, uri) for uri in uris):
        raise invalid("frontchannel_logout_uri", "scheme, host and port must be a redirect URI's")


def check_same_origin(uri: str, redirect_uri: str) -> bool:
    """Same scheme, host and port; a loopback IP redirect URI matches any port (RFC 8252
    §7.3, as ``OAuthClient.match_redirect_uri``)."""
    first, second = parse_uri(uri), redirect_uri_parse(redirect_uri)
    if first is None or second is None:
        return False
    if (first.scheme, first.hostname) != (second.scheme, second.hostname):
        return False
    if second.is_loopback_ip:
        return True
    default = {"http": 80, "https": 443}.get(second.scheme)
    return (first.port or default) == (second.port or default)


def redirect_uri_problem(uri: str, native: bool) -> str | None:
    """RFC 6749 §3.1.2, OIDC Registration §2 (application_type) and RFC 8252 §7; the one
    parse of ``redirect_uri.parse`` (no backslash, whitespace, control character,
    userinfo or percent-encoding in the host: every parser must read the same host)."""
    parts = redirect_uri_parse(uri)
    # RFC 6749 §3.1.2: "The redirection endpoint URI MUST be an absolute URI" and "MUST NOT
    # include a fragment component."
    if parts is None:
        return ("each must be an absolute URI without fragment, userinfo, backslash, "
                "whitespace or percent-encoding in the host")
    if parts.scheme in ("http", "https"):
        if not parts.host:
            return "an http(s) URI needs a host"
        if parts.scheme == "http" and not is_loopback(parts.hostname):
            return "plain http is only for localhost and loopback addresses"
        return None
    # RFC 8252 §7.1: native apps may use private-use URI schemes; web clients may not.
    if not native:
        return "web clients must use https (or http on loopback)"
    if parts.scheme in UNSAFE_SCHEMES or not (parts.host or parts.path):
        return "not a usable private-use URI"
    return None


def validate_authentication(metadata: dict, server: dict) -> None:
    """RFC 7591 §2 token_endpoint_auth_method and its keys; OIDC Registration §2
    token_endpoint_auth_signing_alg ("The value none MUST NOT be used")."""
    method = metadata["token_endpoint_auth_method"]
    if method not in server.get("token_endpoint_auth_methods_supported", []):
        raise invalid("token_endpoint_auth_method", "unsupported value")
    # RFC 6749 §4.4: "The client credentials grant type MUST only be used by confidential
    # clients."
    if method == "none" and "client_credentials" in metadata["grant_types"]:
        raise invalid("token_endpoint_auth_method", "client_credentials needs client "
                      "authentication")
    alg = metadata.get("token_endpoint_auth_signing_alg")
    if alg is not None:
        algs = server.get("token_endpoint_auth_signing_alg_values_supported") or [
            *SIGNING_ALGS, *HMAC_ALGS]
        if alg == "none" or alg not in algs:
            raise invalid("token_endpoint_auth_signing_alg", "unsupported value")
    # RFC 7591 §2: "The "jwks_uri" and "jwks" parameters MUST NOT both be present".
    if "jwks" in metadata and "jwks_uri" in metadata:
        raise invalid("jwks", "send either 'jwks' or 'jwks_uri', not both")
    if method in ("private_key_jwt", "self_signed_tls_client_auth") and not has_keys(metadata):
        raise invalid("token_endpoint_auth_method", f"{method} needs 'jwks' or 'jwks_uri'")


def has_keys(metadata: dict) -> bool:
    return bool(metadata.get("jwks", {}).get("keys")) or "jwks_uri" in metadata


def validate_encryption(metadata: dict) -> None:
    """OIDC Registration §2: "If id_token_encrypted_response_enc is included,
    id_token_encrypted_response_alg MUST also be provided" (and likewise for the others)."""
    for alg_field, enc_field, to_client in ENCRYPTION_PAIRS:
        if enc_field in metadata and alg_field not in metadata:
            raise invalid(enc_field, f"needs '{alg_field}'")
        if alg_field not in metadata or not to_client:
            continue
        if not has_keys(metadata):
            raise invalid(alg_field, "needs 'jwks' or 'jwks_uri' holding the client's key")
        kinds = ENCRYPTION_KEY_TYPES.get(metadata[alg_field])
        keys = metadata.get("jwks", {}).get("keys") or []
        usable = [key for key in keys
                  if key.get("kty") in (kinds or ()) and key.get("use", "enc") == "enc"]
        if keys and kinds and not usable:
            raise invalid(alg_field, "'jwks' has no encryption key of the right type")


def validate_scope(metadata: dict) -> None:
    """RFC 7591 §2 scope: space-separated scope values, here each one this server knows; "If
    omitted, an authorization server MAY register a client with a default set of scopes":
    the OpenID Connect scopes."""
    scopes = current_app.store.find_scopes()
    if "scope" not in metadata:
        metadata["scope"] = " ".join(s.name for s in scopes if s.kind == "openid")
        return
    known = {s.name for s in scopes}
    if not set(metadata["scope"].split()) <= known:
        raise invalid("scope", "unknown scope value")


def validate_sector_identifier(metadata: dict) -> None:
    """OIDC Registration §5: the OP fetches the sector_identifier_uri's JSON array, and "The
    values registered in redirect_uris MUST be included in the elements of the array";
    OIDC Core §8.1: with several redirect hosts, "the Client MUST register a
    sector_identifier_uri" for pairwise subjects."""
    uri = metadata.get("sector_identifier_uri")
    redirect_uris = metadata.get("redirect_uris") or []
    if uri is None:
        hosts = {urlsplit(item).hostname for item in redirect_uris}
        if metadata.get("subject_type") == "pairwise" and len(hosts) > 1:
            raise invalid("sector_identifier_uri", "pairwise with several redirect hosts needs it")
        return
    try:
        listed = fetch_json(uri)
    except FetchError as exc:
        raise invalid("sector_identifier_uri", str(exc)) from None
    if not isinstance(listed, list):
        raise invalid("sector_identifier_uri", "the document is not a JSON array")
    if not set(redirect_uris) <= {item for item in listed if isinstance(item, str)}:
        raise invalid("sector_identifier_uri", "the document does not list every redirect URI")
