"""One ``pocket-op`` per data dir: a second start does not serve; it names the running one
(URL and pid) on stderr and exits 2, or, with a display while a window runs, asks that window
to come to the front and exits 0. A lock left by a killed instance does not block."""

from __future__ import annotations

import signal

import pytest
from flask import Flask

from tests.desktop.conftest import lock_of, read_ready_line, wait_for
from ui.instance import SHOW_PATH, ask_to_show, init_show_endpoint


def already_running(data_dir, url: str, pid: int) -> str:
    return (f"pocket-op: already running for data dir {data_dir} at {url} (pid {pid}); "
            "use that one, stop it first, or choose another --data-dir.\n")


@pytest.fixture
def headless(no_display, tmp_path):
    """A headless pocket-op serving tmp_path/d: (process, URL)."""
    proc = no_display.start("serve", "--headless", "--port", "0", "--data-dir",
                            str(tmp_path / "d"))
    return proc, read_ready_line(proc)


@pytest.fixture
def window(desktop, tmp_path):
    """A pocket-op window on Xvfb serving tmp_path/d: (process, URL), once its window is up."""
    proc = desktop.start("--port", "0", "--data-dir", str(tmp_path / "d"))
    url = read_ready_line(proc)
    wait_for(lambda: "show" in lock_of(tmp_path / "d"), what="the window's lock entry")
    yield proc, url
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(30) == 0


@pytest.mark.parametrize("args", [("serve", "--headless"), ()], ids=["headless", "plain"])
def test_a_second_start_exits_2_naming_the_running_url_and_pid(headless, no_display, tmp_path,
                                                                args):
    proc, url = headless
    done = no_display.run(*args, "--port", "0", "--data-dir", str(tmp_path / "d"), timeout=30)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == already_running(tmp_path / "d", url, proc.pid)


def test_the_running_instance_keeps_serving_after_a_second_start(headless, no_display,
                                                                  tmp_path):
    import requests

    proc, url = headless
    no_display.run("serve", "--headless", "--port", "0", "--data-dir", str(tmp_path / "d"))
    assert requests.get(url + "/healthz", timeout=10).status_code == 200
    assert lock_of(tmp_path / "d") == {"pid": proc.pid, "url": url}


def test_a_data_dir_whose_instance_was_killed_starts_again(headless, no_display, tmp_path):
    proc, _ = headless
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    assert (tmp_path / "d" / "pocket-op.lock").exists()  # left behind by the killed one
    again = no_display.start("serve", "--headless", "--port", "0", "--data-dir",
                             str(tmp_path / "d"))
    url = read_ready_line(again)
    assert lock_of(tmp_path / "d") == {"pid": again.pid, "url": url}


def test_another_data_dir_serves_alongside(headless, no_display, tmp_path):
    other = no_display.start("serve", "--headless", "--port", "0", "--data-dir",
                             str(tmp_path / "other"))
    assert read_ready_line(other).startswith("http://127.0.0.1:")


def test_a_second_window_start_asks_the_window_to_show_itself_and_exits_0(window, desktop,
                                                                          tmp_path):
    proc, url = window
    done = desktop.run("--port", "0", "--data-dir", str(tmp_path / "d"), timeout=30)
    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr == (f"pocket-op: already running at {url} (pid {proc.pid}); its window "
                           "was asked to come to the front\n")
    log = tmp_path / "logs" / "pocket-op.log"
    wait_for(lambda: log.exists() and f"POST {SHOW_PATH} 204" in log.read_text(),
             what="the show request in the running one's log")


def test_a_second_headless_start_while_a_window_runs_exits_2(window, desktop, tmp_path):
    proc, url = window
    done = desktop.run("serve", "--headless", "--port", "0", "--data-dir", str(tmp_path / "d"),
                       timeout=30)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == already_running(tmp_path / "d", url, proc.pid)


def test_a_second_probe_fails_in_one_probe_line(window, desktop, tmp_path):
    done = desktop.run("--probe", "--port", "0", "--data-dir", str(tmp_path / "d"), timeout=30)
    assert done.returncode == 1
    assert done.stdout.startswith('PROBE {"loaded": false, "error": "pocket-op: already running')


class TestShowEndpoint:
    """``POST /admin/window/show``: the lock file's secret, from loopback, raises the window."""

    SECRET = "the-show-secret"

    @pytest.fixture
    def shown(self):
        return []

    @pytest.fixture
    def client(self, shown):
        app = Flask(__name__)
        init_show_endpoint(app, self.SECRET, lambda: shown.append(True))
        return app.test_client()

    def test_the_secret_shows_the_window(self, client, shown):
        response = client.post(SHOW_PATH, headers={"Authorization": f"Bearer {self.SECRET}"})
        assert (response.status_code, shown) == (204, [True])

    @pytest.mark.parametrize("header", [None, "Bearer wrong", f"Basic {SECRET}", "Bearer "],
                             ids=["none", "wrong", "basic", "empty"])
    def test_without_the_secret_it_answers_401_and_shows_nothing(self, client, shown, header):
        response = client.post(SHOW_PATH, headers={"Authorization": header} if header else {})
        assert (response.status_code, response.json["error"], shown) == (401, "unauthorized",
                                                                          [])

    def test_a_remote_caller_gets_403(self, client, shown):
        response = client.post(SHOW_PATH, headers={"Authorization": f"Bearer {self.SECRET}"},
                               environ_base={"REMOTE_ADDR": "192.0.2.7"})
        assert (response.status_code, response.json["error"], shown) == (403, "forbidden", [])

    @pytest.mark.parametrize("holder", [{}, {"url": "http://127.0.0.1:1"},
                                        {"url": "http://example.com:80", "show": "x"}],
                             ids=["empty", "no-secret", "not-loopback"])
    def test_no_request_is_sent_without_a_loopback_url_and_a_secret(self, holder):
        assert ask_to_show(holder, timeout=1) is False


def test_an_import_into_the_data_dir_of_a_running_instance_exits_2_and_changes_nothing(
        headless, no_display, tmp_path):
    """The running server would go on serving the settings and clients the file replaces."""
    import json

    import requests

    proc, url = headless
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"format": "pocket-op/1", "clients": [], "scopes": [],
                                "users": [], "settings": {}}))
    done = no_display.run("import", str(path), "--replace", "--data-dir", str(tmp_path / "d"),
                          timeout=30)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"pocket-op: already running for data dir {tmp_path / 'd'} at {url} (pid {proc.pid}); "
        "stop it first, or import through its admin API (POST /admin/api/import).\n")
    assert requests.get(url + "/healthz", timeout=10).status_code == 200
    assert no_display.run("export", str(tmp_path / "out.json"), "--data-dir",
                          str(tmp_path / "d"), timeout=30).returncode == 0
    exported = json.loads((tmp_path / "out.json").read_text())
    assert {c["client_id"] for c in exported["clients"]} >= {"demo-machine", "demo-spa"}
