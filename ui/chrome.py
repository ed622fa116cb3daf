"""The window's chrome: its menu (copy issuer, open in browser, open data folder, quit), its
size remembered in ``DATA_DIR/window.json``, and calls into the Qt GUI thread (pywebview runs
menu actions and event handlers on threads of their own; Qt widgets and the clipboard belong
to the GUI thread)."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path

from app.config import write_private_json

from .display import external_environment

log = logging.getLogger("pocket_op")

WINDOW_FILE = "window.json"  # {"width": W, "height": H}, rewritten on resize and on close
DEFAULT_SIZE = (1100, 760)
MIN_SIZE, MAX_SIZE = 400, 10000  # pixels; a remembered size outside is ignored
SAVE_DELAY = 0.5  # seconds after the last resize before the size is written


def read_size(data_dir: Path) -> tuple[int, int]:
    """The remembered size, or the default when the file is absent or holds anything else."""
    try:
        data = json.loads((data_dir / WINDOW_FILE).read_text(encoding="utf-8"))
        size = (data["width"], data["height"])
    except (OSError, ValueError, TypeError, KeyError, UnicodeDecodeError, RecursionError):
        return DEFAULT_SIZE
    if all(type(side) is int and MIN_SIZE <= side <= MAX_SIZE for side in size):
        return size
    return DEFAULT_SIZE


def save_size(data_dir: Path, width: int, height: int) -> None:
    try:
        write_private_json(data_dir / WINDOW_FILE, {"width": width, "height": height})
    except OSError as exc:  # a read-only data dir: the size is not remembered, that is all
        log.warning("window size not saved: %s", exc)


class SizeKeeper:
    """Writes the window's size a moment after it stops changing, and when it closes."""

    def __init__(self, data_dir: Path, size: tuple[int, int]):
        self.data_dir = data_dir
        self.size = size
        self.saved = size
        self.timer: threading.Timer | None = None
        self.lock = threading.Lock()

    def resized(self, width: int, height: int) -> None:
        with self.lock:
            self.size = (width, height)
            if self.timer is not None:
                self.timer.cancel()
            self.timer = threading.Timer(SAVE_DELAY, self.save)
            self.timer.daemon = True
            self.timer.start()

    def save(self, size: tuple[int, int] | None = None) -> None:
        with self.lock:
            if size is not None:
                self.size = size
            if self.timer is not None:
                self.timer.cancel()
            if self.size != self.saved and all(MIN_SIZE <= side <= MAX_SIZE
                                               for side in self.size):
                save_size(self.data_dir, *self.size)
                self.saved = self.size


class GuiThread:
    """Runs a function in the Qt GUI thread: ``call(func)`` from any thread; ``run(func)``
    also waits for its result. Create it in the GUI thread, after the QApplication."""

    def __init__(self):
        from qtpy.QtCore import QObject, Signal, Slot

        class Bridge(QObject):
            call = Signal(object)

            @Slot(object)
            def invoke(self, func):
                func()

        self.bridge = Bridge()
        self.bridge.call.connect(self.bridge.invoke)

    def call(self, func: Callable[[], object]) -> None:
        self.bridge.call.emit(func)

    def run(self, func: Callable[[], object], timeout: float = 10) -> object:
        done, result = threading.Event(), {}

        def wrapped():
            try:
                result["value"] = func()
            except Exception as exc:
                result["error"] = exc
            finally:
                done.set()

        self.call(wrapped)
        if not done.wait(timeout):
            raise TimeoutError("the GUI thread did not answer")
        if "error" in result:
            raise result["error"]
        return result.get("value")


def open_external(target: str) -> None:
    """Open a URL or a folder with the desktop's own program, outside our environment."""
    env = external_environment()
    if sys.platform.startswith("linux") or "bsd" in sys.platform:
        command = ["xdg-open", target]
    elif sys.platform == "darwin":
        command = ["open", target]
    else:
        webbrowser.open(target)
        return
    try:
        subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError as exc:
        log.warning("cannot open %s: %s", target, exc)


def copy_text(gui: GuiThread, text: str) -> None:
    def copy():
        from qtpy.QtWidgets import QApplication

        QApplication.clipboard().setText(text)

    gui.call(copy)


def build_menu(window, gui: GuiThread, issuer: str, browser_url: str, data_dir: Path) -> list:
    """The window's one menu. "Open in browser" opens the admin page without the launch token
    (the browser signs in with the admin password): a token on a command line is public."""
    from webview.menu import Menu, MenuAction, MenuSeparator

    return [Menu("pocket-op", [
        MenuAction("Copy issuer", lambda: copy_text(gui, issuer)),
        MenuAction("Open in browser", lambda: open_external(browser_url)),
        MenuAction("Open data folder", lambda: open_external(str(data_dir))),
        MenuSeparator(),
        MenuAction("Quit", window.destroy),
    ])]


def qt_window(window):
    """The QMainWindow pywebview made for ``window`` (GUI thread only), or None."""
    from webview.platforms.qt import BrowserView

    return BrowserView.instances.get(window.uid)


def menu_titles(window) -> dict[str, list[str]]:
    """{menu title: [item titles]} as Qt shows them (GUI thread only)."""
    browser = qt_window(window)
    if browser is None:
        return {}
    return {action.text(): [item.text() for item in action.menu().actions()
                            if not item.isSeparator()]
            for action in browser.menuBar().actions() if action.menu() is not None}
