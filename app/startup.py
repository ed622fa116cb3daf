"""Preparing an instance: the data dir, the store, and what the first start of a new data
dir creates. Every failure here is a StartupError (one line, exit code 2).

The data and log dirs hold claims, password hashes, encrypted secrets and logs: they are
the user's alone (0700, files 0600), and modes that an older version or a umask left open
to other local users are repaired at every start."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import StartupError

#: Permission bits of new data and log dirs (their files: 0600, see ``private_umask``).
PRIVATE_DIR = 0o700
#: The process umask pocket-op runs with: nothing it creates is readable by others.
PRIVATE_UMASK = 0o077


def make_private(path: Path) -> None:
    """Remove group and other permissions from ``path`` if it exists (best effort: a file
    we do not own keeps its mode)."""
    try:
        current = path.stat().st_mode & 0o777
        if current & 0o077:
            path.chmod(current & 0o700)
    except OSError:
        pass


def make_files_private(directory: Path, pattern: str) -> None:
    """``make_private`` on the files of ``directory`` whose names match ``pattern``."""
    for path in directory.glob(pattern):
        if path.is_file():
            make_private(path)


def ensure_writable_dir(path: Path, what: str, fix: str) -> Path:
    """Create ``path`` (mode 0700) if needed, make an existing one private, and prove it
    writable (as root, permission bits prove nothing, so write and remove a probe file)."""
    try:
        path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
        make_private(path)
        probe = path / f".pocket-op-write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise StartupError(f"{what} {path} is not writable ({reason})",
                           f"choose another with {fix} or fix its permissions") from None
    return path
