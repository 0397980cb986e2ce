"""Imports run one way: engine → integration → missions → assessments → reports.

Every module of every app is parsed (imports inside functions too) and each import of another
app must point down the layers, never up nor sideways; the apps' import graph must have no
cycle. The engine (integration/engine) is checked by its own purity test: it imports nothing of
the project.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]
# Bottom to top; apps on one line sit side by side and may not import each other (single
# sign-on builds on missions' memberships and knows nothing of assessments). A module belongs to
# the longest prefix that names it.
LAYERS = (
    ("integration.engine",),
    ("integration",),
    ("missions",),
    ("sso", "assessments"),
    ("reports",),
)
RANK = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}
APPS_WALKED = ("integration", "missions", "sso", "assessments", "reports")
# The one exemption: the project's URL root serves every app's routes under one tree, so it
# imports their URL modules (and nothing else of theirs). Settings and Celery name apps by
# string only (INSTALLED_APPS, autodiscovery) and need no exemption.
URL_ROOT = "integration.urls"


@dataclass(frozen=True)
class Import:
    """One import statement's target, where it was written."""

    importer: str
    target: str
    line: int

    def __str__(self) -> str:
        return f"{self.importer}:{self.line} imports {self.target}"


def layer_of(module: str) -> str | None:
    """The app (or the engine) a dotted module name belongs to; None outside the project."""
    matches = [app for app in RANK if module == app or module.startswith(app + ".")]
    return max(matches, key=len, default=None)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_in(source: str, *, module: str, is_package: bool = False) -> Iterator[Import]:
    """Every module `source` imports, relative imports resolved; `from a import b` yields a.b
    (b may be a submodule: the layer is the same either way)."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(module, alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                yield Import(module, f"{base}.{alias.name}", node.lineno)
        elif isinstance(node, ast.Call) and (target := _named_by_string(node)):
            yield Import(module, target, node.lineno)


def _named_by_string(call: ast.Call) -> str | None:
    """The module an `import_module("a.b")` or `apps.get_model("app", "Model")` reaches: an
    import by another name, which must follow the same rule."""
    name = getattr(call.func, "attr", None) or getattr(call.func, "id", None)
    first = call.args[0] if call.args else None
    if name not in ("import_module", "get_model") or not isinstance(first, ast.Constant):
        return None
    if not isinstance(first.value, str):
        return None
    if name == "import_module":
        return first.value
    app_label = first.value.split(".")[0]  # get_model("app.Model") or ("app", "Model")
    return f"{app_label}.models"


def is_allowed(found: Import) -> bool:
    """Down the layers or within one; or the URL root importing an app's URL module."""
    source, target = layer_of(found.importer), layer_of(found.target)
    if target is None or source is None:
        return True  # the standard library, Django, other packages
    if target == source or RANK[target] < RANK[source]:
        return True
    # integration.urls imports `assessments.api.urls`, or `urls` from `assessments.api`.
    return found.importer == URL_ROOT and found.target.rsplit(".", 1)[-1] == "urls"


def project_imports() -> list[Import]:
    found = []
    for app in APPS_WALKED:
        for path in sorted((ROOT / app).rglob("*.py")):
            name = module_name(path)
            if layer_of(name) == "integration.engine":
                continue  # tests/engine/test_purity.py
            source = path.read_text(encoding="utf-8")
            found += imports_in(source, module=name, is_package=path.name == "__init__.py")
    return found


def app_graph(imports: list[Import]) -> dict[str, dict[str, Import]]:
    """Layer → the layers it imports, each with one import that shows it (the URL root is
    wiring, outside the apps, and left out)."""
    graph: dict[str, dict[str, Import]] = {app: {} for app in RANK}
    for found in imports:
        source, target = layer_of(found.importer), layer_of(found.target)
        if found.importer != URL_ROOT and source and target and source != target:
            graph[source].setdefault(target, found)
    return graph


