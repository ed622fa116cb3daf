"""What a request's log line and Logs row say about it, noted while it is served: the request
id and start time, the client it concerns (once known) and the user an event of it named.

Logging annotations only, the one kind of data kept on ``flask.g`` (besides the admin API's
authenticated caller, ``g.admin``): protocol code writes them through ``annotate`` and never
reads them back; ``app.logs`` reads them. A module of its
own so that ``app.events`` and ``app.oauth`` can annotate without importing ``app.logs``
(which imports ``app.events``).

May import Flask only.
"""

from __future__ import annotations

import secrets
import time

from flask import g

NOTES = "pocket_op_request_notes"  # the flask.g attribute holding the notes


def annotate(**notes: str | None) -> None:
    """Note ``client_id`` and/or ``sub`` for this request's log line and Logs row."""
    g.setdefault(NOTES, {}).update(notes)


def noted(name: str) -> str | None:
    return g.get(NOTES, {}).get(name)


def start() -> None:
    """At the start of each request: its id and start time."""
    g.request_started = time.perf_counter()
    g.request_id = secrets.token_hex(8)


def elapsed_ms() -> float:
    started = g.get("request_started")
    return (time.perf_counter() - started) * 1000 if started else 0.0


def request_id() -> str | None:
    return g.get("request_id")
