"""The authorization endpoint's steps, in order (node-oidc-provider's
``lib/actions/authorization/index.js``).

A step takes the ``AuthorizationRequest``; it returns None to go on or a response to stop
(a page, or the answer), and raises an OAuth2Error to refuse. A stage runs in three parts:
until the client and its redirect_uri are verified an error is shown on a page, unless the
step verified a redirect_uri for it (RFC 6749 §4.1.2.1: the server "MUST NOT automatically
redirect the user-agent to the invalid redirection URI"); after that, errors are redirected
to the client; last, the answer, whose errors Authlib redirects itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from authlib.oauth2 import OAuth2Error
from flask import Response

from ..sessions.sso import Browser
from . import checks, parameters, prompts, respond, resume
from .request import AuthorizationRequest, Interaction


class Stage(NamedTuple):
    verify: tuple[Callable, ...]
    steps: tuple[Callable, ...]
    answer: Callable[[AuthorizationRequest], Response]


#: What Authlib leaves to us (the first failing check answers); the PAR endpoint runs
#: these too.
CHECKS = (
    checks.validate_openid_redirect_uri,  # OIDC Core §3.1.2.1
    checks.validate_response_mode,        # Multiple Response Types §2.1, JARM §2.3
    checks.validate_no_tokens_in_query,   # Multiple Response Types §2.1
    checks.validate_pkce_required,        # RFC 9700 §2.1.1, RFC 7636 §4.4.1
    checks.validate_claims_request,       # OIDC Core §5.5
    checks.validate_acr_request,          # OIDC Core §3.1.2.1, §5.5.1.1
    checks.validate_prompt_values,        # OIDC Core §3.1.2.1
    checks.validate_prompt_none_alone,    # OIDC Core §3.1.2.1
    checks.validate_max_age,              # OIDC Core §3.1.2.1
)

#: GET or POST /authorize (RFC 6749 §3.1, OIDC Core §3.1.2).
AUTHORIZE = Stage(
    verify=(
        parameters.read_parameters,       # the query or the form, each parameter once
        parameters.assemble_parameters,   # request object (RFC 9101), pushed (RFC 9126)
        checks.validate_grant,            # Authlib: client, redirect_uri, type, scope, PKCE
    ),
    steps=(
        *CHECKS,
        prompts.load_login,               # who is signed in
        prompts.login,                    # the login page, or pass
        prompts.consent,                  # the consent page, or pass
    ),
    answer=respond.issue,                 # code and tokens, in the response mode
)

#: The login and consent forms resume the request their page paused.
RESUME = Stage(
    verify=(
        resume.reload_client,             # still active? (the rest was validated already)
    ),
    steps=(
        prompts.load_login,               # who is signed in now
        resume.record_consent,            # the consent form's answer, if it posted one
        prompts.login,
        prompts.consent,
    ),
    answer=respond.issue,
)

#: POST /par (RFC 9126 §2.1: "Validate the pushed request as it would an authorization
#: request sent to the authorization endpoint"); the PAR endpoint authenticates the client
#: and reads the request object itself.
PUSHED = (checks.validate_grant, *CHECKS)


def run(stage: Stage, authorization: AuthorizationRequest) -> Response:
    try:
        for step in stage.verify:
            step(authorization)
    except OAuth2Error as error:
        return respond.unverified_error(error, authorization.params)
    try:
        for step in stage.steps:
            page = step(authorization)
            if page is not None:
                return page
    except OAuth2Error as error:
        error.redirect_uri = authorization.redirect_uri
        return respond.redirect_error(error, authorization.params)
    return stage.answer(authorization)


def authorize() -> Response:
    """The authorization endpoint: every step for the request being served."""
    return run(AUTHORIZE, AuthorizationRequest(browser=Browser()))


def resume_interaction(interaction: Interaction, browser: Browser) -> Response:
    """The steps after the page that paused ``interaction``'s request, for ``browser``."""
    return run(RESUME, interaction.request.resumed(browser))


def validate_pushed_request(params: dict[str, str]) -> AuthorizationRequest:
    """The pushed request's checks; raises the first error."""
    authorization = AuthorizationRequest(params)
    for step in PUSHED:
        step(authorization)
    return authorization
