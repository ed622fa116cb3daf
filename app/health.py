"""``GET /healthz``: 200 ``{"status": "ok"}`` when the database answers, 503 otherwise."""

from __future__ import annotations

import logging

from flask import Blueprint, Flask, current_app, jsonify

bp = Blueprint("health", __name__)
log = logging.getLogger("pocket_op")


@bp.get("/healthz")
def healthz():
    try:
        current_app.store.ping()
    except Exception:
        log.exception("health check: the database does not answer")
        response = jsonify({"status": "unavailable", "error": "database_unavailable"})
        response.status_code = 503
    else:
        response = jsonify({"status": "ok"})
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
