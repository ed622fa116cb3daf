"""The store: the one API protocol and admin code use to read and write state.

It may import peewee, sqlite3 and ``cryptography``, never Flask or Authlib. Protocol code
calls methods such as ``get_client``, ``consume_code`` or ``save_token`` and receives plain
records; it never touches the ORM. Two errors: ``NotFound`` and ``AlreadyExists``.
One module per aggregate (clients, users, scopes, keys, grants, sessions, audit, assertions,
acrs) contributes its methods to ``Store``.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path

from ..errors import StartupError
from ..startup import make_files_private
from .acrs import AcrStore
from .assertions import AssertionStore
from .audit import AuditStore
from .clients import ClientStore
from .crypto import KEY_FILE, SecretBox, load_key
from .db import inspect_existing, migrate, open_database
from .errors import AlreadyExists, NotFound, StoreError
from .grants import CodeAlreadyUsed, GrantStore
from .keys import KeyStore
from .models import bind_models
from .scopes import ScopeStore
from .sessions import SessionStore
from .users import UserStore

__all__ = ["Store", "NotFound", "AlreadyExists", "StoreError", "CodeAlreadyUsed", "DB_FILE"]

DB_FILE = "pocket-op.db"
KEY_CHECK = "pocket-op key check"


class Store(ClientStore, UserStore, ScopeStore, KeyStore, GrantStore, SessionStore, AuditStore,
            AssertionStore, AcrStore):
    def __init__(self, db, box: SecretBox):
        self.db = db
        self.box = box
        self.m = bind_models(db)
        self.is_new = False

    @classmethod
    def open(cls, data_dir: Path) -> Store:
        """Open (creating or upgrading) the store in ``data_dir``. ``is_new`` is true until
        ``save_install_record`` runs, which the first-start seeding does in its transaction."""
        path = data_dir / DB_FILE
        version = inspect_existing(path)
        store = cls(open_database(path), SecretBox(load_key(data_dir, create=version == 0)))
        try:
            if version:
                store.verify_install_key()  # before migrating: a wrong key changes nothing
            store.migrate()
            # The database and its WAL files, the key file and settings: the user's alone
            # (SQLite gives a new WAL file the database file's mode).
            for pattern in (DB_FILE + "*", KEY_FILE, "settings.json"):
                make_files_private(data_dir, pattern)
            try:
                store.get_setting("install")
            except NotFound:
                store.is_new = True
        except BaseException:
            store.close()  # a failed open leaves no connection (and file handle) behind
            raise
        return store

    def save_install_record(self) -> None:
        self.save_setting("install", {
            "id": str(uuid.uuid4()), "created_at": time.time(),
            "key_check": self.box.encrypt(KEY_CHECK),
        })
        self.is_new = False

    def migrate(self) -> tuple[int, int]:
        return migrate(self.db)

    def verify_install_key(self) -> None:
        try:
            check = self.get_setting("install")["key_check"]
        except (NotFound, KeyError, TypeError):
            return
        if self.box.decrypt(check) != KEY_CHECK:
            raise StartupError("the key file does not match the database",
                               "restore the data dir's original secret.key")

    def atomic(self):
        """One transaction around several store calls."""
        return self.db.atomic()

    def ping(self) -> None:
        """Raise if the database does not answer."""
        self.db.execute_sql("SELECT count(*) FROM settings").fetchone()

    def schema_version(self) -> int:
        return self.db.execute_sql("PRAGMA user_version").fetchone()[0]

    def close(self) -> None:
        if not self.db.is_closed():
            self.db.close()
