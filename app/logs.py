"""Logging: a line per request (method, path, status, duration, client_id when known) and
the event lines, to a rotating file in the log dir and, when headless, to stdout."""

from __future__ import annotations

import logging
import sys
import time
from logging.handlers import RotatingFileHandler
from pathlib import Path

from flask import Flask, g, request

from .startup import ensure_writable_dir

LOG_FILE = "pocket-op.log"
request_log = logging.getLogger("pocket_op.request")


def configure(log_dir: str, level: str) -> Path:
    """Attach the rotating file handler to the ``pocket_op`` logger."""
    directory = ensure_writable_dir(Path(log_dir), "log dir", "POCKET_OP_LOG_DIR")
    root = logging.getLogger("pocket_op")
    root.setLevel(level.upper())
    root.propagate = False
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    file_handler = RotatingFileHandler(directory / LOG_FILE, maxBytes=5_000_000, backupCount=5,
                                       encoding="utf-8")
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


def _start_timer() -> None:
    g.request_started = time.perf_counter()


def _log_request(response):
    started = g.get("request_started")
    duration = (time.perf_counter() - started) * 1000 if started else 0.0
    client_id = g.get("client_id")
    request_log.info(
        "%s %s %s %d %.1fms%s", request.remote_addr, request.method, request.path,
        response.status_code, duration, f" client_id={client_id}" if client_id else "",
    )
    return response


def init_app(app: Flask) -> None:
    app.before_request(_start_timer)
    app.after_request(_log_request)
