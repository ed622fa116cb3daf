"""A display Qt cannot use does not abort the process: pocket-op checks the display before Qt
starts and gives Qt ``offscreen`` as its last platform, so it notices, says so in one line
and serves headless (the plain no-display case is in tests/cli/test_no_display.py)."""

from __future__ import annotations

import socket
import threading

import pytest

from tests.desktop.conftest import read_ready_line
from ui.display import QT_CANNOT


@pytest.fixture
def not_an_x_server():
    """An abstract X socket that accepts connections and closes them: ':N'."""
    sock = socket.socket(socket.AF_UNIX)
    for number in range(4800, 4900):
        try:
            sock.bind(f"\0/tmp/.X11-unix/X{number}")
            break
        except OSError:
            continue
    sock.listen(16)

    def refuse():
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            conn.close()

    threading.Thread(target=refuse, daemon=True).start()
    yield f":{number}"
    sock.close()


def test_a_display_qt_cannot_use_gives_one_notice_then_the_ready_line(xdisplay, no_display,
                                                                      tmp_path, not_an_x_server):
    proc = no_display.start("--port", "0", "--data-dir", str(tmp_path / "d"),
                            DISPLAY=not_an_x_server)
    url = read_ready_line(proc)
    proc.terminate()
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0
    assert url.startswith("http://127.0.0.1:")
    assert err == f"pocket-op: no window ({QT_CANNOT}); running headless\n"
