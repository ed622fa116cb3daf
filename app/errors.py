"""Errors: the start-up failure that ends the process with exit code 2, and the one JSON
error shape every HTTP endpoint answers with: ``{"error", "error_description"}``.

Unexpected exceptions become ``server_error`` with a generic description; the traceback goes
to the log, never into a response.
"""

from __future__ import annotations

import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

log = logging.getLogger("pocket_op")


class StartupError(Exception):
    """Start-up cannot go on: one line naming the problem and the fix, then exit code 2."""

    exit_code = 2

    def __init__(self, problem: str, fix: str):
        super().__init__(problem)
        self.problem = problem
        self.fix = fix

    def __str__(self) -> str:
        return f"pocket-op: {self.problem}; {self.fix}."


HTTP_ERROR_CODES = {
    400: "invalid_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "request_too_large",
}


def error_response(status: int, error: str, description: str, **extra):
    response = jsonify({"error": error, "error_description": description, **extra})
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def handle_http_exception(exc: HTTPException):
    status = exc.code or 500
    error = HTTP_ERROR_CODES.get(status, "invalid_request" if status < 500 else "server_error")
    response = error_response(status, error, exc.description or exc.name)
    if status == 405 and exc.valid_methods:
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response


def handle_unexpected(exc: Exception):
    log.exception("unexpected error while serving a request")
    return error_response(500, "server_error", "The server hit an unexpected condition.")


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
