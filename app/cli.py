"""The command line: ``pocket-op [serve --headless] [--host] [--port] [--issuer] [--data-dir]``,
and ``pocket-op export FILE [--keys]`` / ``pocket-op import FILE [--replace]``, which open the
store directly (no socket), so they work while no server runs.

This module serves headless and never imports the GUI; ``ui.main`` passes in the window
launcher when the desktop shell is installed, and ``extend``, which adds to the app right
after it is created (the admin screens)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

from flask import Flask

from . import __version__, config, logs, portability
from .errors import StartupError
from .events import emit
from .server import Server, announce, bind_socket
from .store import AlreadyExists


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


def prepare(flags: dict, extend: Extend | None = None) -> tuple[Server, list[str]]:
    """Settings, socket, logs, store and app (then ``extend(app)``), in that order: each
    failure is a StartupError raised before the next step writes anything."""
    from . import create_app

    settings = config.load(flags)
    sock = bind_socket(settings.host, settings.port)
    try:
        settings = settings.with_port(sock.getsockname()[1])
        logs.configure(settings.log_dir, settings.log_level)
        app = create_app(settings)
        if extend is not None:
            extend(app)
    except BaseException:
        sock.close()
        raise
    return Server(app, sock, threads=settings.threads), app.first_start_report


def serve_headless(flags: dict, extend: Extend | None = None) -> int:
    server, report = prepare(flags, extend)

    def ready() -> None:
        announce(server, report)
        logs.log_to_stdout()

    server.run(on_ready=ready)
    return 0


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


def display_available() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


COMMANDS = {"export": run_export, "import": run_import}


def main(argv: list[str] | None = None,
         window: Callable[[Callable[[dict], tuple], dict], int] | None = None,
         extend: Extend | None = None) -> int:
    args = build_parser().parse_args(argv)
    flags = flags_of(args)
    headless = args.command == "serve" and getattr(args, "headless", False)
    try:
        if args.command in COMMANDS:
            return COMMANDS[args.command](args, flags)
        sys.stdout.reconfigure(line_buffering=True)
        if not headless:
            if window is not None and display_available():
                return window(partial(prepare, extend=extend), flags)
            reason = "no display found" if window is not None else "the desktop shell is absent"
            print(f"pocket-op: {reason}; running headless (pocket-op serve --headless)",
                  file=sys.stderr, flush=True)
        return serve_headless(flags, extend)
    except StartupError as exc:
        print(str(exc), file=sys.stderr, flush=True)
        return exc.exit_code
