"""Client authentication with JWT assertions: ``client_secret_jwt`` (HMAC with the client's
secret) and ``private_key_jwt`` (the client's ``jwks`` or ``jwks_uri``).

OpenID Connect Core §9: https://openid.net/specs/openid-connect-core-1_0.html#ClientAuthentication
RFC 7523 §3 (assertion rules): https://www.rfc-editor.org/rfc/rfc7523#section-3
"""

from __future__ import annotations

import time
import warnings

from authlib.oauth2.rfc6749 import InvalidClientError
from authlib.oauth2.rfc6749.authenticate_client import (
    authenticate_client_secret_basic,
    authenticate_client_secret_post,
    authenticate_none,
)
from authlib.oauth2.rfc7523 import JWTBearerClientAssertion
from flask import current_app
from flask import request as flask_request
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, OctKey

from ..jsontext import is_text
from .fetch import FetchError, fetch_json

HMAC_ALGS = ["HS256", "HS384", "HS512"]
ASYMMETRIC_ALGS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384",
                   "ES512", "EdDSA", "Ed25519"]
#: RFC 7523 §3 item 4: "The JWT MUST contain an exp claim"; we also refuse far-off ones.
MAX_ASSERTION_LIFETIME = 3600


def invalid(description: str) -> InvalidClientError:
    return InvalidClientError(description=description)


class UnusableClientKey(Exception):
    """The client's key cannot be had; the message (an error description) says why."""


def client_key(client, symmetric: bool) -> OctKey | KeySet:
    """The key that verifies what a client signed: its secret as an HMAC key when
    ``symmetric`` (OIDC Core §10.1), else its public keys from ``jwks`` or ``jwks_uri``.
    Shared by client assertions and request objects (RFC 9101 §6.2)."""
    if symmetric:
        secret = current_app.store.get_client_secret(client.client_id)
        if not secret:
            raise UnusableClientKey("The client has no secret for HMAC signatures.")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # joserfc's note on secrets under 112 bits
            return OctKey.import_key(secret)
    try:
        keyset = client.get("jwks") or fetch_json(client.get("jwks_uri") or "")
        return KeySet.import_key_set(keyset)
    except FetchError:
        raise UnusableClientKey("The client's 'jwks_uri' cannot be fetched.") from None
    except (JoseError, ValueError, TypeError, AttributeError, KeyError):
        raise UnusableClientKey("The client's registered keys are unusable.") from None


class ClientAssertion(JWTBearerClientAssertion):
    """One method (``client_secret_jwt`` or ``private_key_jwt``); each only handles clients
    registered for it, so the other is tried for the rest."""

    def __init__(self, method: str, algorithms: list[str]):
        super().__init__(validate_jti=True, leeway=60)
        self.CLIENT_AUTH_METHOD = method
        self.algorithms = algorithms

    def __call__(self, query_client, request):
        form = request.form
        if form.get("client_assertion_type") != self.CLIENT_ASSERTION_TYPE:
            return None
        assertion = form.get("client_assertion")
        if not assertion:
            raise invalid("Missing 'client_assertion'.")
        _, claims = self.extract_assertion(assertion)
        if not is_text(claims):  # before any claim reaches the store
            raise invalid("The 'client_assertion' holds a string that is not Unicode text "
                          "(an unpaired surrogate escape).")
        client_id = claims.get("sub")
        if not isinstance(client_id, str) or not client_id:
            raise invalid("The 'client_assertion' has no 'sub'.")
        if form.get("client_id") not in (None, client_id):
            raise invalid("'client_id' differs from the assertion's 'sub'.")
        client = query_client(client_id)
        if client is None:
            raise invalid("The client does not exist on this server.")
        if not client.check_endpoint_auth_method(self.CLIENT_AUTH_METHOD, "token"):
            return None
        self.verify(assertion, client)
        request.client = client
        return client

    def algorithms_for(self, client) -> list[str]:
        registered = client.get("token_endpoint_auth_signing_alg")
        return [registered] if registered in self.algorithms else self.algorithms

    def resolve_client_public_key(self, client):
        try:
            return client_key(client, symmetric=self.CLIENT_AUTH_METHOD == "client_secret_jwt")
        except UnusableClientKey as exc:
            raise invalid(str(exc)) from None

    def verify(self, assertion: str, client) -> None:
        key = self.resolve_client_public_key(client)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # e.g. joserfc's note on "EdDSA"
                token = jwt.decode(assertion, key, algorithms=self.algorithms_for(client))
        except (JoseError, ValueError):
            raise invalid("The 'client_assertion' signature does not verify.") from None
        self.verify_claims(token.claims)

    def get_audiences(self) -> list[str]:
        """The issuer, the token endpoint, or the endpoint being called (certified clients
        send any of these)."""
        issuer = current_app.settings.issuer
        return [issuer, issuer + "/token", issuer + flask_request.path]

    def verify_claims(self, claims) -> None:
        """RFC 7523 §3: iss = sub = client_id, aud names us, exp in the future, a jti never
        seen before. Descriptions are our own: joserfc's may hold characters that OAuth
        error descriptions must not."""
        try:
            jwt.JWTClaimsRegistry(
                leeway=self.leeway, iss={"essential": True}, sub={"essential": True},
                exp={"essential": True}, aud={"essential": True, "values": self.get_audiences()},
            ).validate(claims)
        except JoseError as exc:
            raise invalid(f"The 'client_assertion' is invalid ({exc.error}).") from None
        if claims["iss"] != claims["sub"]:
            raise invalid("The assertion's 'iss' and 'sub' must both be the client_id.")
        if claims["exp"] > time.time() + MAX_ASSERTION_LIFETIME:
            raise invalid("The assertion's 'exp' is too far in the future.")
        jti = claims.get("jti")
        if not isinstance(jti, str) or not jti:
            raise invalid("The assertion has no 'jti'.")
        if not current_app.store.consume_jti(claims["sub"], jti, float(claims["exp"])):
            raise invalid("The assertion's 'jti' was used before.")


def client_secret_basic(query_client, request):
    """RFC 6749 §2.3.1 HTTP Basic. Authlib's own raises ValueError (a 500) when the header's
    token has non-ASCII characters or decodes to bytes that are not UTF-8; such a header
    carries no usable credentials, so the client is not authenticated (invalid_client)."""
    try:
        return authenticate_client_secret_basic(query_client, request)
    except ValueError:
        return None


def noting_named_client(method):
    """``method`` with a ``query_client`` that notes on the request the client its
    credentials name (``named_client_id``: found and active, verified or not), so that a
    failed authentication's invalid_client error is logged with that client."""
    def authenticate(query_client, request):
        def query_named_client(client_id):
            client = query_client(client_id)
            if client is not None:
                request.named_client_id = client.client_id
            return client
        return method(query_named_client, request)
    return authenticate


def client_id_of(request) -> str | None:
    """The client a request concerns: the one it authenticated (or the authorization
    request's), else the one its credentials named; None for no request."""
    if getattr(request, "client", None) is not None:
        return request.client.client_id
    return getattr(request, "named_client_id", None)


def register(server) -> None:
    methods = {
        "none": authenticate_none,
        "client_secret_basic": client_secret_basic,
        "client_secret_post": authenticate_client_secret_post,
        "client_secret_jwt": ClientAssertion("client_secret_jwt", HMAC_ALGS),
        "private_key_jwt": ClientAssertion("private_key_jwt", ASYMMETRIC_ALGS),
    }
    for name, method in methods.items():
        server.register_client_auth_method(name, noting_named_client(method))
