"""What every admin resource shares: the one error it raises (rendered in the server's JSON
error shape, plus ``fields`` naming each bad field), reading a JSON body, small field checks
that collect every problem of a request before answering, and the routing of an item's PUT
and PATCH to one ``update`` function."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, jsonify, request

from .. import jsontext
from ..errors import error_response


class AdminError(Exception):
    """An admin API refusal: status, error code, a short description, and for validation
    errors ``fields`` ({field: message})."""

    def __init__(self, status: int, error: str, description: str,
                 fields: dict[str, str] | None = None):
        super().__init__(description)
        self.status, self.error, self.description, self.fields = status, error, description, fields

    def response(self) -> Response:
        extra = {"fields": self.fields} if self.fields is not None else {}
        return error_response(self.status, self.error, self.description, **extra)


def not_found(what: str) -> AdminError:
    return AdminError(404, "not_found", f"No such {what}.")


def conflict(description: str) -> AdminError:
    return AdminError(409, "conflict", description)


def invalid(fields: dict[str, str]) -> AdminError:
    """400 naming every bad field; the description names the first."""
    field, message = next(iter(fields.items()))
    return AdminError(400, "invalid_request", f"Invalid '{field}': {message}.", fields)


class Problems:
    """The bad fields of one request, raised together by ``validate``."""

    def __init__(self):
        self.fields: dict[str, str] = {}

    def add(self, field: str, message: str) -> None:
        self.fields.setdefault(field, message)

    def validate(self) -> None:
        if self.fields:
            raise invalid(self.fields)


def read_json() -> dict[str, Any]:
    """The request body: a JSON object sent as application/json."""
    if request.mimetype != "application/json":
        raise AdminError(400, "invalid_request", "The request body must be application/json.")
    try:
        body = jsontext.loads(request.get_data() or b"null")
    except (ValueError, RecursionError):
        raise AdminError(400, "invalid_request", "The request body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise AdminError(400, "invalid_request", "The request body must be a JSON object.")
    return body


def check_unknown(body: dict[str, Any], allowed: tuple[str, ...], problems: Problems) -> None:
    for field in body:
        if field not in allowed:
            problems.add(field, "unknown field")


def take_bool(body: dict[str, Any], field: str, problems: Problems) -> bool | None:
    value = body.get(field)
    if value is not None and not isinstance(value, bool):
        problems.add(field, "expected true or false")
        return None
    return value


def take_text(body: dict[str, Any], field: str, problems: Problems,
              required: bool = False) -> str | None:
    value = body.get(field)
    if value is None:
        if required:
            problems.add(field, "required")
        return None
    if not isinstance(value, str) or (required and not value):
        problems.add(field, "expected a non-empty string" if required else "expected a string")
        return None
    return value


def created(body: dict[str, Any]) -> Response:
    response = jsonify(body)
    response.status_code = 201
    return response


def no_content() -> Response:
    return Response(status=204)


def put_and_patch(bp: Blueprint, rule: str, noun: str) -> Callable:
    """Decorate ``update(<rule's variable>, partial)``: PUT ``rule`` calls it with
    ``partial=False`` (replace), PATCH with ``partial=True`` (merge); the views are named
    ``replace_<noun>`` and ``patch_<noun>``."""

    def register(update: Callable[..., Response]) -> Callable[..., Response]:
        def replace(**key: str) -> Response:
            return update(**key, partial=False)

        def patch(**key: str) -> Response:
            return update(**key, partial=True)

        bp.add_url_rule(rule, f"replace_{noun}", replace, methods=["PUT"])
        bp.add_url_rule(rule, f"patch_{noun}", patch, methods=["PATCH"])
        return update

    return register
