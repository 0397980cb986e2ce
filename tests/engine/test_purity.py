"""The engine is pure Python: no module in integration/engine imports Django, DRF or Celery."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import integration.engine

ENGINE_DIR = Path(integration.engine.__file__).parent
FORBIDDEN = ("django", "rest_framework", "celery")


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_engine_modules_import_no_framework() -> None:
    files = sorted(ENGINE_DIR.rglob("*.py"))
    assert len(files) >= 5
    offenders = {
        f"{path.name}: {module}"
        for path in files
        for module in imported_modules(path)
        if module.split(".")[0] in FORBIDDEN
    }
    assert not offenders


def test_engine_imports_only_the_standard_library_and_yaml() -> None:
    allowed_third_party = {"yaml"}
    for path in ENGINE_DIR.rglob("*.py"):
        for module in imported_modules(path):
            top = module.split(".")[0]
            assert top in sys.stdlib_module_names or top in allowed_third_party, (path, module)
