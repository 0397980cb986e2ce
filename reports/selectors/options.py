"""The mission report's annex "Options considered": each scenario of the reported assessment,
its fact changes and what it moves against the baseline (assessments.selectors.scenarios).

The comparison evaluates the baseline (the assessment's saved facts) and every scenario under
the current published rulebook, which the annex names: it may be newer than the rulebook of the
recommendations the report shows above it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assessments.models import Assessment, FunctionAssessment
from assessments.selectors.facts import facts_dict_build
from assessments.selectors.labels import fact_label, fact_value_label, scenario_errors_text
from assessments.selectors.scenarios import (
    ComparisonCell,
    ComparisonColumn,
    scenario_comparison_get,
    scenarios_of,
)
from assessments.templatetags.function_labels import function_label
from integration import engine
from missions.models import Function


@dataclass(frozen=True)
class FactChange:
    """One fact an option changes: its label, the assessment's value and the option's."""

    label: str  # "Agency service agreements permitted" or "DDR · Funding source"
    current: str
    option: str


@dataclass(frozen=True)
class CellMove:
    """One function and level an option moves: (baseline, option) pairs and the barriers."""

    function: Function
    level: str
    degree: tuple[str, str]
    feasible_degree: tuple[str, str]
    lead: tuple[str, str]
    barriers_removed: tuple[engine.Barrier, ...]
    barriers_added: tuple[engine.Barrier, ...]


@dataclass(frozen=True)
class Option:
    """One scenario as the annex shows it; `not_compared` says why the engine gave no answer."""

    name: str
    note: str
    changes: list[FactChange]
    moves: list[CellMove]
    not_compared: str = ""


@dataclass(frozen=True)
class OptionsConsidered:
    rulebook_version: str  # "" when there is no option
    options: list[Option]


def _label(name: str, function: str | None = None) -> str:
    text = fact_label(f"function.{name}" if function else name)
    text = text[:1].upper() + text[1:]
    return f"{function_label(function)} · {text}" if function else text


def _fact_changes(facts: dict[str, Any], changes: dict[str, Any]) -> list[FactChange]:
    """The option's changes, context first, then per function in the mandate's order."""
    listed = [
        FactChange(
            _label(name),
            fact_value_label(name, facts["context"].get(name)),
            fact_value_label(name, value),
        )
        for name, value in changes.get("context", {}).items()
    ]
    per_function = changes.get("functions", {})
    for item in facts["functions"]:
        for name, value in per_function.get(item["function"], {}).items():
            listed.append(
                FactChange(
                    _label(name, item["function"]),
                    fact_value_label(name, item.get(name)),
                    fact_value_label(name, value),
                )
            )
    return listed


def _move(function: Function, level: str, base: ComparisonCell, cell: ComparisonCell):
    if not (cell.moved or cell.barriers_added or cell.barriers_removed):
        return None
    return CellMove(
        function=function,
        level=level,
        degree=(base.degree, cell.degree),
        feasible_degree=(base.feasible_degree, cell.feasible_degree),
        lead=(base.lead, cell.lead),
        barriers_removed=cell.barriers_removed,
        barriers_added=cell.barriers_added,
    )


def _not_compared(column: ComparisonColumn) -> str:
    if column.errors:
        return scenario_errors_text(column.errors)
    return column.reason if not column.applicable else ""


def mission_report_options(
    *, assessment: Assessment, rows: list[FunctionAssessment]
) -> OptionsConsidered:
    """The assessment's scenarios against its baseline. `rows` are its function rows with their
    functions (the report has them). One query without scenarios; with any, the comparison's
    (the function rows again and the published rulebook), whatever their number."""
    scenarios = scenarios_of(assessment_id=assessment.pk)
    if not scenarios:
        return OptionsConsidered(rulebook_version="", options=[])
    facts = facts_dict_build(assessment=assessment, rows=rows)
    comparison = scenario_comparison_get(assessment=assessment, scenarios=scenarios)
    options = []
    for index, scenario in enumerate(scenarios, start=1):
        moves = [
            move
            for row in comparison.rows
            if row.cells[0] is not None and row.cells[index] is not None
            for move in [_move(row.function, row.level, row.cells[0], row.cells[index])]
            if move is not None
        ]
        options.append(
            Option(
                name=scenario.name,
                note=scenario.note,
                changes=_fact_changes(facts, scenario.changes),
                moves=moves,
                not_compared=_not_compared(comparison.columns[index]),
            )
        )
    return OptionsConsidered(rulebook_version=comparison.rulebook_version, options=options)
