"""Store.open: the key file of a new data dir, re-opening, the key check against the
database, ``is_new``, and the SQLite settings of every connection."""

from __future__ import annotations

import stat
import threading

import pytest
from cryptography.fernet import Fernet

import app.store as store_package
from app.errors import StartupError
from app.store import DB_FILE, NotFound, Store
from app.store.crypto import KEY_FILE
from app.store.migrations import latest_version

from .helpers import CLIENT_ID, CLIENT_SECRET

PRAGMAS = [("journal_mode", "wal"), ("foreign_keys", 1), ("busy_timeout", 5000),
           ("synchronous", 2)]


def pragma(store: Store, name: str):
    return store.db.execute_sql(f"PRAGMA {name}").fetchone()[0]


def test_a_new_data_dir_gets_a_key_file_readable_by_its_owner_only(store, data_dir):
    mode = stat.S_IMODE((data_dir / KEY_FILE).stat().st_mode)
    assert mode == 0o600


def test_the_key_file_holds_a_fernet_key(store, data_dir):
    key = (data_dir / KEY_FILE).read_bytes()
    assert len(key) == 44
    Fernet(key)  # raises if it is not a key


def test_a_new_data_dir_gets_a_database_at_the_latest_schema(store, data_dir):
    assert (data_dir / DB_FILE).is_file()
    assert store.schema_version() == latest_version()


def test_a_key_file_already_in_a_new_data_dir_is_kept(open_store, data_dir):
    key = Fernet.generate_key()
    (data_dir / KEY_FILE).write_bytes(key + b"\n")
    store = open_store()
    assert (data_dir / KEY_FILE).read_bytes() == key + b"\n"
    assert store.box.decrypt(Fernet(key).encrypt(b"hello").decode()) == "hello"


def test_a_new_store_is_new(store):
    assert store.is_new is True


def test_save_install_record_makes_the_store_not_new(store):
    store.save_install_record()
    assert store.is_new is False


def test_save_install_record_writes_the_install_setting(store):
    store.save_install_record()
    install = store.get_setting("install")
    assert sorted(install) == ["created_at", "id", "key_check"]
    assert store.box.decrypt(install["key_check"]) == "pocket-op key check"


def test_reopening_before_save_install_record_is_still_new(open_store):
    open_store().close()
    assert open_store().is_new is True


def test_reopening_after_save_install_record_is_not_new(open_store):
    first = open_store()
    first.save_install_record()
    first.close()
    assert open_store().is_new is False


def test_reopening_keeps_the_data(open_store):
    first = open_store()
    created = first.create_client(CLIENT_ID, {"client_name": "Web"}, secret=CLIENT_SECRET)
    first.save_install_record()
    first.close()
    second = open_store()
    assert second.get_client(CLIENT_ID) == created
    assert second.get_client_secret(CLIENT_ID) == CLIENT_SECRET


def test_reopening_keeps_the_key_file(open_store, data_dir):
    open_store().close()
    key = (data_dir / KEY_FILE).read_bytes()
    open_store()
    assert (data_dir / KEY_FILE).read_bytes() == key


def test_opening_with_another_key_file_raises_startup_error(open_store, data_dir):
    first = open_store()
    first.save_install_record()
    first.close()
    (data_dir / KEY_FILE).write_bytes(Fernet.generate_key())
    with pytest.raises(StartupError) as raised:
        Store.open(data_dir)
    assert raised.value.problem == "a stored secret does not decrypt with the data dir's key file"


def test_opening_an_existing_database_without_its_key_file_raises_startup_error(open_store,
                                                                                data_dir):
    open_store().close()
    (data_dir / KEY_FILE).unlink()
    with pytest.raises(StartupError) as raised:
        Store.open(data_dir)
    assert "is missing" in raised.value.problem
    assert not (data_dir / KEY_FILE).exists()


@pytest.mark.parametrize("content", [b"", b"not a key", Fernet.generate_key()[:-4]],
                         ids=["empty", "text", "truncated"])
def test_opening_with_a_damaged_key_file_raises_startup_error(open_store, data_dir, content):
    open_store().close()
    (data_dir / KEY_FILE).write_bytes(content)
    with pytest.raises(StartupError) as raised:
        Store.open(data_dir)
    assert "is damaged" in raised.value.problem
    assert (data_dir / KEY_FILE).read_bytes() == content


def test_a_failed_open_closes_the_database(open_store, data_dir, monkeypatch):
    first = open_store()
    first.save_install_record()
    first.close()
    (data_dir / KEY_FILE).write_bytes(Fernet.generate_key())
    opened = []

    def spy(path):
        opened.append(store_package.db.open_database(path))
        return opened[-1]

    monkeypatch.setattr(store_package, "open_database", spy)
    with pytest.raises(StartupError):
        Store.open(data_dir)
    assert [db.is_closed() for db in opened] == [True]


@pytest.mark.parametrize(("name", "value"), PRAGMAS, ids=[name for name, _ in PRAGMAS])
def test_the_connection_has_the_sqlite_setting(store, name, value):
    assert pragma(store, name) == value


def test_a_connection_of_another_thread_has_the_same_sqlite_settings(store):
    seen = {}

    def read() -> None:
        try:
            seen.update({name: pragma(store, name) for name, _ in PRAGMAS})
        finally:
            store.close()

    thread = threading.Thread(target=read)
    thread.start()
    thread.join(10)
    assert seen == dict(PRAGMAS)


def test_atomic_rolls_back_every_call_when_the_block_raises(store):
    with pytest.raises(RuntimeError), store.atomic():
        store.create_client(CLIENT_ID, {})
        store.save_setting("x", 1)
        raise RuntimeError("boom")
    with pytest.raises(NotFound):
        store.get_client(CLIENT_ID)
    with pytest.raises(NotFound):
        store.get_setting("x")


def test_ping_answers_on_an_open_store(store):
    assert store.ping() is None


def test_close_twice_is_harmless(store):
    store.close()
    store.close()
    assert store.db.is_closed()
