"""``pocket-op`` serves the admin screens: the entry point (``ui.main``) passes
``ui.admin.init_app`` to ``app.cli``, headless included; ``app`` alone does not."""

from __future__ import annotations

import requests

from app import create_app
from tests.conftest import make_settings


def test_pocket_op_serve_headless_serves_the_admin_shell_and_its_scripts(cli, tmp_path):
    proc = cli.start("serve", "--headless", "--port", "0", "--data-dir", str(tmp_path / "d"))
    url = cli.wait_ready(proc)
    try:
        shell = requests.get(url + "/admin", timeout=10)
        assert shell.status_code == 200
        assert "<title>pocket-op Admin</title>" in shell.text and 'id="screens"' in shell.text
        script = requests.get(url + "/admin/static/shell.js", timeout=10)
        assert script.status_code == 200 and "javascript" in script.headers["Content-Type"]
    finally:
        proc.terminate()
        proc.wait(20)


def test_the_op_without_the_ui_package_has_no_admin_screens(tmp_path):
    app = create_app(make_settings(tmp_path / "data"))
    with app.test_client() as client:
        assert client.get("/admin").status_code == 404
        assert client.get("/admin/api/session").status_code == 401
