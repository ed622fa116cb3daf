"""Migration 5 on a database left at schema 4: old audit rows get the Logs screen's columns
from their fields, and the seed ACRs appear with ``1`` as the default."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from app.store import DB_FILE, migrations

OLD_EVENTS = [
    ("token.error", {"client_id": "web", "error": "invalid_grant"}),
    ("login.failed", {"username": "bob", "ip": "127.0.0.1"}),
    ("consent.granted", {"client_id": "web", "sub": "s-1"}),
    ("admin.login_failed", {"ip": "127.0.0.1"}),
    ("client.updated", {"client_id": 42}),
]


@pytest.fixture
def schema4_store(data_dir: Path, open_store):
    """A store created at schema 4 (with some events), then opened: migrated to 5."""
    first = open_store()  # creates the key file and a database at the latest schema
    first.close()
    (data_dir / DB_FILE).unlink()
    conn = sqlite3.connect(data_dir / DB_FILE)
    try:
        for module in migrations.all_migrations()[:4]:
            for statement in module.STATEMENTS:
                conn.execute(statement)
        conn.executemany("INSERT INTO audit_events (at, event, fields) VALUES (1.0, ?, ?)",
                         [(name, json.dumps(fields)) for name, fields in OLD_EVENTS])
        conn.execute("PRAGMA user_version = 4")
        conn.commit()
    finally:
        conn.close()
    return open_store()


def test_old_events_get_client_id_sub_and_level_from_their_fields(schema4_store):
    rows = {entry.event: entry for entry in schema4_store.find_log_entries()}
    assert (rows["token.error"].client_id, rows["token.error"].level) == ("web", "error")
    assert (rows["login.failed"].level, rows["admin.login_failed"].level) == (
        "warning", "warning")
    assert (rows["consent.granted"].sub, rows["consent.granted"].level) == ("s-1", "info")
    assert rows["client.updated"].client_id is None  # not a string: not a client_id


def test_the_upgraded_database_has_the_seed_acrs(schema4_store):
    assert [a.value for a in schema4_store.find_acrs(enabled=True)] == [
        "0", "1", "urn:pocket-op:mfa"]
    assert schema4_store.get_default_acr().value == "1"
    assert schema4_store.schema_version() == 5
