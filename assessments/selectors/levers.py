"""The levers of an assessment's current evaluation, as the recommendation page shows them.

The engine finds them (integration/engine/levers.py) from the evaluation's facts snapshot under
its own rulebook, so they belong to the matrix on the same page; this module only puts the
engine's codes into the reader's words. No query: the caller loads the evaluation's rulebook.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext

from assessments.engine_texts import reader_language
from assessments.levers_cache import (
    cached_levers_get_many,
    cached_levers_set_many,
    levers_compute,
    levers_key,
)
from assessments.selectors.labels import fact_value_label
from assessments.templatetags.function_labels import function_label
from integration.engine.facts import FACT_SPECS
from integration.engine.lever_texts import CARRIER_LABELS
from integration.engine.levers import FactChange, Lever

# The page shows the strongest few; the engine ranks them all.
LEVERS_SHOWN = 8
# Every lever by the shared cache's key (assessments/levers_cache.py): each process also keeps
# the most recent ones (oldest dropped first), which saves the shared cache's round trip.
_found: dict[str, tuple[Lever, ...]] = {}
_FOUND_KEPT = 512


@dataclass(frozen=True)
class LeverFact:
    label: str  # "Cadre stratégique commun" or "DDR · funding source"
    before: str
    after: str


@dataclass(frozen=True)
class LeverCell:
    function: str
    level: str
    degree: tuple[str, str]
    feasible: tuple[str, str]


@dataclass(frozen=True)
class LeverBarrier:
    category: str
    level: str
    functions: list[str]
    remedy: str


@dataclass(frozen=True)
class LeverView:
    """One lever in the reader's language."""

    condition: str
    facts: list[LeverFact]
    closes: list[LeverCell]
    raises: list[LeverCell]
    barriers: list[LeverBarrier]
    carriers: list[str]


def lever_fact(change: FactChange) -> LeverFact:
    label = gettext(FACT_SPECS[change.fact].label)
    label = label[:1].upper() + label[1:]
    if change.function is not None:
        label = f"{function_label(change.function)} · {label}"
    return LeverFact(
        label=label,
        before=fact_value_label(change.fact, change.from_value),
        after=fact_value_label(change.fact, change.to_value),
    )


def _view(lever: Lever) -> LeverView:
    moves = {(move.function, move.level): move for move in lever.moves}

    def cell(function: str, level: str) -> LeverCell:
        move = moves[(function, level)]
        return LeverCell(function_label(function), level, move.degree, move.feasible)

    return LeverView(
        condition=lever.condition,
        facts=[lever_fact(change) for change in lever.changes],
        closes=[cell(*item) for item in lever.closes],
        raises=[cell(*item) for item in lever.raises],
        barriers=[
            LeverBarrier(
                category=barrier.category,
                level=barrier.level,
                functions=[function_label(code) for code in barrier.functions],
                remedy=barrier.remedy,
            )
            for barrier in lever.barriers
        ],
        carriers=[gettext(CARRIER_LABELS[code]) for code in lever.carriers],
    )


def evaluations_levers(*, evaluations: list, language: str) -> list[tuple[Lever, ...]]:
    """Every lever of each of `evaluations` (strongest first; empty for None, one not applicable
    or one whose snapshot no longer reads), in their order: from this process's recent ones,
    then the shared cache in one round trip, then the engine (kept in both). No query."""
    keys = [
        levers_key(evaluation=evaluation, language=language)
        if evaluation is not None and evaluation.applicable
        else None
        for evaluation in evaluations
    ]
    known = {key: _found[key] for key in keys if key in _found}
    known |= cached_levers_get_many([key for key in keys if key and key not in known])
    pending = {
        key: evaluation
        for key, evaluation in zip(keys, evaluations, strict=True)
        if key and key not in known
    }
    computed = {
        key: levers_compute(evaluation=evaluation, language=language)
        for key, evaluation in pending.items()
    }
    cached_levers_set_many(computed)
    known |= computed
    for key, value in known.items():
        _keep(key, value)
    return [known[key] if key else () for key in keys]


def _keep(key: str, value: tuple[Lever, ...]) -> None:
    if key not in _found and len(_found) >= _FOUND_KEPT:
        _found.pop(next(iter(_found)), None)
    _found[key] = value


def evaluation_levers(*, evaluation, language: str, limit: int | None) -> tuple[Lever, ...]:
    """The engine's levers of `evaluation` (its facts, its rulebook), the strongest `limit` (None:
    all); empty where it was not applicable or its snapshot no longer reads. No query."""
    (found,) = evaluations_levers(evaluations=[evaluation], language=language)
    return found[:limit]


def assessment_levers_get(*, evaluation, language: str | None = None) -> list[LeverView]:
    """The strongest levers of `evaluation` in `language` (default: the active one)."""
    found = evaluation_levers(
        evaluation=evaluation, language=reader_language(language), limit=LEVERS_SHOWN
    )
    return [_view(lever) for lever in found]
