"""The desktop window: the OP served on a background thread, a pywebview window on top.
Closing the window stops the server. If no GUI backend can start, serve headless instead."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable

from app.cli import serve_headless
from app.server import announce

from . import admin


def missing_gui() -> str | None:
    """Why no window can open (pywebview is absent or finds no GUI toolkit), or None.
    Asked before serving, so a fallback never prints a second ready line; pywebview's own
    tracebacks about each toolkit it tries are kept off stderr."""
    try:
        from webview.guilib import initialize
    except ImportError as exc:  # pragma: no cover - pywebview is a dependency
        return str(exc)
    pywebview_log = logging.getLogger("pywebview")
    level = pywebview_log.level
    pywebview_log.setLevel(logging.CRITICAL)
    try:
        initialize()
    except Exception as exc:
        return str(exc)
    finally:
        pywebview_log.setLevel(level)
    return None


def open_window(prepare: Callable[[dict], tuple], flags: dict) -> int:
    if os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")  # Chromium refuses root
    problem = missing_gui()
    if problem:
        print(f"pocket-op: no window ({problem}); running headless", file=sys.stderr, flush=True)
        return serve_headless(flags, admin.init_app)
    import webview

    server, report = prepare(flags)
    announce(server, report)
    server.start()
    try:
        # The admin screens, let in by the per-launch token (in the fragment: never sent).
        screens = f"{server.url}/admin#launch={server.app.admin_launch_token}"
        webview.create_window(f"pocket-op - {server.app.settings.issuer}", screens,
                              width=1100, height=760)
        webview.start(private_mode=True)
    except Exception as exc:  # no usable GUI backend (e.g. Qt not installed)
        print(f"pocket-op: the window cannot open ({exc}); serving headless, Ctrl+C stops",
              file=sys.stderr, flush=True)
        server.stop()
        return serve_headless(flags, admin.init_app)
    server.stop()
    return 0
