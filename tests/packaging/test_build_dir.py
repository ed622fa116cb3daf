"""Packaging leaves ``build/`` (our scripts) alone: setuptools builds in the git-ignored folder
that ``pyproject.toml`` names (``[tool.distutils.build] build_base``), so no second copy of
``app/`` and ``ui/`` lands where editors and duplicate finders look."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "build"


def build_base() -> str:
    with open(ROOT / "pyproject.toml", "rb") as file:
        return tomllib.load(file)["tool"]["distutils"]["build"]["build_base"]


def files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*")
                  if path.is_file() and "__pycache__" not in path.parts)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_setuptools_builds_in_a_git_ignored_folder_of_its_own():
    base = Path(build_base())
    assert not base.is_absolute() and base.parts[0] not in ("build", "app", "ui", "tests")
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert f"{base.as_posix()}/" in ignored
    # What an older setuptools (one that ignores [tool.distutils]) would still write there.
    assert {"build/lib/", "build/bdist.*/"} <= set(ignored)


def test_nothing_under_build_is_a_copy_of_a_file_of_app_or_ui():
    sources = {digest(path) for folder in ("app", "ui") for path in files(ROOT / folder)
               if path.stat().st_size}
    copies = [path.relative_to(ROOT).as_posix() for path in files(SCRIPTS)
              if digest(path) in sources]
    assert not copies, f"delete these copies (an old setuptools build?): {copies}"


def test_a_wheel_built_from_the_project_writes_nothing_into_build(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    for name in ("app", "ui", "build"):
        shutil.copytree(ROOT / name, source / name,
                        ignore=shutil.ignore_patterns("__pycache__"))
    scripts = [path.relative_to(source) for path in files(source / "build")]
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
                    "--wheel-dir", str(tmp_path / "out"), str(source)],
                   check=True, timeout=100)
    assert [path.relative_to(source) for path in files(source / "build")] == scripts
    assert (source / build_base() / "lib" / "app" / "__init__.py").is_file()
    with zipfile.ZipFile(next((tmp_path / "out").glob("pocket_op-*.whl"))) as wheel:
        assert {"app/__init__.py", "ui/admin/static/shell.js"} <= set(wheel.namelist())
