"""The protocol: the one place grants and endpoints are wired, and registered for discovery.

May import Flask, Authlib, joserfc and ``app.store`` / ``app.keys``; never ``ui``.
"""

from __future__ import annotations

from flask import Flask, current_app

from . import cors, discovery, interaction, login_throttle, pkce
from .authorization.interactions import Interactions
from .client_auth import ASYMMETRIC_ALGS, HMAC_ALGS
from .endpoints import (
    authorization,
    check_session,
    end_session,
    introspection,
    jwks,
    pushed_authorization_request,
    registration,
    revocation,
    token,
    userinfo,
)
from .grants.authorization_code import AuthorizationCodeGrant
from .grants.client_credentials import ClientCredentialsGrant
from .grants.front_channel import RESPONSE_TYPES, FrontChannelGrant
from .grants.openid import IDToken
from .grants.password import PasswordGrant
from .grants.refresh_token import RefreshTokenGrant
from .jar import request_object
from .registry import Registry
from .server import OP, TOKEN_ENDPOINT_AUTH_METHODS
from .tokens import JWE_ALGS, JWE_ENCS, SIGNING_ALGS

ENDPOINTS = (authorization, token, userinfo, jwks, revocation, introspection, registration,
             pushed_authorization_request, check_session, end_session)
#: (grant class, Authlib extensions); grant_types_supported lists exactly these.
GRANTS = (
    (AuthorizationCodeGrant, lambda: [pkce.CodeChallenge(required=True), IDToken()]),
    (RefreshTokenGrant, lambda: [IDToken()]),
    (ClientCredentialsGrant, lambda: []),
    (PasswordGrant, lambda: []),
    (FrontChannelGrant, lambda: [pkce.CodeChallenge(required=True)]),
)


def register_metadata(registry: Registry) -> None:
    """What the wired grants and tokens support, for discovery."""
    registry.add_supported("grant_types_supported",
                           *(cls.GRANT_TYPE for cls, _ in GRANTS if cls.GRANT_TYPE), "implicit")
    registry.add_supported("response_types_supported", "code", *RESPONSE_TYPES)
    registry.add_supported("token_endpoint_auth_methods_supported", *TOKEN_ENDPOINT_AUTH_METHODS)
    registry.add_supported("token_endpoint_auth_signing_alg_values_supported",
                           *HMAC_ALGS, *ASYMMETRIC_ALGS)
    # Per client (pkce.py): S256 for all, plain for the clients that registered it.
    registry.add_supported("code_challenge_methods_supported", *pkce.METHODS)
    registry.add_supported("subject_types_supported", "public", "pairwise")
    registry.add_supported("id_token_signing_alg_values_supported", *SIGNING_ALGS)
    registry.add_supported("userinfo_signing_alg_values_supported", *SIGNING_ALGS)
    for what in ("id_token", "userinfo"):
        registry.add_supported(f"{what}_encryption_alg_values_supported", *JWE_ALGS)
        registry.add_supported(f"{what}_encryption_enc_values_supported", *JWE_ENCS)
    registry.add_supported("claim_types_supported", "normal")
    # OIDC Discovery §3 / RFC 9101 (jar/request_object.py): request objects by value and by
    # reference; a request_uri is fetched only when the client registered it in request_uris.
    registry.set_value("request_parameter_supported", True)
    registry.set_value("request_uri_parameter_supported", True)
    registry.set_value("require_request_uri_registration", True)
    registry.add_supported("request_object_signing_alg_values_supported",
                           *request_object.SIGNING_ALGS)
    registry.add_supported("request_object_encryption_alg_values_supported",
                           *request_object.ENCRYPTION_ALGS)
    registry.add_supported("request_object_encryption_enc_values_supported",
                           *request_object.ENCRYPTION_ENCS)
    # JARM §3: what authorization responses may be signed and encrypted with.
    registry.add_supported("authorization_signing_alg_values_supported", *SIGNING_ALGS)
    registry.add_supported("authorization_encryption_alg_values_supported", *JWE_ALGS)
    registry.add_supported("authorization_encryption_enc_values_supported", *JWE_ENCS)
    registry.set_dynamic("scopes_supported", supported_scopes)
    registry.set_dynamic("claims_supported", supported_claims)


#: Claims of every ID token, whatever the scope (OIDC Core §2).
ID_TOKEN_CLAIMS = ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr",
                   "azp", "sid", "at_hash", "c_hash"]


def supported_scopes() -> list[str]:
    return [scope.name for scope in current_app.store.find_scopes()
            if scope.kind in ("oauth", "openid")]


def supported_claims() -> list[str]:
    names = list(ID_TOKEN_CLAIMS)
    for scope in current_app.store.find_scopes():
        names += [claim for claim in scope.claims if claim not in names]
    return names


def init_app(app: Flask) -> None:
    app.registry = Registry()
    app.interactions = Interactions()
    app.oauth = OP()
    for grant, extensions in GRANTS:
        app.oauth.register_grant(grant, extensions())
    login_throttle.init_app(app)
    for endpoint in ENDPOINTS:
        endpoint.init_app(app)
    interaction.init_app(app)  # the login and consent forms
    register_metadata(app.registry)
    discovery.init_app(app)
    cors.init_app(app)
