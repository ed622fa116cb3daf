"""``emit("entity.verb", **fields)``: one call writes an audit row and a log line.

Fields carry ids, never secrets: ``app.redaction`` replaces secrets, reduces tokens to a
fingerprint and decodes JWTs (without their signature) before anything is written.

Each event has a level, from its name: ``*.error`` is "error"; a verb saying something was
refused (failed, refused, reused, denied, throttled, declined) is "warning"; the rest "info".
The level picks the log line's level and is what the Logs screen filters on. The setting
``audit_logging`` (off) keeps the log line but not the database row; ``log_retention``
bounds the rows kept.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from flask import current_app, has_request_context, request

from .redaction import redact_fields
from .request_notes import annotate, request_id

log = logging.getLogger("pocket_op.events")

LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING,
          "error": logging.ERROR}
WARNING_VERBS = ("failed", "refused", "reused", "denied", "throttled", "declined")
PRUNE_EVERY = 100  # rows between two deletions of what exceeds log_retention


def level_of(event: str) -> str:
    """The level of an event name (kept in step with migration m0005's backfill)."""
    if event.endswith(".error"):
        return "error"
    if event.endswith(WARNING_VERBS):
        return "warning"
    return "info"


def scrub(fields: dict[str, Any]) -> dict[str, Any]:
    return redact_fields(fields)


def row(event: str, fields: dict[str, Any], level: str, **columns: Any) -> dict[str, Any]:
    """The columns of one row of the Logs screen (an event or a request); in a request, its
    endpoint and id."""
    if has_request_context():
        columns.setdefault("endpoint", request.path)
        columns.setdefault("request_id", request_id())
    return {"event": event, "fields": fields, "level": level, "at": time.time(), **columns}


def write_rows(rows: list[dict[str, Any]]) -> None:
    """Write rows in one transaction; each PRUNE_EVERY rows, delete those beyond the setting
    ``log_retention``."""
    store = current_app.store
    with store.atomic():
        ids = [store.add_event(**columns) for columns in rows]
    if any(row_id % PRUNE_EVERY == 0 for row_id in ids):
        store.prune_events(int(current_app.settings.get("log_retention", 10000)))


def emit(event: str, **fields: Any) -> None:
    """Record ``event`` (e.g. ``client.created``) in the audit table and the log."""
    clean = scrub(fields)
    level = level_of(event)
    log.log(LEVELS[level], "%s %s", event, json.dumps(clean, sort_keys=True, default=str))
    if has_request_context() and isinstance(clean.get("sub"), str):
        annotate(sub=clean["sub"])  # the user of the request's own row
    if current_app.settings.get("audit_logging", True):
        write_rows([row(event, clean, level)])
