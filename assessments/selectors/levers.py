"""The levers of an assessment's current evaluation, as the recommendation page shows them.

The engine finds them (integration/engine/levers.py) from the evaluation's facts snapshot under
its own rulebook, so they belong to the matrix on the same page; this module only puts the
engine's codes into the reader's words. No query: the caller loads the evaluation's rulebook.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.utils.translation import gettext

from assessments.engine_texts import reader_language
from assessments.selectors.labels import fact_value_label
from assessments.templatetags.function_labels import function_label
from integration import engine
from integration.engine.facts import FACT_SPECS
from integration.engine.lever_texts import CARRIER_LABELS
from integration.engine.levers import FactChange, Lever, levers
from integration.services import rulebook_engine_get

# The page shows the strongest few; the engine ranks them all.
LEVERS_SHOWN = 8
# The engine's levers by (facts, rulebook content, language): the answer depends on nothing
# else, and the search costs tens of milliseconds, so each process keeps the most recent ones
# (oldest dropped first). An evaluation's facts and rulebook never change.
_found: dict[tuple[str, str, str, int | None], tuple[Lever, ...]] = {}
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


def evaluation_levers(*, evaluation, language: str, limit: int | None) -> tuple[Lever, ...]:
    """The engine's levers of `evaluation` (its facts, its rulebook), the strongest `limit` (None:
    all); empty where it was not applicable or its snapshot no longer reads. No query."""
    if evaluation is None or not evaluation.applicable:
        return ()
    facts_key = json.dumps(evaluation.facts, sort_keys=True)
    key = (facts_key, evaluation.rulebook.checksum, language, limit)
    found = _found.get(key)
    if found is None:
        try:
            facts = engine.facts_from_dict(evaluation.facts)
        except engine.FactError:
            return ()
        compiled = rulebook_engine_get(rulebook=evaluation.rulebook)
        found = levers(facts, compiled, language=language, limit=limit)
        if len(_found) >= _FOUND_KEPT:
            _found.pop(next(iter(_found)), None)
        _found[key] = found
    return found


def assessment_levers_get(*, evaluation, language: str | None = None) -> list[LeverView]:
    """The strongest levers of `evaluation` in `language` (default: the active one)."""
    found = evaluation_levers(
        evaluation=evaluation, language=reader_language(language), limit=LEVERS_SHOWN
    )
    return [_view(lever) for lever in found]