def cycle_in(graph: dict[str, dict[str, Import]]) -> list[Import]:
    """The imports of one cycle between apps, or [] if there is none."""
    state: dict[str, str] = {}
    path: list[Import] = []

    def visit(node: str) -> list[Import]:
        state[node] = "open"
        for target, found in graph[node].items():
            path.append(found)
            if state.get(target) == "open":
                start = next(i for i, step in enumerate(path) if layer_of(step.importer) == target)
                return path[start:]
            if target not in state and (cycle := visit(target)):
                return cycle
            path.pop()
        state[node] = "done"
        return []

    for node in graph:
        if node not in state and (cycle := visit(node)):
            return cycle
    return []


# --- the project --------------------------------------------------------------------------


def test_every_local_app_has_its_place_in_the_layers():
    local = {app.split(".")[0] for app in settings.INSTALLED_APPS if (ROOT / app).is_dir()}
    assert local == set(APPS_WALKED)


def test_no_module_imports_a_layer_above_its_own():
    imports = project_imports()
    assert len(imports) > 500  # the walk reached every app
    assert [str(found) for found in imports if not is_allowed(found)] == []


def test_no_two_apps_import_each_other_even_indirectly():
    assert [str(found) for found in cycle_in(app_graph(project_imports()))] == []


# --- the walk itself: each rule fails when broken ----------------------------------------


def _verdicts(source: str, *, module: str) -> list[bool]:
    return [is_allowed(found) for found in imports_in(source, module=module)]


def test_an_upward_import_is_refused_wherever_it_is_written():
    assert _verdicts("from reports.models import ReportJob", module="missions.models") == [False]
    assert _verdicts("import assessments.services", module="integration.admin") == [False]
    inside_a_function = "def f():\n    from assessments import selectors\n"
    assert _verdicts(inside_a_function, module="integration.api.schema") == [False]


def test_imports_down_the_layers_and_within_an_app_are_allowed():
    source = (
        "from integration.engine import evaluate\n"
        "from integration.exceptions import DomainError\n"
        "from missions.models import Mission\n"
        "from . import selectors\n"
        "import django.db\n"
    )
    assert _verdicts(source, module="assessments.services") == [True] * 5


def test_a_module_or_model_looked_up_by_name_is_an_import_too():
    source = (
        'apps.get_model("reports", "ReportJob")\n'
        'apps.get_model("assessments.Assessment")\n'
        'importlib.import_module("reports.services")\n'
        'apps.get_model("integration", "Rulebook")\n'
    )
    assert _verdicts(source, module="missions.services") == [False, False, False, True]


def test_a_relative_import_is_judged_by_the_module_it_reaches():
    (found,) = imports_in("from ..models import Assessment", module="assessments.api.views")
    assert found.target == "assessments.models.Assessment"


def test_the_engine_may_not_import_the_project_package():
    assert _verdicts("from integration.models import Rulebook", module="integration.engine.x") == [
        False
    ]


def test_apps_side_by_side_may_not_import_each_other():
    assert _verdicts("from assessments.models import Assessment", module="sso.services") == [False]
    assert _verdicts("from sso.models import OidcIdentity", module="assessments.views") == [False]
    assert _verdicts("from missions.models import Mission", module="sso.services") == [True]


def test_the_url_root_may_import_only_the_apps_url_modules():
    assert _verdicts("from reports.api import urls", module=URL_ROOT) == [True]
    assert _verdicts("import assessments.api.urls", module=URL_ROOT) == [True]
    assert _verdicts("from reports.models import ReportJob", module=URL_ROOT) == [False]
    assert _verdicts("from reports.api import urls", module="integration.api.urls") == [False]


def test_a_cycle_between_apps_is_found_and_shown():
    imports = [
        Import("missions.services", "assessments.models", 3),
        Import("assessments.selectors", "reports.models", 5),
        Import("reports.views", "missions.views", 7),
    ]
    assert [str(step) for step in cycle_in(app_graph(imports))] == [
        "missions.services:3 imports assessments.models",
        "assessments.selectors:5 imports reports.models",
        "reports.views:7 imports missions.views",
    ]
    assert cycle_in(app_graph(imports[:2])) == []
