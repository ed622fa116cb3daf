"""Numbered forward migrations of the SQLite schema.

Each module ``mNNNN_name.py`` has ``VERSION = NNNN`` and ``STATEMENTS``, a list of SQL
statements. The schema version lives in ``PRAGMA user_version``; ``pending`` lists the
migrations a database at a given version still needs, in order. Never edit a migration that
has shipped: add the next one.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def all_migrations() -> list[ModuleType]:
    modules = [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in pkgutil.iter_modules(__path__)
        if info.name.startswith("m") and info.name[1:5].isdigit()
    ]
    modules.sort(key=lambda module: module.VERSION)
    versions = [module.VERSION for module in modules]
    if versions != list(range(1, len(versions) + 1)):
        raise RuntimeError(f"migrations must be numbered 1..N without gaps, got {versions}")
    return modules


def latest_version() -> int:
    return len(all_migrations())


def pending(current: int) -> list[ModuleType]:
    return [module for module in all_migrations() if module.VERSION > current]
