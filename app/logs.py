"""Logging: a line per request (method, path, status, duration, client_id when known) and
the event lines, to a rotating file in the log dir and, when headless, to stdout.

With the setting ``http_logging`` on, each request to the OP's endpoints is also recorded
for the Logs screen (event ``http.request``): method, path, status, duration, client and
user when known, the parameters and the response, redacted by ``app.redaction`` (secrets
removed, tokens fingerprinted, JWTs decoded without their signature) and capped in size.
The admin API and the static files are not recorded: they would only be noise (and the Logs
screen's own polling would record itself).

A row's cost is linear in the request, however hostile, and what it keeps is bounded: of the
query, form and redirect parameters, at most MAX_NAMES names and MAX_VALUES values of each
(a name given several times keeps a list); what is left out is counted under the name
OMITTED, as ``"(omitted)": {"values": {"x": 249970}, "names": 3}``: 249,970 more values of
``x`` and 3 more names (with all their values) not kept. A client's own parameter of that
name is shown as sent, unless the note replaces it. A JSON body nested too deep to parse is
kept as "(not valid JSON)". At most ``redaction.MAX_JWTS`` JWTs of a row are decoded.

Request rows are written in batches (``PendingRows``): one SQLite commit (an fsync) per
request would halve the throughput of a cheap endpoint. A batch is written when it holds
BATCH_ROWS rows, when its oldest row is FLUSH_AFTER seconds old (checked at each request),
and before ``/admin/api/events`` reads, so the Logs screen always sees every request that
was answered before it asked, and when the server stops (``Server.flush_logs``). Rows still
pending when the process is killed are lost; they are log rows, never state.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
import time
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import HTTPException

from . import request_notes
from .redaction import Budget, describe_token, redact, redact_fields
from .request_notes import noted
from .startup import ensure_writable_dir, make_files_private

LOG_FILE = "pocket-op.log"
request_log = logging.getLogger("pocket_op.request")
#: Paths (below the issuer's) never recorded for the Logs screen.
NOT_RECORDED = ("/admin", "/static/", "/favicon.ico", "/healthz")
MAX_BODY = 256_000  # bytes of a response body read to redact it
MAX_RECORD = 32_000  # characters of one recorded request or response, once redacted
MAX_NAMES = 100  # parameters of a query, form or redirect kept in a row
MAX_VALUES = 20  # values kept of a parameter given several times
OMITTED = "(omitted)"  # the parameter that counts those not kept
JSON_TYPES = ("application/json",)
JWT_TYPES = ("application/jwt",)
BATCH_ROWS = 50
FLUSH_AFTER = 0.5  # seconds
PENDING = "pocket_op.pending_request_rows"  # app.extensions key


class PendingRows:
    """Request rows waiting to be written together."""

    def __init__(self):
        self._rows: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def add(self, row: dict[str, Any]) -> None:
        with self._lock:
            self._rows.append(row)

    def take(self, force: bool) -> list[dict[str, Any]]:
        """The rows due to be written (all of them when ``force``), removed from the queue."""
        with self._lock:
            due = force or len(self._rows) >= BATCH_ROWS or (
                self._rows and time.time() - self._rows[0]["at"] >= FLUSH_AFTER)
            rows, self._rows = (self._rows, []) if due else ([], self._rows)
        return rows


def flush_request_rows(force: bool = True) -> None:
    """Write the pending request rows (when due, unless ``force``)."""
    from .events import write_rows

    rows = current_app.extensions[PENDING].take(force)
    if rows:
        write_rows(rows)


class PrivateRotatingFileHandler(RotatingFileHandler):
    """Log files (new ones after each rotation too) readable by their owner only."""

    def _open(self):
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        return open(fd, self.mode, encoding=self.encoding, errors=self.errors)


def configure(log_dir: str, level: str) -> Path:
    """Attach the rotating file handler to the ``pocket_op`` logger."""
    directory = ensure_writable_dir(Path(log_dir), "log dir", "POCKET_OP_LOG_DIR")
    root = logging.getLogger("pocket_op")
    root.setLevel(level.upper())
    root.propagate = False
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    make_files_private(directory, LOG_FILE + "*")
    file_handler = PrivateRotatingFileHandler(directory / LOG_FILE, maxBytes=5_000_000,
                                              backupCount=5, encoding="utf-8")
    file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root.addHandler(file_handler)
    # Waitress' own messages (e.g. queue depth warnings) go to the same place.
    logging.getLogger("waitress").handlers = root.handlers
    logging.getLogger("waitress").propagate = False
    return directory / LOG_FILE


def log_to_stdout() -> None:
    """Headless mode: log lines on stdout too (after the ready line, which comes first)."""
    stream = logging.StreamHandler(sys.stdout)
    stream.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
    logging.getLogger("pocket_op").addHandler(stream)


def _log_request(response: Response) -> Response:
    duration = request_notes.elapsed_ms()
    client_id = noted("client_id")
    request_log.info(
        "%s %s %s %d %.1fms%s", request.remote_addr, request.method, request.path,
        response.status_code, duration, f" client_id={client_id}" if client_id else "",
    )
    try:
        if current_app.settings.get("http_logging", True) and is_recorded(request.path):
            record_request(response, duration)
        flush_request_rows(force=False)
    except Exception:  # the request was served: a log row must not turn it into a 500
        request_log.exception("could not record %s %s", request.method, request.path)
    return response


def is_recorded(path: str) -> bool:
    return not any(path == prefix.rstrip("/") or path.startswith(prefix)
                   for prefix in NOT_RECORDED)


def record_request(response: Response, duration: float) -> None:
    from .events import row

    budget = Budget()  # one for the row; the response's JWTs (pocket-op's own) come first
    answered = response_part(response, budget)
    sent = request_part(budget)
    error = answered.pop("error", None) if isinstance(answered, dict) else None
    fields: dict[str, Any] = {
        "method": request.method, "path": request.path, "status": response.status_code,
        "duration_ms": round(duration, 1), "request": sent, "response": answered,
    }
    if error:
        fields["error"] = error
    failed = response.status_code >= 400 or bool(error)
    client_id = noted("client_id") or sent_client_id(sent)
    sub = noted("sub")  # e.g. login.succeeded names who signed in
    current_app.extensions[PENDING].add(row(
        "http.request", fields, "error" if failed else "info",
        client_id=client_id if isinstance(client_id, str) else None, sub=sub))


def sent_client_id(sent: dict[str, Any]) -> Any:
    """The client_id of the query or the form, when they were read."""
    for part in (sent.get("query"), sent.get("form")):
        if isinstance(part, dict) and part.get("client_id"):
            return first(part["client_id"])
    return None


def first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def params(pairs, budget: Budget | None = None) -> dict[str, Any]:
    """Parameters as {name: value}, or {name: [values]} when one is given several times,
    redacted; capped as the module says, with the OMITTED note when something is left out."""
    kept, omitted = collect(pairs)
    collected = redact_fields({name: values[0] if len(values) == 1 else values
                               for name, values in kept.items()}, budget)
    if omitted["values"] or omitted["names"]:
        collected[OMITTED] = omitted
    return collected


def collect(pairs) -> tuple[dict[str, list[str]], dict[str, Any]]:
    """The first MAX_VALUES values of the first MAX_NAMES names, and a count of the rest: one
    pass, whatever the number of pairs."""
    kept: dict[str, list[str]] = {}
    more_values: dict[str, int] = {}
    more_names: set[str] = set()
    for name, value in pairs:
        values = kept.get(name)
        if values is None and len(kept) >= MAX_NAMES:
            more_names.add(name)
        elif values is None:
            kept[name] = [value]
        elif len(values) < MAX_VALUES:
            values.append(value)
        else:
            more_values[name] = more_values.get(name, 0) + 1
    return kept, {"values": more_values, "names": len(more_names)}


def request_part(budget: Budget) -> dict[str, Any]:
    part: dict[str, Any] = {}
    if request.args:
        part["query"] = params(request.args.items(multi=True), budget)
    if request.mimetype == "application/x-www-form-urlencoded":
        try:
            part["form"] = params(request.form.items(multi=True), budget)
        except HTTPException as error:  # e.g. a body over the size limit
            part["form"] = f"(not read: {error.name})"
    elif request.mimetype == "application/json" or request.mimetype.endswith("+json"):
        body = json_body()
        part["json"] = redact(body, budget=budget) if body is not None else "(not valid JSON)"
    elif request.content_length:
        part["body"] = f"{request.mimetype or 'no content type'}, {request.content_length} bytes"
    headers = {name.lower(): redact(value, name, budget=budget)
               for name, value in request.headers.items()
               if name.lower() in ("authorization", "dpop", "content-type", "origin")}
    if headers:
        part["headers"] = headers
    return limited(part)


def json_body() -> Any:
    """The request's JSON body; None when it is not JSON, or nested too deep to parse."""
    try:
        return request.get_json(silent=True)
    except RecursionError:
        return None


