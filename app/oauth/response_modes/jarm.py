"""JWT Secured Authorization Response Mode for OAuth 2.0 (JARM): the authorization response
parameters (code, state, iss, error...) travel as one signed, optionally encrypted JWT named
``response``.

JARM: https://openid.net/specs/oauth-v2-jarm.html
"""

from __future__ import annotations

import time

from authlib.oauth2.rfc6749 import InvalidRequestError
from flask import current_app

from ..tokens import encrypt_for, sign

#: JARM §2.3: the response modes; ``jwt`` stands for the response type's default one.
RESPONSE_MODES = ["jwt", "query.jwt", "fragment.jwt", "form_post.jwt"]
#: JARM §2.1 exp: "the expiration time of the JWT"; the spec recommends a short one.
LIFETIME = 600


def resolve_mode(mode: str | None, default: str) -> str | None:
    """JARM §2.3.4: ``jwt`` is ``query.jwt`` for the code response type and
    ``fragment.jwt`` for those that return tokens from the authorization endpoint."""
    return f"{default}.jwt" if mode == "jwt" else mode


def validate_response_mode(params: dict[str, str], client, default: str) -> None:
    """JARM §2.3.1: query.jwt "MUST NOT be used in conjunction with response types that
    contain token or id_token unless the response JWT is encrypted"."""
    if (params.get("response_mode") == "query.jwt" and default == "fragment"
            and not client.get("authorization_encrypted_response_alg")):
        raise InvalidRequestError("'response_mode=query.jwt' cannot carry unencrypted tokens.")


def create_response_jwt(params: list[tuple[str, str]], client_id: str) -> str:
    """JARM §2.1: iss, aud (the client_id) and exp next to the response parameters, signed
    with the client's ``authorization_signed_response_alg`` (default RS256); §2.2: signed
    then encrypted when it registered ``authorization_encrypted_response_alg``."""
    client = current_app.oauth.query_client(client_id)
    if client is None:
        raise LookupError(f"JARM response for unknown client {client_id!r}")
    claims: dict[str, str | int] = dict(params)
    claims.update({"iss": current_app.settings.issuer, "aud": client.client_id,
                   "exp": int(time.time()) + LIFETIME})
    alg = client.get("authorization_signed_response_alg") or "RS256"
    return encrypt_for(client, sign(claims, alg), "authorization")
