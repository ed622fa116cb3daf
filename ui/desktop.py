"""The desktop window: the OP served by Waitress on a background thread, and a pywebview
window (Qt backend) on the admin screens, let in by the per-launch token. Closing the window
(or Quit, or SIGTERM) stops the server cleanly: in-flight requests finish, the store closes,
the data dir's lock is released.

When no window can open (no display, Qt cannot start, the slim build has no Qt) the same
server runs headless, and says so in one line. A second ``pocket-op`` on the same data dir
asks the running window to show itself (``ui.instance``) instead of starting."""

from __future__ import annotations

import importlib.util
import logging
import secrets
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from app.cli import AlreadyRunning, run_headless
from app.server import Server, announce

from .chrome import MIN_SIZE, GuiThread, SizeKeeper, build_menu, qt_window, read_size
from .display import NO_DISPLAY, QT_CANNOT, check_offscreen, configure_qt, display_problem
from .instance import ask_to_show, init_show_endpoint
from .probe import Probe, report_failure

SLIM = "this is the slim headless build, without a window"


def gui_problem() -> str | None:
    """Why no window can open, or None once Qt's application exists. The display is checked
    before Qt starts (Qt aborts the process without one); pywebview's tracebacks about each
    toolkit it tries are kept off stderr."""
    if importlib.util.find_spec("webview") is None:
        return SLIM
    problem = display_problem()
    if problem:
        return problem
    configure_qt()
    from webview.guilib import initialize

    pywebview_log = logging.getLogger("pywebview")
    level = pywebview_log.level
    pywebview_log.setLevel(logging.CRITICAL)
    try:
        initialize("qt")
        from qtpy.QtWidgets import QApplication

        platform = QApplication.instance().platformName()
    except Exception as exc:
        return str(exc)
    finally:
        pywebview_log.setLevel(level)
    if check_offscreen(platform):
        return QT_CANNOT
    return None


def notice_headless(problem: str) -> None:
    if problem == NO_DISPLAY:
        message = f"pocket-op: {NO_DISPLAY}; running headless (pocket-op serve --headless)"
    else:
        message = f"pocket-op: no window ({problem}); running headless"
    print(message, file=sys.stderr, flush=True)


def open_window(prepare: Callable[[dict], tuple], flags: dict, options: dict) -> int:
    """``pocket-op`` without a command: the window, or headless when none can open."""
    probe = options.get("probe")
    try:
        server, report = prepare(flags)
    except AlreadyRunning as running:
        return second_instance(running, probe)
    problem = gui_problem()
    if problem:
        if probe:
            server.close()
            return report_failure(problem)
        notice_headless(problem)
        return run_headless(server, report)
    return run_window(server, report, options)


def second_instance(running: AlreadyRunning, probe: bool) -> int:
    """Another pocket-op serves this data dir: with a display, ask it to show its window."""
    if probe:
        return report_failure(str(running))
    holder = running.holder
    if display_problem() is None and ask_to_show(holder):
        print(f"pocket-op: already running at {holder['url']} (pid {holder.get('pid')}); "
              "its window was asked to come to the front", file=sys.stderr, flush=True)
        return 0
    raise running


def run_window(server: Server, report: list[str], options: dict) -> int:
    import webview

    settings = server.app.settings
    data_dir = Path(settings.data_dir)
    gui = GuiThread()
    size = read_size(data_dir)
    keeper = SizeKeeper(data_dir, size)
    # The admin screens, let in by the per-launch token (in the fragment: never sent).
    screens = f"{server.url}/admin#launch={server.app.admin_launch_token}"
    window = webview.create_window(f"pocket-op - {settings.issuer}", screens, width=size[0],
                                   height=size[1], min_size=(MIN_SIZE, MIN_SIZE))
    signal.signal(signal.SIGTERM, lambda signum, frame: close_soon(window))
    window.events.resized += keeper.resized
    window.events.closing += lambda: remember_size(window, keeper)
    secret = secrets.token_urlsafe(32)
    init_show_endpoint(server.app, secret, lambda: show(window))
    server.lock.update(show=secret)
    menu = build_menu(window, gui, settings.issuer, f"{server.url}/admin", data_dir)
    announce(server, report)
    server.start()
    probe = Probe(options, gui) if options.get("probe") else None
    try:
        if probe:
            probe.start_watchdog()
            webview.start(probe.run, window, gui="qt", private_mode=True, menu=menu)
        else:
            webview.start(gui="qt", private_mode=True, menu=menu)
    except Exception as exc:  # Qt failed after all: keep serving until a signal
        if probe:
            probe.result["error"] = f"the window failed ({exc})"
        else:
            print(f"pocket-op: the window failed ({exc}); serving headless, Ctrl+C stops",
                  file=sys.stderr, flush=True)
            wait_for_signal()
    finally:
        server.stop()
    if probe:
        print(probe.line(), flush=True)
        return 0 if probe.ok else 1
    return 0


def remember_size(window, keeper: SizeKeeper) -> None:
    """``closing`` runs in the GUI thread: the window's size is read from Qt directly."""
    browser = qt_window(window)
    keeper.save((browser.width(), browser.height()) if browser is not None else None)


def close_soon(window) -> None:
    """Close the window from a signal handler: pywebview's ``destroy`` waits until the window
    has shown, which must not block the GUI thread the handler runs in."""
    threading.Thread(target=window.destroy, name="pocket-op close", daemon=True).start()


def show(window) -> None:
    """Un-minimise, show and raise the window (asked by a second instance), without keeping
    the request waiting: pywebview's calls wait until the window has shown."""

    def restore_and_show():
        window.restore()
        window.show()

    threading.Thread(target=restore_and_show, name="pocket-op show", daemon=True).start()


def wait_for_signal() -> None:
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda signum, frame: stop.set())
    while not stop.wait(0.5):
        pass
