"""POST /interaction/<id>/consent: the consent form (OpenID Connect Core §3.1.2.4). Allow or
deny is recorded on the interaction; the resumed request acts on it
(``authorization.resume.record_consent``)."""

from __future__ import annotations

from flask import Response, request

from ..authorization import steps
from ..authorization.resume import find_interaction
from ..sessions.sso import Browser


def consent(interaction_id: str) -> Response:
    interaction = find_interaction(interaction_id)
    if isinstance(interaction, Response):
        return interaction
    interaction.consent_given = request.form.get("decision") == "allow"
    return steps.resume_interaction(interaction, Browser())
