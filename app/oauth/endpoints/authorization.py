"""``authorization_endpoint`` (RFC 6749 §3.1, OpenID Connect Core §3.1.2): validate the
request, sign the user in, ask consent, then answer in the requested response mode. The
steps are listed, in order, in ``app.oauth.authorization.steps``.
"""

from __future__ import annotations

from flask import Blueprint, Flask

from .. import acr
from ..authorization import steps
from ..authorization.checks import PROMPTS
from ..response_modes.delivery import RESPONSE_MODES

bp = Blueprint("authorization", __name__)


@bp.route("/authorize", methods=["GET", "POST"])
def authorize():
    return steps.authorize()


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.registry.add_endpoint("authorization_endpoint", "authorization.authorize")
    app.registry.add_supported("response_modes_supported", *RESPONSE_MODES)
    app.registry.add_supported("prompt_values_supported", *PROMPTS)
    app.registry.set_value("authorization_response_iss_parameter_supported", True)
    app.registry.set_value("claims_parameter_supported", True)
    app.registry.set_dynamic("acr_values_supported", acr.supported_values)
