"""``/admin/api/events``: the audit events ``app.events.emit`` recorded, newest first, for the
Logs screen. Filters: ``event=`` (one name), ``client_id=``; ``after_id=`` returns only newer
events, so a screen polls with the ``last_id`` of its previous answer.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from .api import AdminError

bp = Blueprint("events", __name__)

MAX_LIMIT = 500


def int_arg(name: str, default: int, low: int, high: int) -> int:
    text = request.args.get(name)
    if text is None or text == "":
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        raise AdminError(400, "invalid_request", f"Invalid '{name}'.",
                         {name: f"expected an integer from {low} to {high}"})
    return int(text)


@bp.get("/events")
def list_events() -> Response:
    after_id = int_arg("after_id", 0, 0, 2**63 - 1)
    limit = int_arg("limit", 100, 1, MAX_LIMIT)
    records = current_app.store.find_events(
        after_id=after_id, limit=limit, event=request.args.get("event") or None,
        client_id=request.args.get("client_id") or None)
    events = [{"id": r.id, "at": r.at, "event": r.event, "fields": r.fields} for r in records]
    last_id = max([after_id, *(event["id"] for event in events)])
    return jsonify({"events": events, "last_id": last_id})
