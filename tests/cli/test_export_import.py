"""``pocket-op export FILE [--keys]`` and ``pocket-op import FILE [--replace]``: run on a data
dir with no server, a one-line summary and exit 0; the file is 0600; export then import into
an empty data dir serves the same configuration; a bad file: one stderr line, exit 2."""

from __future__ import annotations

import json
import shutil
import stat

import pytest

from app.store import Store
from tests.flows import TEST_SECRET, Browser, basic, spa_request

NEW_PASSWORD = "alice-new-password-Pq4"


@pytest.fixture
def source(tmp_path, seeded_data_dir):
    """A data dir with a changed secret, password, client, scope and setting."""
    data_dir = tmp_path / "source"
    shutil.copytree(seeded_data_dir, data_dir)
    store = Store.open(data_dir)
    try:
        store.save_client_secret("demo-machine", TEST_SECRET)
        store.create_client("extra", {"client_name": "Extra", "grant_types": ["client_credentials"],
                                      "response_types": []}, secret="extra-secret")
        store.create_scope("api.admin", "oauth", "Administer the demo API")
        store.update_user(store.get_user("alice").sub, password=NEW_PASSWORD)
    finally:
        store.close()
    (data_dir / "settings.json").write_text(json.dumps({"access_token_lifetime": 120}))
    return data_dir


def export(cli, data_dir, path, *flags: str) -> dict:
    result = cli.run("export", str(path), *flags, "--data-dir", str(data_dir))
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    return json.loads(path.read_text())


def without_date(data: dict) -> dict:
    return {name: value for name, value in data.items() if name != "exported_at"}


def test_export_writes_a_0600_file_and_one_summary_line(cli, source, tmp_path):
    path = tmp_path / "export.json"
    result = cli.run("export", str(path), "--data-dir", str(source))
    assert result.returncode == 0, result.stderr
    assert result.stdout == (f"pocket-op: exported 4 clients, 9 scopes, 2 users, 3 acrs, 0 keys, "
                             f"1 setting to {path}\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text())["format"] == "pocket-op/1"


def test_export_holds_private_keys_only_with_keys(cli, source, tmp_path):
    assert "keys" not in export(cli, source, tmp_path / "a.json")
    keys = export(cli, source, tmp_path / "b.json", "--keys")["keys"]
    assert len(keys) == 4 and all("d" in key["private_jwk"] for key in keys)


def test_export_of_a_data_dir_without_a_database_exits_2_and_creates_nothing(cli, tmp_path):
    result = cli.run("export", str(tmp_path / "x.json"), "--data-dir", str(tmp_path / "none"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "no pocket-op database" in result.stderr
    assert not (tmp_path / "x.json").exists() and not (tmp_path / "none").exists()


def test_export_then_import_into_an_empty_data_dir_gives_the_same_configuration(
        cli, source, tmp_path):
    exported = export(cli, source, tmp_path / "a.json", "--keys")
    target = tmp_path / "target"
    result = cli.run("import", str(tmp_path / "a.json"), "--data-dir", str(target))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == (
        f"pocket-op: imported 4 clients, 9 scopes, 2 users, 3 acrs, 4 keys, 1 setting from "
        f"{tmp_path / 'a.json'} (merge)")
    again = export(cli, target, tmp_path / "b.json", "--keys")
    assert without_date(again) == without_date(exported)


def test_an_imported_data_dir_serves_the_secrets_passwords_and_settings(
        cli, serve, source, tmp_path):
    export(cli, source, tmp_path / "a.json")
    target = tmp_path / "target"
    assert cli.run("import", str(tmp_path / "a.json"), "--data-dir", str(target)).returncode == 0
    server = serve(target)
    response = server.post("/token", data={"grant_type": "client_credentials"},
                           headers=basic("demo-machine", TEST_SECRET))
    assert response.status_code == 200, response.text
    assert response.json()["expires_in"] == 120
    browser = Browser(server)
    page = browser.login(browser.authorize(**spa_request()[0]), "alice", NEW_PASSWORD)
    assert 'name="password"' not in page.text
    assert server.stop().returncode == 0


def test_merge_keeps_and_replace_deletes_what_the_file_does_not_hold(cli, source, tmp_path):
    path = tmp_path / "a.json"
    data = export(cli, source, path)
    data["clients"] = [c for c in data["clients"] if c["client_id"] != "extra"]
    path.write_text(json.dumps(data))
    assert cli.run("import", str(path), "--data-dir", str(source)).returncode == 0
    assert "extra" in {c["client_id"] for c in export(cli, source, tmp_path / "b.json")["clients"]}
    result = cli.run("import", str(path), "--replace", "--data-dir", str(source))
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("(replace; deleted 1 client, 0 users, 0 scopes)\n")
    assert "extra" not in {c["client_id"]
                           for c in export(cli, source, tmp_path / "c.json")["clients"]}


@pytest.mark.parametrize(("content", "problem"), [
    ("not json", "cannot read"),
    ('{"format": "other/9"}', "format: expected 'pocket-op/1' (found 'other/9')"),
    ('{"format": "pocket-op/1", "clients": {}, "scopes": [], "users": [], "settings": {}}',
     "clients: expected an array"),
    ('{"format": "pocket-op/1", "clients": [], "scopes": [], "users": [], '
     '"settings": {"port": "x"}}', "settings.port: expected an integer from 0 to 65535"),
], ids=["not-json", "format", "section-type", "setting"])
def test_a_bad_file_exits_2_with_one_stderr_line_and_changes_nothing(
        cli, source, tmp_path, content, problem):
    path = tmp_path / "bad.json"
    path.write_text(content)
    before = export(cli, source, tmp_path / "before.json")
    result = cli.run("import", str(path), "--replace", "--data-dir", str(source))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.count("\n") == 1 and problem in result.stderr
    assert without_date(export(cli, source, tmp_path / "after.json")) == without_date(before)


def test_a_client_registration_would_refuse_exits_2_naming_it_and_changes_nothing(
        cli, source, tmp_path):
    data = export(cli, source, tmp_path / "before.json")
    index = next(i for i, c in enumerate(data["clients"]) if c["client_id"] == "extra")
    data["clients"][index]["metadata"]["grant_types"] = ["authorization_code"]
    data["clients"][index]["metadata"]["redirect_uris"] = ["not a uri"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    result = cli.run("import", str(path), "--replace", "--data-dir", str(source))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.count("\n") == 1, result.stderr
    assert f"clients[{index}].redirect_uris" in result.stderr
    assert "Traceback" not in result.stderr
    before = json.loads((tmp_path / "before.json").read_text())
    assert without_date(export(cli, source, tmp_path / "after.json")) == without_date(before)
