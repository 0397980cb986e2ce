"""Barriers as a report shows them: the engine words a barrier once per function and level; a
report lists each barrier once, with every (function, level) it stands in the way of."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils.text import get_text_list
from django.utils.translation import gettext

from assessments.engine_texts import reader_language
from integration.engine import vocabulary
from integration.engine.texts_en import NAMES_IN_SENTENCE
from integration.engine.texts_fr import FUNCTION_NAMES_FR
from missions.models import Function

LEVELS = vocabulary.values(vocabulary.LEVELS)


@dataclass
class Affected:
    function: Function
    levels: list[str]


@dataclass
class Barrier:
    """One barrier, once, with every (function, level) it stands in the way of."""

    category: str
    remedy: str
    explanation: str
    affects: list[Affected]
    # The same functions grouped by the levels they are affected at (one short line each).
    by_levels: list[tuple[tuple[str, ...], list[Function]]]
    pairs: list[tuple[Function, str]]


def _names_in_sentence() -> dict[str, str]:
    """Function names as the engine writes them inside a sentence, in the reader's language."""
    return FUNCTION_NAMES_FR if reader_language() == "fr" else NAMES_IN_SENTENCE


@dataclass
class _MergedBarrier:
    category: str
    remedy: str
    template: str
    affects: dict[int, tuple[Function, list[str]]] = field(default_factory=dict)
    pairs: list[tuple[Function, str]] = field(default_factory=list)


def barriers_merged(functions: list[tuple[Function, list[dict[str, Any]]]]) -> list[Barrier]:
    """One entry per barrier, listing every (function, level) it stands in the way of.

    The engine words a barrier for each function ("... no administrative link for DDR."), so
    the same barrier comes once per function and level. Entries with the same category, remedy
    and wording (the function's name aside) are one barrier; its explanation names all the
    functions it affects.
    """
    merged: dict[tuple[str, str, str], _MergedBarrier] = {}
    in_sentence = _names_in_sentence()
    for function, barriers in functions:
        # The engine names a function in lower case inside a sentence ("for rule of law") and
        # capitalised at its start, so both forms stand for the function (longest first: the
        # French name carries its article, "le DDR").
        name = in_sentence.get(function.code, str(function.name))
        forms = sorted({name, name[:1].upper() + name[1:]}, key=len, reverse=True)
        for barrier in barriers:
            template = barrier["explanation"]
            for form in forms if name else ():
                template = template.replace(form, "\x00")
            key = (barrier["category"], barrier["remedy"], template)
            entry = merged.setdefault(
                key, _MergedBarrier(barrier["category"], barrier["remedy"], template)
            )
            levels = entry.affects.setdefault(function.pk, (function, []))[1]
            if barrier["level"] not in levels:
                levels.append(barrier["level"])
                entry.pairs.append((function, barrier["level"]))
    return [_barrier_worded(entry, in_sentence) for entry in merged.values()]


def _barrier_worded(entry: _MergedBarrier, in_sentence: dict[str, str]) -> Barrier:
    affects = [
        Affected(function=function, levels=sorted(levels, key=level_index))
        for function, levels in entry.affects.values()
    ]
    names = get_text_list(
        [in_sentence.get(a.function.code, str(a.function.name)) for a in affects],
        gettext("and"),
    )
    explanation = entry.template.replace("\x00", names)
    by_levels: dict[tuple[str, ...], list[Function]] = {}
    for a in affects:
        by_levels.setdefault(tuple(a.levels), []).append(a.function)
    return Barrier(
        category=entry.category,
        remedy=entry.remedy,
        explanation=explanation[:1].upper() + explanation[1:],
        affects=affects,
        by_levels=list(by_levels.items()),
        pairs=entry.pairs,
    )


def barrier_register(barriers: list[Barrier]) -> list[tuple[str, list[Barrier]]]:
    """The barriers grouped by category, in the vocabulary's order of categories."""
    categories = vocabulary.values(vocabulary.BARRIER_CATEGORIES)
    by_category: dict[str, list[Barrier]] = defaultdict(list)
    for barrier in barriers:
        by_category[barrier.category].append(barrier)
    return sorted(
        by_category.items(),
        key=lambda pair: categories.index(pair[0]) if pair[0] in categories else 99,
    )


def top_barriers(barriers: list[Barrier], limit: int) -> list[Barrier]:
    """The barriers that stand in the way of the most (function, level) pairs, those of one
    category together (the most widespread category first)."""
    top = sorted(barriers, key=lambda b: -len(b.pairs))[:limit]
    first: dict[str, int] = {}
    for index, barrier in enumerate(top):
        first.setdefault(barrier.category, index)
    return sorted(top, key=lambda b: first[b.category])


def level_index(level: str) -> int:
    return LEVELS.index(level) if level in LEVELS else len(LEVELS)
