"""The first start of a new data dir prints, after the ready line, the demo users, the demo
clients with their secrets and the admin password, once."""

from __future__ import annotations

import re

FIRST_START = re.compile(
    r"demo users: alice / alice \(full standard claims\), bob / bob\n"
    r"demo clients \(secrets are shown only now\):\n"
    r"  demo-web  client_secret=([A-Za-z0-9_-]{86})  http://localhost:3000/callback\n"
    r"  demo-spa  public client, PKCE required  http://127\.0\.0\.1/callback "
    r"http://\[::1\]/callback\n"
    r"  demo-machine  client_secret=([A-Za-z0-9_-]{86})\n"
    r"admin account: admin / ([A-Za-z0-9_-]{16}) \(shown only now; set "
    r"POCKET_OP_ADMIN_PASSWORD to choose it\)\n"
)


def test_the_first_start_prints_users_clients_and_admin_after_the_ready_line(serve, tmp_path):
    stopped = serve(tmp_path / "d").stop()
    assert FIRST_START.fullmatch(stopped.stdout), stopped.stdout


def test_the_first_start_generates_distinct_secrets(serve, tmp_path):
    stopped = serve(tmp_path / "d").stop()
    secrets = FIRST_START.fullmatch(stopped.stdout).groups()
    assert len(set(secrets)) == 3


def test_the_second_start_prints_only_the_ready_line(serve, tmp_path):
    serve(tmp_path / "d").stop()
    server = serve(tmp_path / "d")
    stopped = server.stop()
    assert server.ready_line.startswith("pocket-op listening on http://127.0.0.1:")
    assert stopped.stdout == ""


def test_a_chosen_admin_password_is_not_printed(serve, tmp_path):
    stopped = serve(tmp_path / "d", POCKET_OP_ADMIN_PASSWORD="Chosen-pa55word").stop()
    assert "Chosen-pa55word" not in stopped.stdout
    assert stopped.stdout.splitlines()[-1] == (
        "admin account: admin, password from POCKET_OP_ADMIN_PASSWORD")
    assert "admin account: admin /" not in stopped.stdout
