"""The decisions of an authorization request once it is valid: must the person sign in
(again), must they consent, and which subject does the client hint at?

OpenID Connect Core 1.0 §3.1.2.1 (prompt, max_age, id_token_hint, acr_values), §3.1.2.3
(authentication), §3.1.2.4 (consent), §3.1.2.6 (errors):
https://openid.net/specs/openid-connect-core-1_0.html
"""

from __future__ import annotations

import time
import warnings

from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import InvalidRequestError
from authlib.oidc.core.errors import InteractionRequiredError, LoginRequiredError
from flask import current_app
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from ...store import NotFound
from .. import acr
from ..claims import subject_for
from ..tokens import SIGNING_ALGS
from ..verify import signature_keys
from .request import AuthorizationRequest


def needs_login(authorization: AuthorizationRequest) -> bool:
    """OIDC Core §3.1.2.1: prompt, max_age, id_token_hint and acr_values (or an acr claim):
    a session below the level asked needs a new login; the client's default_max_age and
    the seed's ``default_prompt_login``."""
    user, session, interaction = (authorization.user, authorization.session,
                                  authorization.interaction)
    if session is None:
        return True
    if interaction is not None and interaction.login_done:
        return False
    client, params = authorization.client, authorization.params
    if authorization.prompts & {"login", "select_account"} or client.get("default_prompt_login"):
        return True
    hinted = hinted_subject(params.get("id_token_hint"))
    if hinted is not None and hinted not in (user.sub, subject_for(client, user)):
        return True
    if not acr.session_satisfies(authorization.acr, session):
        return True
    max_age = params.get("max_age") or client.get("default_max_age")
    return max_age is not None and time.time() - session.auth_time > int(max_age)


def no_silent_login(authorization: AuthorizationRequest) -> OAuth2Error:
    """OIDC Core §3.1.2.6: login_required when nobody is signed in (or someone else, or
    too long ago); interaction_required when the client's policy (the seed's
    default_prompt_login) demands an interactive login every time."""
    if authorization.session is not None and authorization.client.get("default_prompt_login"):
        return InteractionRequiredError("This client requires an interactive login.")
    return LoginRequiredError()


def hinted_subject(id_token_hint: str | None) -> str | None:
    """OIDC Core §3.1.2.1: the sub of an ID token we issued (expired ones are fine);
    anything else is invalid_request."""
    if not id_token_hint:
        return None
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "EdDSA is deprecated")
            token = jwt.decode(id_token_hint, KeySet([*signature_keys()]),
                               algorithms=SIGNING_ALGS)
    except (JoseError, ValueError):
        raise InvalidRequestError("Invalid 'id_token_hint' in request.") from None
    if token.claims.get("iss") != current_app.settings.issuer:
        raise InvalidRequestError("Invalid 'id_token_hint' in request.")
    return token.claims.get("sub")


def needs_consent(authorization: AuthorizationRequest) -> bool:
    """OIDC Core §3.1.2.4: trusted clients never ask; prompt=consent always asks; otherwise
    only for scopes this user has not granted this client before."""
    client, interaction = authorization.client, authorization.interaction
    if client.record.trusted or (interaction is not None and interaction.consent_done):
        return False
    if "consent" in authorization.prompts:
        return True
    try:
        granted = set(current_app.store.get_consent(authorization.user.sub, client.client_id))
    except NotFound:
        return True
    return not set(authorization.scope.split()) <= granted
