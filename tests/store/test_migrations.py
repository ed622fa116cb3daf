"""Schema migrations: a frozen schema-1 database (fixtures/schema1.sql, made by the first
release's migration) upgrades to the latest schema with every row still readable, and
databases pocket-op cannot own are refused without being touched."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet
from peewee import OperationalError

from app.errors import StartupError
from app.store import DB_FILE, CodeAlreadyUsed, NotFound, Store, migrations
from app.store import db as store_db
from app.store.crypto import KEY_FILE
from app.store.migrations import m0001_initial
from app.store.records import ClientRecord, EventRecord, ScopeRecord, UserRecord

from .helpers import in_an_hour, sha256

FIXTURES = Path(__file__).parent / "fixtures"
CREATED_AT = 1735689600.0
CAROL_SUB = "5b0f2c8e-3d6a-4f1b-9c2e-7a4d8e6f1b30"
LEGACY_SECRET = "legacy-web-secret-4c1f9e"
LEGACY_METADATA = {
    "client_name": "Legacy web app", "redirect_uris": ["http://localhost:8080/cb"],
    "grant_types": ["authorization_code"], "response_types": ["code"],
    "token_endpoint_auth_method": "client_secret_basic", "scope": "openid email",
}
LEGACY_KID = "ePz9eFgvumNJqqQHUgH1kVsWtzK1XjYg5-zrZU3jSLE"


def schema(path: Path) -> list[tuple[str, str, str]]:
    """Every table and index with its SQL, as SQLite keeps it."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT type, name, sql FROM sqlite_master "
                            "WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").fetchall()
    finally:
        conn.close()


def user_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def build_database(path: Path, script: str) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.executescript(script)
    finally:
        conn.close()


@pytest.fixture
def schema1_dir(data_dir: Path) -> Path:
    """A data dir as the first release left it: the schema-1 database and its key file."""
    build_database(data_dir / DB_FILE, (FIXTURES / "schema1.sql").read_text(encoding="utf-8"))
    shutil.copyfile(FIXTURES / "schema1_key.txt", data_dir / KEY_FILE)
    (data_dir / KEY_FILE).chmod(0o600)
    return data_dir


@pytest.fixture
def upgraded(open_store, schema1_dir: Path) -> Store:
    return open_store(schema1_dir)


