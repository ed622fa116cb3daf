"""The command line: ``pocket-op [serve --headless] [--host] [--port] [--issuer] [--data-dir]``.

This module serves headless and never imports the GUI; ``ui.main`` passes in the window
launcher when the desktop shell is installed, and ``extend``, which adds to the app right
after it is created (the admin screens)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from functools import partial

from flask import Flask

from . import __version__, config, logs
from .errors import StartupError
from .server import Server, announce, bind_socket


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


def display_available() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def main(argv: list[str] | None = None,
         window: Callable[[Callable[[dict], tuple], dict], int] | None = None,
         extend: Extend | None = None) -> int:
    args = build_parser().parse_args(argv)
    flags = flags_of(args)
    headless = args.command == "serve" and getattr(args, "headless", False)
    try:
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
