"""The OpenID Connect extension of token responses: an ID token whenever the granted scope
includes ``openid`` (OIDC Core §3.1.3.3 for codes, §12.2 for refreshes)."""

from __future__ import annotations

from ..token_context import context_of
from ..tokens import create_id_token


def is_openid(scope: str | None) -> bool:
    return "openid" in (scope or "").split()


class IDToken:
    """Authlib grant extension: adds ``id_token`` to the token response."""

    def __call__(self, grant):
        grant.register_hook("after_create_token_response", self.add_id_token)

    def add_id_token(self, grant, response):
        _, token, _ = response
        if not is_openid(token.get("scope")) or grant.request.user is None:
            return
        token["id_token"] = create_id_token(
            grant.request.client, grant.request.user, token["scope"],
            access_token=token.get("access_token"),
            **context_of(grant.request).id_token_facts(),
        )