def response_part(response: Response, budget: Budget) -> dict[str, Any]:
    part: dict[str, Any] = {"content_type": response.mimetype or None}
    location = response.headers.get("Location")
    if location:
        part.update(describe_location(location, budget))
    if response.is_streamed or response.direct_passthrough:
        return part
    data = response.get_data()
    part["size"] = len(data)
    if not data or len(data) > MAX_BODY:
        return part
    mimetype = response.mimetype or ""
    if mimetype in JSON_TYPES or mimetype.endswith("+json"):
        try:
            body = json.loads(data)
        except (ValueError, RecursionError):
            return part
        part["body"] = redact(body, budget=budget)
        if isinstance(body, dict) and isinstance(body.get("error"), str):
            part["error"] = body["error"]
    elif mimetype in JWT_TYPES or mimetype.endswith("+jwt"):
        part["body"] = describe_token(data.decode("ascii", "replace").strip(), budget=budget)
    return limited(part)


def describe_location(location: str, budget: Budget | None = None) -> dict[str, Any]:
    """A redirect: where to, and its query and fragment parameters (redacted, capped)."""
    parts = urlsplit(location)
    described: dict[str, Any] = {
        "location": parts._replace(query="", fragment="").geturl()}
    for name, text in (("query", parts.query), ("fragment", parts.fragment)):
        if text:
            described[f"location_{name}"] = params(parse_qsl(text, keep_blank_values=True),
                                                   budget)
    for name in ("location_query", "location_fragment"):
        error = described.get(name, {}).get("error")
        if isinstance(error, str):
            described["error"] = error
    return described


def limited(part: dict[str, Any]) -> dict[str, Any]:
    """``part``, or a truncated text of it when it is too large to keep whole."""
    text = json.dumps(part, default=str)
    if len(text) <= MAX_RECORD:
        return part
    return {"truncated": f"{len(text)} characters kept as the first {MAX_RECORD}",
            "text": text[:MAX_RECORD]}


def init_app(app: Flask) -> None:
    app.extensions[PENDING] = PendingRows()
    app.before_request(request_notes.start)
    app.after_request(_log_request)
