"""Verifying what the server issued with jwcrypto (not joserfc, which signed it)."""

from __future__ import annotations

import json

from jwcrypto import jwk, jwt


def jwks_of(server) -> jwk.JWKSet:
    return jwk.JWKSet.from_json(json.dumps(server.get("/jwks").json()))


def verify_jwt(server, token: str, algs=("RS256", "PS256", "ES256", "EdDSA", "Ed25519")) -> dict:
    """Check the signature against the published JWKS and return the claims."""
    verified = jwt.JWT(jwt=token, key=jwks_of(server), algs=list(algs))
    return json.loads(verified.claims)


def header_of(token: str) -> dict:
    import base64

    head = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
