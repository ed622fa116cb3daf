"""The interaction pages' forms: what a person answers while an authorization request
waits on them (OpenID Connect Core §3.1.2.3 authentication, §3.1.2.4 consent). Each form
records the answer and resumes the request (``app.oauth.authorization.steps``); the pages
themselves are rendered by the step that paused the request (``authorization.prompts``).

Both forms are guarded by the interaction cookie (HttpOnly, SameSite=Lax), which a
cross-site post does not carry. Imports the authorization steps; they never import this.
"""

from __future__ import annotations

from flask import Blueprint, Flask

from . import consent, login

bp = Blueprint("interaction", __name__, url_prefix="/interaction")
bp.add_url_rule("/<interaction_id>/login", view_func=login.login, methods=["POST"])
bp.add_url_rule("/<interaction_id>/consent", view_func=consent.consent, methods=["POST"])


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
