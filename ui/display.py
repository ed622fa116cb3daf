"""Whether a window can open here, decided before Qt starts: Qt ends the whole process (abort,
no exception) when its platform plugin cannot reach a display. So on Linux the display named
by ``WAYLAND_DISPLAY`` / ``DISPLAY`` is connected to first, and Qt gets ``offscreen`` as its
last platform, so a display that still fails is noticed (``check_offscreen``) instead of
fatal. An explicit ``QT_QPA_PLATFORM`` (e.g. ``offscreen`` for a DOM-only probe) is obeyed.

Also the environment QtWebEngine needs: as root, Chromium's sandbox must be off."""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import MutableMapping

NO_DISPLAY = "no display found"
#: Set when this module chose Qt's platforms (the user did not): "offscreen" then means failure.
CHOSEN_PLATFORMS = "_POCKET_OP_QT_PLATFORMS"


def connect_unix(path: str) -> str | None:
    """None if something listens on the unix socket ``path`` (a leading NUL: abstract)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(2)
        try:
            sock.connect(path)
        except OSError as exc:
            return exc.strerror or exc.__class__.__name__
    return None


def x_display_problem(display: str) -> str | None:
    """Why the X server of ``display`` ([host]:N[.screen]) cannot be reached, or None."""
    host, _, rest = display.rpartition(":")
    number = rest.split(".")[0]
    if not number.isdigit():
        return f"DISPLAY={display!r} is not an X display name"
    if host in ("", "unix"):
        path = f"/tmp/.X11-unix/X{number}"
        problem = connect_unix("\0" + path) if sys.platform == "linux" else "no abstract socket"
        if problem:
            problem = connect_unix(path)
    else:
        try:
            socket.create_connection((host.strip("[]"), 6000 + int(number)), timeout=2).close()
            problem = None
        except OSError as exc:
            problem = exc.strerror or exc.__class__.__name__
    return f"cannot reach the X display {display} ({problem})" if problem else None


def wayland_problem(environ: MutableMapping[str, str]) -> str | None:
    name = environ["WAYLAND_DISPLAY"]
    path = name if name.startswith("/") else os.path.join(environ.get("XDG_RUNTIME_DIR", ""),
                                                           name)
    problem = connect_unix(path)
    return f"cannot reach the Wayland display {name} ({problem})" if problem else None


def display_problem(environ: MutableMapping[str, str] | None = None) -> str | None:
    """Why no window can open on this machine's display, or None. Elsewhere than Linux and
    the BSDs (macOS, Windows) there is always a display."""
    environ = os.environ if environ is None else environ
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return None
    if environ.get("QT_QPA_PLATFORM"):
        return None
    if not environ.get("DISPLAY") and not environ.get("WAYLAND_DISPLAY"):
        return NO_DISPLAY
    problems = []
    if environ.get("WAYLAND_DISPLAY"):
        problems.append(wayland_problem(environ))
    if environ.get("DISPLAY"):
        problems.append(x_display_problem(environ["DISPLAY"]))
    if any(problem is None for problem in problems):
        return None
    return "; ".join(problems)


def configure_qt(environ: MutableMapping[str, str] | None = None) -> None:
    """The environment for Qt, before it is imported: PyQt6 for qtpy, no Chromium sandbox as
    root, and (unless the user chose) the reachable display's platform, then offscreen."""
    environ = os.environ if environ is None else environ
    environ.setdefault("QT_API", "pyqt6")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        environ["QTWEBENGINE_DISABLE_SANDBOX"] = "1"  # Chromium refuses root otherwise
    if not sys.platform.startswith("linux") or environ.get("QT_QPA_PLATFORM"):
        return
    platforms = []
    if environ.get("WAYLAND_DISPLAY") and not wayland_problem(environ):
        platforms.append("wayland")
    if environ.get("DISPLAY") and not x_display_problem(environ["DISPLAY"]):
        platforms.insert(0 if environ.get("XDG_SESSION_TYPE") != "wayland" else 1, "xcb")
    environ["QT_QPA_PLATFORM"] = ";".join([*platforms, "offscreen"])
    environ[CHOSEN_PLATFORMS] = "1"
    # A platform that fails is reported in one line of ours (QT_CANNOT), not Qt's three.
    environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")


QT_CANNOT = ("Qt cannot open a window on this display; QT_LOGGING_RULES='qt.qpa.*=true' "
             "shows why")


def check_offscreen(platform_name: str, environ: MutableMapping[str, str] | None = None) -> bool:
    """Whether Qt fell back to offscreen although a real display was wanted."""
    environ = os.environ if environ is None else environ
    return platform_name == "offscreen" and bool(environ.get(CHOSEN_PLATFORMS))


def external_environment(environ: MutableMapping[str, str] | None = None) -> dict[str, str]:
    """The environment for programs we start (a browser, a file manager): without our Qt
    choices, and with the library path a PyInstaller bundle had before it changed it."""
    environ = dict(os.environ if environ is None else environ)
    if environ.pop(CHOSEN_PLATFORMS, None):
        environ.pop("QT_QPA_PLATFORM", None)
    environ.pop("QT_API", None)
    if environ.get("QT_LOGGING_RULES") == "qt.qpa.*=false":
        environ.pop("QT_LOGGING_RULES")
    if getattr(sys, "frozen", False):
        for name in ("LD_LIBRARY_PATH", "DYLD_LIBRARY_PATH"):
            original = environ.pop(name + "_ORIG", None)
            if original is not None:
                environ[name] = original
            else:
                environ.pop(name, None)
    return environ
