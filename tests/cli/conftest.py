"""Fixtures of the command-line tests (helpers in ``cli_helpers``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import Running


@pytest.fixture
def serve(cli):
    """``serve(data_dir, *flags, **env)``: ``pocket-op serve --headless --port 0`` started
    and past its ready line."""

    def start(data_dir: Path, *flags: str, **env: str) -> Running:
        args = ["serve", "--headless", "--data-dir", str(data_dir)]
        if "--port" not in flags:
            args += ["--port", "0"]
        return Running(cli.start(*args, *flags, **env))

    return start

