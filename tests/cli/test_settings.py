"""Settings precedence, lowest first: defaults < ``settings.json`` in the data dir <
``POCKET_OP_*`` environment < flags; and every bad setting named in one line."""

from __future__ import annotations

import json

from cli_helpers import free_port

HEADLESS = ("serve", "--headless")
FILE_ISSUER = "http://from-file.test:1111"
ENV_ISSUER = "http://from-env.test:2222"
FLAG_ISSUER = "http://from-flag.test:3333"


def data_dir_with(tmp_path, settings: dict):
    data_dir = tmp_path / "d"
    data_dir.mkdir()
    (data_dir / "settings.json").write_text(json.dumps(settings))
    return data_dir


def issuer_of(server) -> str:
    return server.get("/.well-known/openid-configuration").json()["issuer"]


def test_settings_json_sets_the_issuer(serve, tmp_path):
    server = serve(data_dir_with(tmp_path, {"issuer": FILE_ISSUER}))
    assert issuer_of(server) == FILE_ISSUER


def test_the_environment_beats_settings_json(serve, tmp_path):
    server = serve(data_dir_with(tmp_path, {"issuer": FILE_ISSUER}), POCKET_OP_ISSUER=ENV_ISSUER)
    assert issuer_of(server) == ENV_ISSUER


def test_a_flag_beats_the_environment(serve, tmp_path):
    server = serve(data_dir_with(tmp_path, {"issuer": FILE_ISSUER}), "--issuer", FLAG_ISSUER,
                   POCKET_OP_ISSUER=ENV_ISSUER)
    assert issuer_of(server) == FLAG_ISSUER


def test_settings_json_sets_the_port(cli, tmp_path):
    port = free_port()
    data_dir = data_dir_with(tmp_path, {"port": port})
    proc = cli.start(*HEADLESS, "--data-dir", str(data_dir))
    assert proc.stdout.readline() == f"pocket-op listening on http://127.0.0.1:{port}\n"


def test_the_environment_port_beats_the_settings_json_port(cli, tmp_path):
    port = free_port()
    data_dir = data_dir_with(tmp_path, {"port": 1})
    proc = cli.start(*HEADLESS, "--data-dir", str(data_dir), POCKET_OP_PORT=str(port))
    assert proc.stdout.readline() == f"pocket-op listening on http://127.0.0.1:{port}\n"


def test_several_bad_settings_are_all_named_in_one_stderr_line(cli, tmp_path):
    data_dir = data_dir_with(tmp_path, {"port": "x", "log_level": "loud", "nope": 1})
    result = cli.run(*HEADLESS, "--data-dir", str(data_dir), POCKET_OP_THREADS="0")
    source = f"settings file {data_dir / 'settings.json'}"
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"pocket-op: invalid settings: port='x' ({source}): expected an integer from 0 to "
        f"65535; log_level='loud' ({source}): expected one of debug, info, warning, error; "
        f"unknown setting 'nope' ({source}); threads='0' (environment POCKET_OP_THREADS): "
        "expected an integer from 1 to 64; correct them and start again.\n")


def test_a_bad_settings_json_value_is_named_even_when_a_flag_overrides_it(cli, tmp_path):
    data_dir = data_dir_with(tmp_path, {"port": "x"})
    result = cli.run(*HEADLESS, "--port", "0", "--data-dir", str(data_dir))
    assert result.returncode == 2
    assert result.stderr == (
        f"pocket-op: invalid settings: port='x' (settings file {data_dir / 'settings.json'}): "
        "expected an integer from 0 to 65535; correct them and start again.\n")


def test_a_bad_flag_value_exits_2_naming_the_flag_value(cli, tmp_path):
    result = cli.run(*HEADLESS, "--port", "http", "--issuer", "ftp://op.test",
                     "--data-dir", str(tmp_path / "d"))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "pocket-op: invalid settings: port='http' (command line): expected an integer from 0 "
        "to 65535; issuer='ftp://op.test' (command line): expected an http(s) URL such as "
        "http://localhost:9400; correct them and start again.\n")


def test_a_data_dir_in_settings_json_is_refused(cli, tmp_path):
    data_dir = data_dir_with(tmp_path, {"data_dir": str(tmp_path / "elsewhere")})
    result = cli.run(*HEADLESS, "--port", "0", "--data-dir", str(data_dir))
    assert result.returncode == 2
    assert result.stderr == ("pocket-op: invalid settings: data_dir cannot be set in the "
                             "settings file (use --data-dir); correct them and start again.\n")


def test_bad_settings_leave_the_data_dir_as_it_was(cli, tmp_path):
    data_dir = data_dir_with(tmp_path, {"log_level": "loud"})
    cli.run(*HEADLESS, "--port", "0", "--data-dir", str(data_dir))
    assert sorted(path.name for path in data_dir.iterdir()) == ["settings.json"]
    assert not (tmp_path / "logs").exists()
