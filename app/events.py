"""``emit("entity.verb", **fields)``: one call writes an audit row and a log line.

Fields carry ids, never secrets: values under secret-looking names are replaced before they
are written anywhere."""

from __future__ import annotations

import json
import logging
from typing import Any

from flask import current_app

log = logging.getLogger("pocket_op.events")

SECRET_NAMES = frozenset({
    "password", "secret", "client_secret", "token", "access_token", "refresh_token", "id_token",
    "code", "code_verifier", "assertion", "client_assertion", "cookie", "private_key",
    "registration_access_token", "initial_access_token",
})


def scrub(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: "[redacted]" if k.lower() in SECRET_NAMES else v for k, v in fields.items()}


def emit(event: str, **fields: Any) -> None:
    """Record ``event`` (e.g. ``client.created``) in the audit table and the log."""
    clean = scrub(fields)
    current_app.store.add_event(event, clean)
    log.info("%s %s", event, json.dumps(clean, sort_keys=True, default=str))
