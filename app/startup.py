"""Preparing an instance: the data dir, the store, and what the first start of a new data
dir creates. Every failure here is a StartupError (one line, exit code 2)."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import StartupError


def ensure_writable_dir(path: Path, what: str, fix: str) -> Path:
    """Create ``path`` if needed and prove it writable (as root, permission bits prove
    nothing, so write and remove a probe file)."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / f".pocket-op-write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise StartupError(f"{what} {path} is not writable ({reason})",
                           f"choose another with {fix} or fix its permissions") from None
    return path
