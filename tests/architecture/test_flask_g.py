"""``flask.g`` carries no protocol state, only what a request's log line says about it
(``app.request_notes``: request id, timing, the client and user it concerns) and, in the
admin API, the admin the guard authenticated (``g.admin``, set by ``app.admin.guard``).
The browser's SSO state travels on ``app.oauth.sessions.sso.Browser``, the token context on the
OAuth2 request, the client reads of an HTTP request in its WSGI environ."""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"


def g_uses(path: Path) -> set[str]:
    """The attributes of ``flask.g`` that ``path`` uses ("g" for the object itself: ``in
    g``, passed along...), or nothing when it does not import ``g``."""
    tree = ast.parse(path.read_text())
    if not any(isinstance(node, ast.ImportFrom) and node.module == "flask"
               and any(alias.name == "g" for alias in node.names) for node in ast.walk(tree)):
        return set()
    attributes = {id(node.value): node.attr for node in ast.walk(tree)
                  if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)}
    return {attributes.get(id(node), "g") for node in ast.walk(tree)
            if isinstance(node, ast.Name) and node.id == "g"}


def uses_by_module() -> dict[str, set[str]]:
    uses = {str(path.relative_to(APP.parent)): g_uses(path) for path in APP.rglob("*.py")}
    return {module: names for module, names in uses.items() if names}


def test_only_the_request_notes_and_the_admin_api_use_flask_g():
    modules = set(uses_by_module())
    assert modules - {"app/request_notes.py"} <= {"app/admin/guard.py", "app/admin/login.py",
                                                  "app/admin/try_it.py"}


def test_the_admin_api_keeps_only_its_authenticated_caller_on_flask_g():
    admin = {module: names for module, names in uses_by_module().items()
             if module.startswith("app/admin/")}
    assert admin and all(names == {"admin"} for names in admin.values())