def files_of(directory: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


# The migrations themselves


def test_migrations_are_numbered_1_to_n_without_gaps():
    versions = [module.VERSION for module in migrations.all_migrations()]
    assert versions == list(range(1, len(versions) + 1))
    assert migrations.latest_version() == len(versions) >= 2


def test_each_migration_module_is_named_after_its_version():
    for module in migrations.all_migrations():
        assert module.__name__.rsplit(".", 1)[1][:5] == f"m{module.VERSION:04d}"


def test_each_migration_has_sql_statements():
    for module in migrations.all_migrations():
        assert module.STATEMENTS
        assert all(isinstance(s, str) and s.strip() for s in module.STATEMENTS)


LATEST = migrations.latest_version()


@pytest.mark.parametrize(("current", "expected"), [
    (0, list(range(1, LATEST + 1))), (1, list(range(2, LATEST + 1))), (LATEST, [])],
    ids=["new", "schema-1", "latest"])
def test_pending_lists_the_migrations_a_version_still_needs(current, expected):
    assert [module.VERSION for module in migrations.pending(current)] == expected


def test_a_gap_in_the_migration_numbers_is_refused(monkeypatch):
    real = migrations.pkgutil.iter_modules
    monkeypatch.setattr(migrations.pkgutil, "iter_modules",
                        lambda path: [m for m in real(path) if m.name != "m0001_initial"])
    with pytest.raises(RuntimeError, match="without gaps"):
        migrations.all_migrations()


def test_a_failing_migration_leaves_the_database_at_its_old_version(schema1_dir, monkeypatch):
    path = schema1_dir / DB_FILE
    before = schema(path)
    broken = SimpleNamespace(VERSION=2, STATEMENTS=["CREATE TABLE half_done (x TEXT)",
                                                    "THIS IS NOT SQL"])
    monkeypatch.setattr(migrations, "pending", lambda current: [broken])
    db = store_db.open_database(path)
    try:
        with pytest.raises(OperationalError, match="syntax error"):
            store_db.migrate(db)
    finally:
        db.close()
    assert user_version(path) == 1
    assert schema(path) == before


# The frozen schema-1 fixture


def test_the_schema1_fixture_is_at_schema_1(schema1_dir):
    assert user_version(schema1_dir / DB_FILE) == 1


def test_migration_1_still_creates_exactly_the_schema_of_the_fixture(schema1_dir, tmp_path):
    fresh = tmp_path / "fresh.db"
    build_database(fresh, ";\n".join(m0001_initial.STATEMENTS) + ";")
    assert schema(fresh) == schema(schema1_dir / DB_FILE)


# Upgrading schema 1


def test_opening_a_schema1_database_upgrades_it_to_the_latest_schema(upgraded, schema1_dir):
    assert upgraded.schema_version() == migrations.latest_version()
    upgraded.close()
    assert user_version(schema1_dir / DB_FILE) == migrations.latest_version()


def test_an_upgraded_database_has_the_schema_of_a_new_one(upgraded, schema1_dir, tmp_path,
                                                         open_store):
    new_dir = tmp_path / "new"
    new_dir.mkdir()
    open_store(new_dir).close()
    upgraded.close()
    assert schema(schema1_dir / DB_FILE) == schema(new_dir / DB_FILE)


def test_migrating_an_upgraded_database_again_changes_nothing(upgraded):
    latest = migrations.latest_version()
    assert upgraded.migrate() == (latest, latest)


def test_an_upgraded_database_is_not_new(upgraded):
    assert upgraded.is_new is False


def test_an_upgraded_database_keeps_its_install_record(upgraded):
    assert upgraded.get_setting("install")["id"] == "0e9a43f6-0c1d-4a3b-8f5e-2b7c9d1e4a60"


def test_an_upgraded_database_keeps_its_client(upgraded):
    assert upgraded.find_clients() == [ClientRecord(
        client_id="legacy-web", metadata=LEGACY_METADATA, trusted=True, active=True,
        has_secret=True, created_at=CREATED_AT, updated_at=CREATED_AT, expires_at=None,
    )]


def test_an_upgraded_database_keeps_the_client_secret(upgraded):
    assert upgraded.get_client_secret("legacy-web") == LEGACY_SECRET
    assert upgraded.check_client_secret("legacy-web", LEGACY_SECRET) is True


def test_an_upgraded_database_keeps_its_user(upgraded):
    assert upgraded.find_users() == [UserRecord(
        sub=CAROL_SUB, username="carol",
        claims={"name": "Carol Clark", "email": "carol@example.com", "email_verified": True},
        active=True, created_at=CREATED_AT, updated_at=CREATED_AT,
    )]


def test_an_upgraded_database_keeps_the_user_password(upgraded):
    assert upgraded.authenticate_user("carol", "carol-password").sub == CAROL_SUB


def test_an_upgraded_database_keeps_the_admin_password(upgraded):
    assert upgraded.check_admin_password("admin", "admin-password") is True


def test_an_upgraded_database_keeps_its_scope_and_claims(upgraded):
    assert upgraded.find_scopes() == [ScopeRecord(
        name="email", kind="openid", description="Email address",
        claims=["email", "email_verified"], builtin=True,
    )]


def test_an_upgraded_database_keeps_its_audit_event(upgraded):
    assert upgraded.find_events() == [EventRecord(
        id=1, at=CREATED_AT, event="user.created",
        fields={"sub": CAROL_SUB, "username": "carol"},
    )]


def test_an_upgraded_database_numbers_new_events_after_the_old_ones(upgraded):
    assert upgraded.add_event("client.updated", {}) == 2


def test_an_upgraded_database_keeps_its_signing_key(upgraded):
    record = upgraded.get_active_key("sig", "ES256")
    private = upgraded.get_private_jwk(LEGACY_KID)
    assert (record.kid, record.status, record.created_at) == (LEGACY_KID, "active", CREATED_AT)
    assert {k: private[k] for k in ("kty", "crv", "x", "y")} == {
        k: record.public_jwk[k] for k in ("kty", "crv", "x", "y")}
    assert "d" in private


def test_an_upgraded_database_stores_and_consumes_codes_of_old_users(upgraded):
    saved = upgraded.save_code("code-1", "legacy-web", CAROL_SUB, "http://localhost:8080/cb",
                               "openid email", in_an_hour())
    assert upgraded.consume_code("code-1") == saved
    with pytest.raises(CodeAlreadyUsed):
        upgraded.consume_code("code-1")


def test_an_upgraded_database_stores_tokens_of_old_clients(upgraded):
    saved = upgraded.save_token("token-1", "access", "legacy-web", "openid", "fam-1",
                                in_an_hour(), sub=CAROL_SUB, code_hash=sha256("code-1"))
    assert upgraded.get_token("token-1") == saved
    assert upgraded.revoke_tokens_of_code(sha256("code-1")) == 1


def test_an_upgraded_database_creates_sessions_for_old_users(upgraded):
    cookie, record = upgraded.create_session(CAROL_SUB, amr=["pwd"])
    assert upgraded.get_session_by_cookie(cookie) == record
    assert upgraded.find_sessions(CAROL_SUB) == [record]


def test_an_upgraded_database_keeps_consents_of_old_users(upgraded):
    upgraded.save_consent(CAROL_SUB, "legacy-web", ["openid", "email"])
    assert upgraded.get_consent(CAROL_SUB, "legacy-web") == ["email", "openid"]


def test_an_upgraded_database_cascades_deletes_into_the_new_tables(upgraded):
    cookie, _ = upgraded.create_session(CAROL_SUB)
    upgraded.save_token("token-1", "access", "legacy-web", "openid", "fam-1", in_an_hour(),
                        sub=CAROL_SUB)
    upgraded.delete_user(CAROL_SUB)
    with pytest.raises(NotFound):
        upgraded.get_session_by_cookie(cookie)
    with pytest.raises(NotFound):
        upgraded.get_token("token-1")


def test_an_upgraded_database_with_another_key_file_raises_startup_error(schema1_dir):
    (schema1_dir / KEY_FILE).write_bytes(Fernet.generate_key())
    with pytest.raises(StartupError) as raised:
        Store.open(schema1_dir)
    assert raised.value.problem == "a stored secret does not decrypt with the data dir's key file"


# Databases pocket-op must refuse


def test_a_database_of_a_newer_schema_raises_startup_error_naming_the_schema(schema1_dir):
    path = schema1_dir / DB_FILE
    newer = migrations.latest_version() + 1
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {newer}")
    conn.close()
    before = files_of(schema1_dir)
    with pytest.raises(StartupError) as raised:
        Store.open(schema1_dir)
    assert raised.value.problem == (f"database {path} has schema {newer}, newer than this "
                                    f"pocket-op knows ({migrations.latest_version()})")
    assert files_of(schema1_dir) == before


NOT_SQLITE = {
    "text": b"just some notes\n" * 50,
    "json": b'{"clients": []}',
    "short": b"x",
    "zeros": bytes(4096),
    "bad-header": b"SQLite format 3\x00" + b"\xff" * 200,
}


@pytest.mark.parametrize("content", NOT_SQLITE.values(), ids=NOT_SQLITE.keys())
def test_a_file_that_is_not_sqlite_raises_startup_error_and_is_left_as_it_was(data_dir,
                                                                              content):
    (data_dir / DB_FILE).write_bytes(content)
    with pytest.raises(StartupError) as raised:
        Store.open(data_dir)
    assert raised.value.problem.startswith(f"database {data_dir / DB_FILE} is corrupt or "
                                           "not SQLite")
    assert files_of(data_dir) == {DB_FILE: content}  # no -wal, -shm nor secret.key


def test_a_database_of_another_application_raises_startup_error(data_dir):
    path = data_dir / DB_FILE
    build_database(path, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);"
                         "INSERT INTO notes (body) VALUES ('keep me');")
    before = files_of(data_dir)
    with pytest.raises(StartupError) as raised:
        Store.open(data_dir)
    assert raised.value.problem == f"database {path} is not a pocket-op database"
    assert files_of(data_dir) == before


def test_an_empty_file_is_taken_as_a_new_database(open_store, data_dir):
    (data_dir / DB_FILE).write_bytes(b"")
    store = open_store()
    assert (store.schema_version(), store.is_new) == (migrations.latest_version(), True)

