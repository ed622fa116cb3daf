"""What a token knows about how it was granted, carried on the Authlib ``OAuth2Request``
(``request.token_context``) from the step that learns it to the steps that issue tokens.

Created where the grant reads its credential: the front-channel login (the authorization
endpoint's ``issue``), the authorization code (``query_authorization_code``) and the refresh
token (``validate_token_request``). Read by ``save_code``, the token generator and
``save_token`` (server.py), and the ID token (openid.py, front_channel.py). A grant that
reads no such credential (client_credentials, password) carries ``NO_CONTEXT``.

OpenID Connect Core §2 (the ID token's sid, auth_time, acr, amr, nonce), §5.5 (the
``claims`` request); RFC 9700 §4.14.2 (the refresh token family).
https://openid.net/specs/openid-connect-core-1_0.html
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TokenContext:
    """One grant's facts; no field is set after creation. Room is left for the DPoP/mTLS
    confirmation (``cnf``) and the resource/audience once a grant sets them."""

    #: The token family: the code's hash, kept by every refresh (None: a new family).
    family: str | None = None
    #: The SSO session the tokens belong to (OIDC Front-/Back-Channel Logout ``sid``).
    sid: str | None = None
    #: When the user authenticated (OIDC Core §2 ``auth_time``), epoch seconds.
    auth_time: float | None = None
    #: The authentication context class reached (OIDC Core §2 ``acr``).
    acr: str | None = None
    #: The authentication methods used (OIDC Core §2 ``amr``).
    amr: list[str] | None = None
    #: The authorization request's ``nonce`` (OIDC Core §3.1.2.1).
    nonce: str | None = None
    #: The ``claims`` request parameter, parsed (OIDC Core §5.5).
    claims: dict[str, Any] | None = None

    @classmethod
    def from_record(cls, family: str, sid: str | None, data: dict[str, Any]) -> TokenContext:
        """The context kept in a stored code's or token's ``data`` (``save_code``,
        ``OP.save_token``), in ``family``."""
        return cls(family=family, sid=sid, auth_time=data.get("auth_time"),
                   acr=data.get("acr"), amr=data.get("amr"), nonce=data.get("nonce"),
                   claims=data.get("claims"))

    @classmethod
    def from_login(cls, session, acr: str | None, *, nonce: str | None,
                   claims: dict[str, Any] | None) -> TokenContext:
        """The context of a front-channel grant: the SSO ``session`` the user signed in to
        (or is still in), the ``acr`` it satisfies, and the authorization request's."""
        return cls(sid=session.sid, auth_time=session.auth_time, acr=acr, amr=session.amr,
                   nonce=nonce, claims=claims)

    def id_token_facts(self) -> dict[str, Any]:
        """The ID token claims this context decides (``tokens.create_id_token`` keywords)."""
        return {"nonce": self.nonce, "auth_time": self.auth_time, "acr": self.acr,
                "amr": self.amr, "sid": self.sid, "claims": self.claims}


#: The context of a grant that reads no code, refresh token or login.
NO_CONTEXT = TokenContext()


def context_of(request) -> TokenContext:
    """The context on ``request``; ``NO_CONTEXT`` when no step created one."""
    return getattr(request, "token_context", NO_CONTEXT)
