"""What cannot start stops at once: one line on stderr naming the problem and the fix,
exit code 2, nothing on stdout, nothing half-written."""

from __future__ import annotations

import socket
import sqlite3
import time

import pytest

HEADLESS = ("serve", "--headless")


@pytest.fixture
def busy_port():
    """A port some other program listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


class TestPortInUse:
    def run(self, cli, tmp_path, port):
        started = time.monotonic()
        result = cli.run(*HEADLESS, "--port", str(port), "--data-dir", str(tmp_path / "d"))
        return result, time.monotonic() - started

    def test_it_exits_2_within_5_seconds(self, cli, tmp_path, busy_port):
        result, seconds = self.run(cli, tmp_path, busy_port)
        assert result.returncode == 2
        assert seconds < 5

    def test_stderr_is_one_line_naming_the_port_and_the_port_flag(self, cli, tmp_path,
                                                                   busy_port):
        result, _ = self.run(cli, tmp_path, busy_port)
        assert result.stderr == (
            f"pocket-op: port {busy_port} on 127.0.0.1 is already in use; stop the program "
            "using it, or pick another with --port (--port 0 takes a free one).\n")

    def test_nothing_is_printed_on_stdout(self, cli, tmp_path, busy_port):
        result, _ = self.run(cli, tmp_path, busy_port)
        assert result.stdout == ""

    def test_neither_the_data_dir_nor_the_log_dir_is_created(self, cli, tmp_path, busy_port):
        self.run(cli, tmp_path, busy_port)
        assert not (tmp_path / "d").exists()
        assert not (tmp_path / "logs").exists()


def test_a_data_dir_below_a_regular_file_exits_2_naming_the_data_dir(cli, tmp_path):
    (tmp_path / "afile").write_text("not a folder")
    data_dir = tmp_path / "afile" / "data"
    result = cli.run(*HEADLESS, "--port", "0", "--data-dir", str(data_dir))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (f"pocket-op: data dir {data_dir} is not writable (Not a directory); "
                             "choose another with --data-dir or fix its permissions.\n")


def test_a_log_dir_below_a_regular_file_exits_2_naming_the_log_dir(cli, tmp_path):
    (tmp_path / "afile").write_text("not a folder")
    log_dir = tmp_path / "afile" / "logs"
    result = cli.run(*HEADLESS, "--port", "0", "--data-dir", str(tmp_path / "d"),
                     POCKET_OP_LOG_DIR=str(log_dir))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (f"pocket-op: log dir {log_dir} is not writable (Not a directory); "
                             "choose another with POCKET_OP_LOG_DIR or fix its permissions.\n")


def test_an_unwritable_log_dir_leaves_the_data_dir_uncreated(cli, tmp_path):
    (tmp_path / "afile").write_text("not a folder")
    cli.run(*HEADLESS, "--port", "0", "--data-dir", str(tmp_path / "d"),
            POCKET_OP_LOG_DIR=str(tmp_path / "afile" / "logs"))
    assert not (tmp_path / "d").exists()


class TestGarbageDatabase:
    GARBAGE = bytes(range(256)) * 64

    def run(self, cli, tmp_path):
        data_dir = tmp_path / "d"
        data_dir.mkdir()
        (data_dir / "pocket-op.db").write_bytes(self.GARBAGE)
        return cli.run(*HEADLESS, "--port", "0", "--data-dir", str(data_dir)), data_dir

    def test_it_exits_2_with_one_line_naming_the_database_and_the_fix(self, cli, tmp_path):
        result, data_dir = self.run(cli, tmp_path)
        assert (result.returncode, result.stdout) == (2, "")
        assert result.stderr == (
            f"pocket-op: database {data_dir / 'pocket-op.db'} is corrupt or not SQLite (file is "
            "not a database); move it away (or start with another --data-dir) to begin "
            "afresh, or restore a backup.\n")

    def test_the_file_is_left_byte_for_byte(self, cli, tmp_path):
        _, data_dir = self.run(cli, tmp_path)
        assert (data_dir / "pocket-op.db").read_bytes() == self.GARBAGE

    def test_no_key_file_or_wal_files_appear(self, cli, tmp_path):
        _, data_dir = self.run(cli, tmp_path)
        assert sorted(path.name for path in data_dir.iterdir()) == ["pocket-op.db"]


def make_database(path, user_version: int) -> bytes:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE somebody_elses (x)")
    conn.execute(f"PRAGMA user_version = {user_version}")
    conn.commit()
    conn.close()
    return path.read_bytes()


def test_a_database_from_a_newer_schema_exits_2_naming_both_versions(cli, tmp_path):
    data_dir = tmp_path / "d"
    data_dir.mkdir()
    make_database(data_dir / "pocket-op.db", 99)
    result = cli.run(*HEADLESS, "--port", "0", "--data-dir", str(data_dir))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith(
        f"pocket-op: database {data_dir / 'pocket-op.db'} has schema 99, newer than this "
        "pocket-op knows (")
    assert result.stderr.endswith("); run a newer pocket-op or use another --data-dir.\n")
    assert result.stderr.count("\n") == 1


def test_a_database_from_a_newer_schema_is_left_untouched(cli, tmp_path):
    data_dir = tmp_path / "d"
    data_dir.mkdir()
    before = make_database(data_dir / "pocket-op.db", 99)
    cli.run(*HEADLESS, "--port", "0", "--data-dir", str(data_dir))
    assert (data_dir / "pocket-op.db").read_bytes() == before
    assert sorted(path.name for path in data_dir.iterdir()) == ["pocket-op.db"]


def test_a_sqlite_database_of_another_program_exits_2(cli, tmp_path):
    data_dir = tmp_path / "d"
    data_dir.mkdir()
    make_database(data_dir / "pocket-op.db", 0)
    result = cli.run(*HEADLESS, "--port", "0", "--data-dir", str(data_dir))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"pocket-op: database {data_dir / 'pocket-op.db'} is not a pocket-op database; move "
        "it away (or start with another --data-dir) to begin afresh, or restore a backup.\n")


def test_an_invalid_settings_json_exits_2_naming_the_file(cli, tmp_path):
    data_dir = tmp_path / "d"
    data_dir.mkdir()
    (data_dir / "settings.json").write_text('{"port": 9400,,}')
    result = cli.run(*HEADLESS, "--port", "0", "--data-dir", str(data_dir))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"pocket-op: settings file {data_dir / 'settings.json'} cannot be read (Expecting "
        "property name enclosed in double quotes: line 1 column 15 (char 14)); fix the JSON "
        "or move the file away to use the defaults.\n")


def test_a_settings_json_that_is_not_an_object_exits_2_naming_the_file(cli, tmp_path):
    data_dir = tmp_path / "d"
    data_dir.mkdir()
    (data_dir / "settings.json").write_text('["port", 9400]')
    result = cli.run(*HEADLESS, "--port", "0", "--data-dir", str(data_dir))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (f"pocket-op: settings file {data_dir / 'settings.json'} must hold "
                             "a JSON object; fix it or move it away.\n")


def test_a_missing_key_file_of_a_used_data_dir_exits_2_naming_it(serve, cli, tmp_path):
    data_dir = tmp_path / "d"
    assert serve(data_dir).stop().returncode == 0
    (data_dir / "secret.key").unlink()
    result = cli.run(*HEADLESS, "--port", "0", "--data-dir", str(data_dir))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"pocket-op: key file {data_dir / 'secret.key'} is missing, so stored secrets cannot "
        "be read; restore it, or move the data dir away to start afresh.\n")
