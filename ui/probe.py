"""``pocket-op --probe``: the window opens exactly as usual; then, on pywebview's worker
thread, the probe waits for the page's ``loaded`` event and for the admin shell to let the
window in (the launch token opens the Clients screen), reads the title and the screen names
from the DOM and the window's title, size and menu from Qt, optionally saves a picture of the
window, and closes it. ``pocket-op`` then prints ``PROBE {json}`` and exits 0 only if the
screens were there. Bounded: past the timeout the window is closed, and a watchdog ends the
process if even that hangs."""

from __future__ import annotations

import json
import os
import sys
import threading
import time

from .chrome import GuiThread, menu_titles, qt_window

#: The admin shell's state: its title, the screen names once the nav shows, the current one.
SHELL_STATE = """JSON.stringify((() => {
  const nav = document.querySelector("nav#screens");
  const shown = nav !== null && !nav.hidden;
  const current = document.querySelector("nav#screens a.current");
  const table = document.querySelector("#screen table");
  return {
    title: document.title,
    screens: shown ? Array.from(nav.querySelectorAll("a"), a => a.textContent.trim()) : [],
    current: shown && current ? current.textContent.trim() : null,
    rows: table ? Array.from(table.querySelectorAll("tbody tr"),
                             tr => tr.cells[0].textContent.trim()) : null,
  };
})())"""
CONTENT_WAIT = 5  # seconds the screen's list may take once the screen shows
EXPECTED_SCREEN = "Clients"  # what the launch token opens
POLL = 0.05  # seconds between two looks at the DOM
WATCHDOG_GRACE = 20  # seconds past the timeout before the process is ended outright


class Probe:
    def __init__(self, options: dict, gui: GuiThread):
        self.timeout = options["probe_timeout"]
        self.screenshot = options.get("probe_screenshot")
        self.resize_to = parse_size(options.get("probe_resize"))
        self.gui = gui
        self.started = time.monotonic()
        self.result: dict = {"loaded": False}

    @property
    def ok(self) -> bool:
        result = self.result
        return bool(result["loaded"] and result.get("screens")
                    and result.get("current") == EXPECTED_SCREEN and "error" not in result)

    def line(self) -> str:
        return "PROBE " + json.dumps(self.result)

    def start_watchdog(self) -> None:
        def give_up():
            self.result["error"] = "the window did not close in time"
            print(self.line(), flush=True)
            os._exit(3)

        watchdog = threading.Timer(self.timeout + WATCHDOG_GRACE, give_up)
        watchdog.daemon = True
        watchdog.start()

    def run(self, window) -> None:
        """pywebview's worker: look, then close the window (whatever happened)."""
        deadline = self.started + self.timeout
        try:
            self.result["loaded"] = window.events.loaded.wait(self.timeout)
            if self.result["loaded"]:
                self.result.update(self.wait_for_screens(window, deadline))
                self.result.update(self.gui.run(lambda: self.read_window(window)))
                if self.resize_to:
                    window.resize(*self.resize_to)
                    self.wait_for_size(window, deadline)
                if self.screenshot:
                    self.result["screenshot"] = self.gui.run(lambda: self.grab(window))
            else:
                self.result["error"] = f"the page did not load in {self.timeout:g} s"
        except Exception as exc:
            self.result["error"] = repr(exc)
        finally:
            self.result["seconds"] = round(time.monotonic() - self.started, 3)
            window.destroy()

    def wait_for_screens(self, window, deadline: float) -> dict:
        """The shell's state once a screen shows and its list is filled (or time is up)."""
        state: dict = {}
        while time.monotonic() < deadline:
            raw = window.run_js(SHELL_STATE)  # as is: the shell's CSP forbids eval
            state = json.loads(raw) if isinstance(raw, str) else (raw or {})
            if state.get("current") and state.get("rows") is not None:
                break
            if state.get("current"):
                deadline = min(deadline, time.monotonic() + CONTENT_WAIT)
            time.sleep(POLL)
        return state

    def wait_for_size(self, window, deadline: float) -> None:
        while time.monotonic() < deadline:
            size = self.gui.run(lambda: self.read_window(window)["size"])
            if tuple(size) == self.resize_to:
                self.result["size"] = size
                return
            time.sleep(POLL)

    @staticmethod
    def read_window(window) -> dict:
        browser = qt_window(window)
        return {"window_title": browser.windowTitle(), "size": [browser.width(),
                                                                  browser.height()],
                "menu": menu_titles(window)}

    def grab(self, window) -> str:
        """A picture of the window (menu and page) as Qt renders it."""
        path = os.path.abspath(self.screenshot)
        if not qt_window(window).grab().save(path, "PNG"):
            raise OSError(f"cannot save {path}")
        return path


def parse_size(text: str | None) -> tuple[int, int] | None:
    """``WxH`` as (W, H); None when absent or malformed (then nothing is resized)."""
    width, _, height = (text or "").lower().partition("x")
    if not (width.isdigit() and height.isdigit()):
        return None
    return int(width), int(height)


def report_failure(error: str) -> int:
    """A probe that could not even open a window: one PROBE line, exit 1."""
    print("PROBE " + json.dumps({"loaded": False, "error": error}), flush=True)
    sys.stdout.flush()
    return 1
