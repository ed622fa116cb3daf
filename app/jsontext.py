"""JSON as the specs mean it: RFC 8259 §8.1 (text exchanged between systems MUST be UTF-8)
and §8.2 (an escaped lone surrogate such as ``"\\ud800"`` is no character: Python decodes it
into a str that cannot be encoded, stored in SQLite or written to a log), and §6 (``NaN`` and
``Infinity`` are not JSON, although Python's parser takes them).

Request bodies (registration, admin API) are read with ``loads``; the claims of a JWT a
client signed (assertions, request objects) are checked with ``is_text`` before any of their
values reach the store; ``segment`` reads a JWT's header or payload unverified."""

from __future__ import annotations

import base64
import json
from typing import Any


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def is_text(value: Any) -> bool:
    """True unless a string anywhere in ``value`` (keys included) holds a lone surrogate."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, dict):
        return all(is_text(key) and is_text(item) for key, item in value.items())
    if isinstance(value, list):
        return all(is_text(item) for item in value)
    return True


def loads(data: str | bytes) -> Any:
    """``json.loads`` that refuses what is not JSON text: ValueError (also for a lone
    surrogate) or RecursionError."""
    value = json.loads(data, parse_constant=_reject_constant)
    if not is_text(value):
        raise ValueError("a string holds an unpaired UTF-16 surrogate (RFC 8259 §8.2)")
    return value


def segment(part: str) -> Any:
    """A base64url-encoded JSON segment of a compact JWS or JWE (RFC 7515 §7.1), read before
    any verification; None when it is not one."""
    try:
        return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (ValueError, RecursionError):  # binascii.Error and UnicodeDecodeError included
        return None
