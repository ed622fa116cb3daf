"""The command line: ``pocket-op [serve --headless] [--host] [--port] [--issuer] [--data-dir]``,
and ``pocket-op export FILE [--keys]`` / ``pocket-op import FILE [--replace]``, which open the
store directly (no socket), so they work while no server runs.

This module serves headless and never imports the GUI; ``ui.main`` passes in the window
launcher when the desktop shell is installed, and ``extend``, which adds to the app right
after it is created (the admin screens).

One server per data dir: ``prepare`` takes an exclusive ``flock`` on the data dir before it
binds, and a second start says where the first one runs (``DATA_DIR/pocket-op.lock``)."""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from flask import Flask

from . import __version__, config, logs, portability
from .errors import StartupError
from .events import emit
from .server import Server, announce, bind_socket
from .startup import PRIVATE_UMASK, ensure_writable_dir
from .store import AlreadyExists

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no single-instance lock
    fcntl = None

LOCK_FILE = "pocket-op.lock"  # in the data dir: who serves it (JSON), while it runs


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    common.add_argument("--port", help="port to listen on; 0 picks a free one (default 9400)")
    common.add_argument("--issuer", help="issuer URL (default http://localhost:PORT)")
    common.add_argument("--data-dir", dest="data_dir", help="folder for the database and keys")
    parser = argparse.ArgumentParser(
        prog="pocket-op", parents=[common],
        description="A developer's own OpenID Provider. Without a command it opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"pocket-op {__version__}")
    parser.add_argument("--probe", action="store_true",
                        help="open the window as usual, check that the admin screens load, "
                             "print one line 'PROBE {json}' and exit (0 if they loaded)")
    parser.add_argument("--probe-timeout", dest="probe_timeout", type=float, default=30.0,
                        metavar="SECONDS", help="how long --probe waits (default 30)")
    parser.add_argument("--probe-screenshot", dest="probe_screenshot", metavar="PNG",
                        help="with --probe: save a picture of the window there")
    parser.add_argument("--probe-resize", dest="probe_resize", metavar="WxH",
                        help=argparse.SUPPRESS)  # tests: resize before closing
    commands = parser.add_subparsers(dest="command")
    serve = commands.add_parser("serve", parents=[common], help="serve the OP",
                                argument_default=argparse.SUPPRESS)
    serve.add_argument("--headless", action="store_true", help="serve without a window")
    data_dir = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    data_dir.add_argument("--data-dir", dest="data_dir", help="folder of the database and keys")
    export = commands.add_parser(
        "export", parents=[data_dir], help="write the configuration to a JSON file (0600)")
    export.add_argument("file", help="the file to write (it holds client secrets in clear)")
    export.add_argument("--keys", action="store_true", help="include the private keys")
    imports = commands.add_parser(
        "import", parents=[data_dir], help="read the configuration from an exported file")
    imports.add_argument("file", help="a file written by pocket-op export")
    imports.add_argument("--replace", action="store_true",
                         help="delete clients, users and scopes the file does not hold")
    return parser


def flags_of(args: argparse.Namespace) -> dict:
    return {key: getattr(args, key, None) for key in ("host", "port", "issuer", "data_dir")}


Extend = Callable[[Flask], None]


class AlreadyRunning(StartupError):
    """Another process holds the data dir's lock; ``holder`` is what its lock file says."""

    def __init__(self, data_dir: Path, holder: dict):
        url, pid = holder.get("url"), holder.get("pid", "unknown")
        where = f"at {url} (pid {pid})" if url else f"(pid {pid}, still starting)"
        super().__init__(f"already running for data dir {data_dir} {where}",
                         "use that one, stop it first, or choose another --data-dir")
        self.holder = holder


class InstanceLock:
    """One server per data dir: an exclusive ``flock`` on the data dir itself (no file to
    create, so a start that fails leaves the data dir as it was). The kernel drops it when
    the process ends, however it ends, so a crashed instance never blocks the next start.
    Once serving, the holder describes itself in ``DATA_DIR/pocket-op.lock`` (JSON, mode
    0600: pid, url and ``fields``), which it removes on exit; a file a crashed instance left
    behind means nothing while the data dir is not locked."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.path = data_dir / LOCK_FILE
        self.fd: int | None = None
        self.fields: dict = {}

    def acquire(self) -> None:
        """Take the lock or raise AlreadyRunning; a data dir that cannot be opened is left
        to ``ensure_writable_dir`` to report."""
        if self.fd is not None or fcntl is None:
            return
        try:
            fd = os.open(self.data_dir, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        except OSError:
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise AlreadyRunning(self.data_dir, read_holder(self.path)) from None
        self.fd = fd

    def update(self, **fields) -> None:
        """Rewrite the lock file's JSON with ``fields`` added."""
        if self.fd is None:
            return
        self.fields.update(fields, pid=os.getpid())
        config.write_private_json(self.path, self.fields)

    def release(self) -> None:
        if self.fd is None:
            return
        if self.fields:
            self.path.unlink(missing_ok=True)
        os.close(self.fd)  # closing the last descriptor drops the flock
        self.fd = None


def read_holder(path: Path) -> dict:
    """The lock file's JSON, read a few times: its holder may be starting right now."""
    for _ in range(10):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = None
        if isinstance(data, dict):
            return data
        time.sleep(0.05)
    return {}


def prepare(flags: dict, extend: Extend | None = None) -> tuple[Server, list[str]]:
    """Settings, instance lock, socket, logs, store and app (then ``extend(app)``), in that
    order: each failure is a StartupError raised before the next step writes anything. The
    lock of an existing data dir is taken before binding (a second instance is told where the
    first one is, not that its port is busy); a new data dir is created after the logs."""
    from . import create_app

    settings = config.load(flags)
    lock = InstanceLock(Path(settings.data_dir))
    if lock.data_dir.is_dir():
        lock.acquire()
    try:
        sock = bind_socket(settings.host, settings.port)
    except BaseException:
        lock.release()
        raise
    try:
        settings = settings.with_port(sock.getsockname()[1])
        logs.configure(settings.log_dir, settings.log_level)
        ensure_writable_dir(lock.data_dir, "data dir", "--data-dir")
        lock.acquire()
        app = create_app(settings)
        if extend is not None:
            extend(app)
    except BaseException:
        sock.close()
        lock.release()
        raise
    server = Server(app, sock, threads=settings.threads, lock=lock)
    lock.update(url=server.url)
    return server, app.first_start_report


def run_headless(server: Server, report: list[str]) -> int:
    """Serve in this thread until SIGINT/SIGTERM: the ready line first, then the logs."""

    def ready() -> None:
        announce(server, report)
        logs.log_to_stdout()

    server.run(on_ready=ready)
    return 0


def serve_headless(flags: dict, extend: Extend | None = None) -> int:
    return run_headless(*prepare(flags, extend))


def open_app(flags: dict, must_exist: bool) -> Flask:
    """The app over the data dir's store, without a socket. A new data dir (an import) gets
    the first start without the demo users and clients."""
    from . import create_app
    from .store import DB_FILE

    settings = config.load(flags)
    if must_exist and not (Path(settings.data_dir) / DB_FILE).exists():
        raise StartupError(f"no pocket-op database in {settings.data_dir}",
                           "name the data dir with --data-dir")
    return create_app(settings.with_port(settings.port), demo=False)


def summary(found: dict[str, int]) -> str:
    return ", ".join(f"{count} {name if count != 1 else name[:-1]}"
                     for name, count in found.items())


def run_export(args: argparse.Namespace, flags: dict) -> int:
    app = open_app(flags, must_exist=True)
    path = Path(args.file)
    with app.app_context():
        data = portability.export_config(app.store, settings_file(app), include_keys=args.keys)
        try:
            config.write_private_json(path, data)
        except OSError as exc:
            raise StartupError(f"cannot write {path} ({exc.strerror or exc})",
                               "choose another file") from None
        emit("config.exported", keys=args.keys)
    print(f"pocket-op: exported {summary(portability.counts(data))} to {path}")
    return 0


def read_export(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"), parse_constant=reject_constant)
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else exc
        raise StartupError(f"cannot read {path} ({reason})",
                           "give a file written by pocket-op export") from None


def reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def run_import(args: argparse.Namespace, flags: dict) -> int:
    path = Path(args.file)
    data = read_export(path)
    try:
        portability.validate_export(data)
    except portability.InvalidExport as exc:
        raise StartupError(f"{path} is not a valid export: {exc}",
                           "give a file written by pocket-op export") from None
    lock = InstanceLock(Path(config.load(flags).data_dir))
    try:
        lock.acquire()  # a running server would keep serving what the file replaces
    except AlreadyRunning as exc:
        raise StartupError(exc.problem, "stop it first, or import through its admin API "
                           "(POST /admin/api/import)") from None
    app = open_app(flags, must_exist=False)
    for line in app.first_start_report:
        print(line)
    mode = "replace" if args.replace else "merge"
    with app.app_context():
        try:
            done = portability.import_config(app.store, data, mode, settings_file(app))
        except portability.InvalidExport as exc:  # client metadata refused by registration
            raise StartupError(f"{path} is not a valid export: {exc}",
                               "fix what it names, or give a file written by pocket-op export"
                               ) from None
        except AlreadyExists as exc:
            raise StartupError(f"cannot import {path}: {exc} exists with another sub",
                               "rename it in the file or import with --replace") from None
        emit("config.imported", mode=mode, **portability.counts(data))
    deleted = f"; deleted {summary(done['deleted'])}" if mode == "replace" else ""
    print(f"pocket-op: imported {summary(portability.counts(data))} from {path} ({mode}{deleted})")
    return 0


def settings_file(app: Flask) -> Path:
    return Path(app.settings.data_dir) / config.SETTINGS_FILE


def window_options(args: argparse.Namespace) -> dict:
    """What the window launcher gets besides the flags: the --probe options."""
    return {"probe": args.probe, "probe_timeout": args.probe_timeout,
            "probe_screenshot": args.probe_screenshot, "probe_resize": args.probe_resize}


COMMANDS = {"export": run_export, "import": run_import}
#: ``window(prepare, flags, options)``: opens the window (or falls back), returns the exit code.
Window = Callable[[Callable[[dict], tuple], dict, dict], int]


def limit_malloc_arenas(arenas: int = 2) -> None:
    """glibc gives threads their own malloc arenas (up to 8 per core), each keeping freed
    memory: with Waitress's worker threads the resident size grows far past what is in use.
    Two arenas keep it down (mallopt M_ARENA_MAX, as MALLOC_ARENA_MAX=2 would). Other C
    libraries: nothing to do."""
    try:
        ctypes.CDLL(None).mallopt(-8, arenas)  # M_ARENA_MAX = -8 (malloc.h)
    except (OSError, AttributeError):
        pass


def main(argv: list[str] | None = None, window: Window | None = None,
         extend: Extend | None = None) -> int:
    args = build_parser().parse_args(argv)
    # Whatever pocket-op writes (database, WAL, logs, exports) is the user's alone.
    os.umask(PRIVATE_UMASK)
    flags = flags_of(args)
    headless = args.command == "serve" and getattr(args, "headless", False)
    try:
        if args.command in COMMANDS:
            return COMMANDS[args.command](args, flags)
        sys.stdout.reconfigure(line_buffering=True)
        limit_malloc_arenas()
        if not headless:
            if window is not None:
                return window(partial(prepare, extend=extend), flags, window_options(args))
            if args.probe:
                print("PROBE " + json.dumps({"loaded": False, "error": "no desktop shell"}))
                return 1
            print("pocket-op: the desktop shell is absent; running headless "
                  "(pocket-op serve --headless)", file=sys.stderr, flush=True)
        return serve_headless(flags, extend)
    except StartupError as exc:
        print(str(exc), file=sys.stderr, flush=True)
        return exc.exit_code
