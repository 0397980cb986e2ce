"""Scenarios beside their baseline: the assessment's saved facts and each scenario's changes to
them, evaluated under the current published rulebook, cell by cell, with what moved.

Nothing here writes and nothing is stored: the engine is pure, so the comparison is computed on
read from the facts (one query), the rulebook (cached after its first read) and the scenarios
the caller already holds.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from assessments.engine_texts import reader_language
from assessments.models import Assessment, FunctionAssessment, Scenario
from assessments.selectors.facts import facts_dict_build
from assessments.selectors.labels import LEVELS, contradiction_message, degree_rank
from integration import engine
from integration.services import rulebook_published_get
from missions.models import Function


def scenarios_of(*, assessment_id: int) -> list[Scenario]:
    """An assessment's scenarios, oldest first, with who wrote them. One query."""
    return list(
        Scenario.objects.filter(assessment_id=assessment_id).select_related(
            "created_by", "updated_by"
        )
    )


def scenario_facts(*, facts: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """The baseline facts (API-shaped, as assessment_facts_get gives them) with `changes`
    applied. Changes to a function no longer in the mandate are left out."""
    merged = copy.deepcopy(facts)
    merged["context"].update(changes.get("context", {}))
    functions = changes.get("functions", {})
    for item in merged["functions"]:
        item.update(functions.get(item["function"], {}))
    return merged


def scenario_path(path: str, facts: dict[str, Any]) -> str:
    """The engine's `functions[2].necessity` as the scenario's `functions.ddr.necessity`."""
    if not path.startswith("functions["):
        return path
    index, _, rest = path[len("functions[") :].partition("]")
    code = facts["functions"][int(index)]["function"]
    return f"functions.{code}{rest}"


@dataclass(frozen=True)
class ComparisonColumn:
    """The baseline (scenario None) or one scenario, and whether the engine answered it."""

    scenario: Scenario | None
    applicable: bool = True
    reason: str = ""  # why the engine does not apply, when not applicable
    # (path, message) when the scenario's changes no longer fit the assessment's facts
    errors: tuple[tuple[str, str], ...] = ()

    @property
    def is_baseline(self) -> bool:
        return self.scenario is None

    @property
    def answered(self) -> bool:
        return self.applicable and not self.errors


@dataclass(frozen=True)
class ComparisonCell:
    """One function and level in one column; `moved` and the barriers are against the
    baseline's cell (the baseline's own cell has nothing moved, nothing added or removed)."""

    degree: str
    feasible_degree: str
    lead: str
    barriers: tuple[engine.Barrier, ...]
    degree_moved: bool = False
    feasible_moved: bool = False
    lead_moved: bool = False
    barriers_added: tuple[engine.Barrier, ...] = ()
    barriers_removed: tuple[engine.Barrier, ...] = ()

    @property
    def moved(self) -> bool:
        return self.degree_moved or self.feasible_moved or self.lead_moved

    # How far the feasible degree moved: > 0 towards full, < 0 away from it.
    feasible_delta: int = 0

    @property
    def feasible_rose(self) -> bool:
        return self.feasible_delta > 0

    @property
    def constrained(self) -> bool:
        return degree_rank(self.feasible_degree) < degree_rank(self.degree)


@dataclass(frozen=True)
class ComparisonRow:
    """One function at one level, across the columns (None: no answer in that column)."""

    function: Function
    level: str
    cells: tuple[ComparisonCell | None, ...]

    @property
    def moved(self) -> bool:
        return any(cell is not None and cell.moved for cell in self.cells[1:])


@dataclass(frozen=True)
class Comparison:
    """What the comparison page shows: the columns (baseline first), one row per function in
    the mandate and level, and the published rulebook's version the answers are under."""

    rulebook_version: str
    columns: tuple[ComparisonColumn, ...]
    rows: tuple[ComparisonRow, ...] = ()
    no_function: bool = False  # nothing in the mandate: nothing to compare
    levels: tuple[str, ...] = field(default=tuple(LEVELS))


def _level_cells(decision: engine.Decision) -> dict[tuple[str, str], ComparisonCell]:
    cells = {}
    for item in decision.recommendations:
        for level in LEVELS:
            answer = item.levels[level]
            cells[(item.function, level)] = ComparisonCell(
                degree=answer.degree,
                feasible_degree=answer.feasible_degree,
                lead=item.lead,
                barriers=tuple(barrier for barrier in item.barriers if barrier.level == level),
            )
    return cells


def _against(cell: ComparisonCell, base: ComparisonCell | None) -> ComparisonCell:
    """`cell` with what moved since the baseline's `base`."""
    if base is None:
        return cell
    return ComparisonCell(
        degree=cell.degree,
        feasible_degree=cell.feasible_degree,
        lead=cell.lead,
        barriers=cell.barriers,
        degree_moved=cell.degree != base.degree,
        feasible_moved=cell.feasible_degree != base.feasible_degree,
        lead_moved=cell.lead != base.lead,
        barriers_added=tuple(b for b in cell.barriers if b not in base.barriers),
        barriers_removed=tuple(b for b in base.barriers if b not in cell.barriers),
        feasible_delta=degree_rank(cell.feasible_degree) - degree_rank(base.feasible_degree),
    )


def _evaluate(facts, compiled, language: str, scenario: Scenario | None):
    """(column, cells) of one column; a scenario that no longer fits the facts has errors."""
    merged = facts if scenario is None else scenario_facts(facts=facts, changes=scenario.changes)
    try:
        decision = engine.evaluate(engine.facts_from_dict(merged), compiled, language=language)
    except engine.ContradictoryFacts as error:
        message = contradiction_message(error)
        return ComparisonColumn(
            scenario, errors=((scenario_path(error.path, merged), message),)
        ), {}
    except engine.FactError as error:
        path = scenario_path(error.path, merged)
        return ComparisonColumn(scenario, errors=((path, error.message),)), {}
    if not decision.applicable:
        return ComparisonColumn(scenario, applicable=False, reason=decision.reason or ""), {}
    return ComparisonColumn(scenario), _level_cells(decision)


def scenario_comparison_get(
    *, assessment: Assessment, scenarios: list[Scenario], language: str | None = None
) -> Comparison:
    """The baseline and `scenarios` (in the order given; callers show at most MAX_COMPARED)
    under the current published rulebook; the engine's texts read in `language`.

    Queries: the assessment's function rows (one) and the published rulebook (cached after
    its first read), whatever the number of scenarios.
    """
    rows = list(
        FunctionAssessment.objects.filter(assessment_id=assessment.pk).select_related("function")
    )
    facts = facts_dict_build(assessment=assessment, rows=rows)
    rulebook, compiled = rulebook_published_get()
    columns_cells = [
        _evaluate(facts, compiled, reader_language(language), scenario)
        for scenario in (None, *scenarios)
    ]
    columns = tuple(column for column, _ in columns_cells)
    if not facts["functions"]:
        return Comparison(rulebook_version=rulebook.version, columns=columns, no_function=True)
    baseline = columns_cells[0][1]
    functions = sorted(
        (row.function for row in rows if row.in_mandate), key=lambda f: (f.position, f.code)
    )
    comparison_rows = tuple(
        ComparisonRow(
            function=function,
            level=level,
            cells=tuple(
                _cell_against(cells, baseline, (function.code, level), first=index == 0)
                for index, (_, cells) in enumerate(columns_cells)
            ),
        )
        for function in functions
        for level in LEVELS
    )
    return Comparison(rulebook_version=rulebook.version, columns=columns, rows=comparison_rows)


def _cell_against(cells, baseline, key, *, first: bool) -> ComparisonCell | None:
    cell = cells.get(key)
    if cell is None or first:
        return cell
    return _against(cell, baseline.get(key))
