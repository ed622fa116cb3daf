"""Entry point of the ``pocket-op`` command: the parsing and headless serving live in
``app.cli``, the window (or the fallback to headless when none can open) in ``ui.desktop``;
either way the app also serves the admin screens (``ui.admin``)."""

from __future__ import annotations

import sys

from app import cli

from . import admin
from .desktop import open_window


def main(argv: list[str] | None = None) -> int:
    return cli.main(argv, window=open_window, extend=admin.init_app)


if __name__ == "__main__":
    sys.exit(main())
