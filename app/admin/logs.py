"""The logs resource, ``/admin/api/events``: the rows of the Logs screen, the audit events
``app.events.emit`` recorded and the HTTP requests ``app.logs`` recorded (event
``http.request``). The path and the ``events`` key of the answer keep the names of the first
version of this API, which scripts use.

Filters, all optional and combined: ``event`` (one name), ``client_id``, ``user`` (a sub or
a username), ``endpoint`` (a path such as ``/token``; its sub-paths too), ``level`` (the
least severe level shown: ``info``, ``warning`` or ``error``), ``request_id`` (the rows of one
request) and ``q`` (text searched in the event name and the fields).

Paging by id: without ``after``, the newest ``limit`` rows, newest first (``before=<id>``
pages to older ones); with ``after=<id>``, the rows after that id, oldest first. ``more`` is
true when another page follows in that direction. A screen polls with the ``last_id`` of its
previous answer as ``after`` (again at once while ``more``), so no row is skipped however
many arrive between two polls.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from ..logs import flush_request_rows
from ..store.records import LogEntry
from .api import AdminError

bp = Blueprint("logs", __name__)

MAX_LIMIT = 500
MAX_ID = 2**63 - 1
LEVEL_ORDER = ("debug", "info", "warning", "error")
TEXT_FILTERS = ("event", "client_id", "user", "endpoint", "request_id", "q")


def int_arg(name: str, default: int | None, low: int, high: int) -> int | None:
    text = request.args.get(name)
    if text is None or text == "":
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        raise AdminError(400, "invalid_request", f"Invalid '{name}'.",
                         {name: f"expected an integer from {low} to {high}"})
    return int(text)


def text_arg(name: str) -> str | None:
    value = request.args.get(name, "").strip()
    if len(value) > 500:
        raise AdminError(400, "invalid_request", f"Invalid '{name}'.",
                         {name: "at most 500 characters"})
    return value or None


def levels_arg() -> list[str] | None:
    """``level=warning`` means warning and error."""
    level = request.args.get("level", "").strip().lower()
    if not level:
        return None
    if level not in LEVEL_ORDER:
        raise AdminError(400, "invalid_request", "Invalid 'level'.",
                         {"level": "expected one of " + ", ".join(LEVEL_ORDER)})
    return list(LEVEL_ORDER[LEVEL_ORDER.index(level):])


def entry_body(entry: LogEntry) -> dict:
    return {"id": entry.id, "at": entry.at, "event": entry.event, "level": entry.level,
            "client_id": entry.client_id, "sub": entry.sub, "endpoint": entry.endpoint,
            "request_id": entry.request_id, "fields": entry.fields}


@bp.get("/events")
def list_log_entries() -> Response:
    # ``after_id`` is the name the first version of this API used.
    after = int_arg("after", None, 0, MAX_ID)
    if after is None:
        after = int_arg("after_id", None, 0, MAX_ID)
    before = int_arg("before", None, 1, MAX_ID)
    limit = int_arg("limit", 100, 1, MAX_LIMIT)
    filters = {name: text_arg(name) for name in TEXT_FILTERS}
    flush_request_rows()  # every request answered so far is listed
    rows = current_app.store.find_log_entries(
        after=after, before=before if after is None else None, limit=limit + 1,
        event=filters["event"], client_id=filters["client_id"], user=filters["user"],
        endpoint=filters["endpoint"], request_id=filters["request_id"], text=filters["q"],
        levels=levels_arg())
    more, rows = len(rows) > limit, rows[:limit]
    last_id = max([after or 0, *(row.id for row in rows)])
    return jsonify({"events": [entry_body(row) for row in rows], "last_id": last_id,
                    "more": more})
