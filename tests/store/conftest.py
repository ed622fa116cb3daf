"""Fixtures of the store tests: a store in its own data dir, a second handle on the same
dir, the raw bytes of the database files, and a client and a user to hang grants on."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.store import DB_FILE, Store
from app.store.records import ClientRecord, UserRecord

from .helpers import CLIENT_ID, CLIENT_SECRET, PASSWORD, USERNAME


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def open_store(data_dir: Path) -> Iterator[Callable[..., Store]]:
    """Open stores on a data dir (``data_dir`` unless told); all closed at teardown."""
    opened: list[Store] = []

    def open_(path: Path = data_dir) -> Store:
        store = Store.open(path)
        opened.append(store)
        return store

    yield open_
    for store in opened:
        store.close()


@pytest.fixture
def store(open_store) -> Store:
    return open_store()


@pytest.fixture
def database_bytes(data_dir: Path) -> Callable[[], bytes]:
    """Everything SQLite wrote for the store: the main file and the write-ahead log."""

    def read() -> bytes:
        files = [data_dir / DB_FILE, data_dir / f"{DB_FILE}-wal"]
        return b"".join(path.read_bytes() for path in files if path.exists())

    return read


@pytest.fixture
def client(store: Store) -> ClientRecord:
    return store.create_client(CLIENT_ID, {"client_name": "Web"}, secret=CLIENT_SECRET)


@pytest.fixture
def user(store: Store) -> UserRecord:
    return store.create_user(USERNAME, PASSWORD, {"name": "Alice"})
