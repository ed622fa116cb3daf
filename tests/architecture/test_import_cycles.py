"""``app/`` has no import cycles: the interaction pages import the authorization steps and
never the reverse, grants never import endpoints. Imports inside functions count, and
importing ``a.b.c`` imports the packages ``a`` and ``a.b`` too (their ``__init__`` runs)."""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"


def module_names() -> dict[str, Path]:
    names = {}
    for path in APP.rglob("*.py"):
        parts = path.relative_to(APP.parent).with_suffix("").parts
        names[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return names


def imported(module: str, path: Path, names: dict[str, Path]) -> set[str]:
    """The modules of ``app`` that importing ``module`` runs directly."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    targets = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[:len(package.split(".")) - node.level + 1] \
                if node.level else []
            source = ".".join(base + ([node.module] if node.module else []))
            targets += [f"{source}.{alias.name}" if f"{source}.{alias.name}" in names
                        else source for alias in node.names]
    found = set()
    for target in targets:
        parts = target.split(".")
        for end in range(1, len(parts) + 1):
            name = ".".join(parts[:end])
            # A module's own packages are already being imported when it runs.
            if name in names and not (module + ".").startswith(name + "."):
                found.add(name)
    return found - {module}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(name: str) -> list[str] | None:
        state[name] = "open"
        stack.append(name)
        for other in sorted(graph[name]):
            if state.get(other) == "open":
                return stack[stack.index(other):] + [other]
            if other not in state and (cycle := visit(other)):
                return cycle
        state[name] = "done"
        stack.pop()
        return None

    for name in sorted(graph):
        if name not in state and (cycle := visit(name)):
            return cycle
    return None


def test_app_has_no_import_cycles():
    names = module_names()
    graph = {name: imported(name, path, names) for name, path in names.items()}
    assert find_cycle(graph) is None


def test_the_authorization_steps_do_not_import_the_interaction_pages():
    names = module_names()
    steps = [name for name in names if name.startswith("app.oauth.authorization")]
    for name in steps:
        assert not any(other.startswith("app.oauth.interaction")
                       for other in imported(name, names[name], names)), name
