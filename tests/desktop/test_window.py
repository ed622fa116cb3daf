"""``pocket-op`` with a display, from the source tree under Xvfb: the admin screens in a
pywebview window (checked by ``--probe``), its chrome, its remembered size, and closing it
(the probe closes the window; SIGTERM does too) stops the server."""

from __future__ import annotations

import json
import signal
import struct

import pytest

from tests.desktop.conftest import (
    SCREENSHOTS,
    Desktop,
    lock_of,
    port_closed,
    read_ready_line,
    wait_for,
)
from ui.admin import SCREENS

SCREENSHOT = SCREENSHOTS / "desktop-window.png"


@pytest.fixture(scope="module")
def probed(tmp_path_factory, xdisplay):
    """One probe of a new data dir, with a screenshot: (exit code, URL, PROBE json, data dir)."""
    tmp = tmp_path_factory.mktemp("window")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    SCREENSHOT.unlink(missing_ok=True)
    code, url, probe, stderr = Desktop(tmp, xdisplay).probe(
        tmp / "d", "--probe-screenshot", str(SCREENSHOT))
    return code, url, probe, tmp / "d"


def png_size(path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


def test_the_probe_exits_0_once_the_admin_page_loaded(probed):
    code, _, probe, _ = probed
    assert (code, probe["loaded"], probe.get("error")) == (0, True, None)


def test_the_window_shows_the_admin_page_with_every_screen_in_its_nav(probed):
    _, _, probe, _ = probed
    assert probe["title"] == "pocket-op Admin"
    assert probe["screens"] == [title for _, title in SCREENS]


def test_the_launch_token_lets_the_window_in_on_the_clients_list(probed):
    _, _, probe, _ = probed
    assert probe["current"] == "Clients"
    assert sorted(probe["rows"]) == ["demo-machine", "demo-spa", "demo-web"]


def test_the_window_title_names_the_issuer(probed):
    _, url, probe, _ = probed
    port = url.rsplit(":", 1)[1]
    assert probe["window_title"] == f"pocket-op - http://localhost:{port}"


def test_the_menu_offers_copy_issuer_open_in_browser_open_data_folder_and_quit(probed):
    _, _, probe, _ = probed
    assert probe["menu"] == {"pocket-op": ["Copy issuer", "Open in browser", "Open data folder",
                                           "Quit"]}


def test_a_screenshot_of_the_window_is_saved_for_review(probed):
    _, _, probe, _ = probed
    assert probe["screenshot"] == str(SCREENSHOT)
    assert png_size(SCREENSHOT) == tuple(probe["size"])


def test_closing_the_window_stops_the_server_and_releases_the_data_dir(probed):
    _, url, _, data_dir = probed
    assert port_closed(url)
    assert not (data_dir / "pocket-op.lock").exists()


def test_the_window_opens_at_the_default_size_the_first_time(probed):
    _, _, probe, _ = probed
    assert probe["size"] == [1100, 760]


def test_a_resized_window_is_remembered_in_the_data_dir(desktop, tmp_path):
    code, _, probe, _ = desktop.probe(tmp_path / "d", "--probe-resize", "900x650")
    assert (code, probe["size"]) == (0, [900, 650])
    assert json.loads((tmp_path / "d" / "window.json").read_text()) == {"width": 900,
                                                                         "height": 650}


def test_the_next_window_opens_at_the_remembered_size(desktop, tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "window.json").write_text('{"width": 820, "height": 610}')
    code, _, probe, _ = desktop.probe(tmp_path / "d")
    assert (code, probe["size"]) == (0, [820, 610])


def test_a_bad_window_file_is_ignored(desktop, tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "window.json").write_text('{"width": "wide"')
    code, _, probe, _ = desktop.probe(tmp_path / "d")
    assert (code, probe["size"]) == (0, [1100, 760])


def test_sigterm_closes_the_window_stops_the_server_and_exits_0(desktop, tmp_path):
    proc = desktop.start("--port", "0", "--data-dir", str(tmp_path / "d"))
    url = read_ready_line(proc)
    wait_for(lambda: "show" in lock_of(tmp_path / "d"), what="the window's lock entry")
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(30) == 0
    assert port_closed(url)
    assert not (tmp_path / "d" / "pocket-op.lock").exists()


def test_a_probe_that_cannot_reach_its_display_fails_in_one_probe_line(no_display, tmp_path):
    done = no_display.run("--probe", "--port", "0", "--data-dir", str(tmp_path / "d"))
    assert done.returncode == 1
    assert done.stdout == 'PROBE {"loaded": false, "error": "no display found"}\n'
