"""What-if suggestions put in order and worded: what helps first, and equivalent changes in one
sentence (issue 12: the list was cluttered with near-duplicates, and bad news came first).

A `Move` is what one single-fact change does to one level of one function. Moves with the same
effect on the same level (the degree from and to, the feasible degree from and to) are one
suggestion: the first found is its change, the others its alternatives, and its sentence names
them all ("If the political process also had a military, police or development component, …";
"If the peace process were in its transition phase or if a drawdown were planned within 12
months, …"). Suggestions then come in order of what they do for the planner:

1. the feasible degree rises (a barrier lifted), the largest rise first;
2. the feasible degree stays and only the degree moves;
3. the feasible degree falls (bad news), the smallest fall first;

within each, the one that leaves the smaller gap between degree and feasible degree first, then
the order found (context facts in the contract's order, then the function's own facts).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .decision import WhatIf, WhatIfAlternative
from .plan import DEGREE_NAMES
from .texts_fr import french_spacing
from .what_if_en import (
    BOOLEAN_PHRASES,
    CHOICE_PHRASES,
    DIMENSION_ADDED,
    DIMENSION_NAMES,
    DIMENSION_REMOVED,
    DRAWDOWN,
    NO_DRAWDOWN,
    opening_en,
    result_en,
)
from .what_if_fr import (
    BOOLEAN_PHRASES_FR,
    CHOICE_PHRASES_FR,
    DIMENSION_ADDED_FR,
    DIMENSION_NAMES_FR,
    DIMENSION_REMOVED_FR,
    DRAWDOWN_FR,
    NO_DRAWDOWN_FR,
    opening_fr,
    result_fr,
)


@dataclass(frozen=True, slots=True)
class Phrases:
    """How what-if sentences read in one language."""

    booleans: dict[str, tuple[str, str]]  # (when the fact becomes true, when false)
    choices: dict[str, dict[str, str]]
    dimensions: dict[str, str]
    no_drawdown: str
    drawdown: str  # takes {months}
    dimension_added: str  # take {name} and {dimension}
    dimension_removed: str
    result: Callable[[str, tuple[str, str], tuple[str, str]], str]
    opening: Callable[[str], str]
    or_word: str


PHRASES = {
    "en": Phrases(
        BOOLEAN_PHRASES,
        CHOICE_PHRASES,
        DIMENSION_NAMES,
        NO_DRAWDOWN,
        DRAWDOWN,
        DIMENSION_ADDED,
        DIMENSION_REMOVED,
        result_en,
        opening_en,
        "or",
    ),
    "fr": Phrases(
        BOOLEAN_PHRASES_FR,
        CHOICE_PHRASES_FR,
        DIMENSION_NAMES_FR,
        NO_DRAWDOWN_FR,
        DRAWDOWN_FR,
        DIMENSION_ADDED_FR,
        DIMENSION_REMOVED_FR,
        result_fr,
        opening_fr,
        "ou",
    ),
}


@dataclass(frozen=True, slots=True)
class Move:
    """What one single-fact change does to one level: degrees as ranks, (now, then)."""

    path: str
    before: Any
    after: Any
    level: str
    degree: tuple[int, int]
    feasible: tuple[int, int]


def condition(path: str, before: Any, after: Any, name: str, phrases: Phrases) -> str:
    """How one change reads after "If …"."""
    if path in phrases.booleans:
        return phrases.booleans[path][0 if after else 1].format(name=name)
    if path in phrases.choices:
        return phrases.choices[path][after].format(name=name)
    if path == "context.drawdown_within_months":
        return phrases.no_drawdown if after is None else phrases.drawdown.format(months=after)
    added = [d for d in after if d not in before]
    if added:
        return phrases.dimension_added.format(name=name, dimension=phrases.dimensions[added[0]])
    removed = [d for d in before if d not in after]
    return phrases.dimension_removed.format(name=name, dimension=phrases.dimensions[removed[0]])


def _listed(items: list[str], or_word: str) -> str:
    """ "a", "a or b", "a, b or c"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {or_word} {items[-1]}"


def _merged(texts: list[str], or_word: str) -> str | None:
    """Phrases of one fact that differ in the middle, as one: "the peace process were in its
    peacemaking or conflict prevention phase". None where they share no words at either end."""
    words = [text.split() for text in texts]
    shortest = min(len(w) for w in words)
    prefix = 0
    while prefix < shortest and len({w[prefix] for w in words}) == 1:
        prefix += 1
    suffix = 0
    while suffix < shortest - prefix and len({w[-1 - suffix] for w in words}) == 1:
        suffix += 1
    middles = [" ".join(w[prefix : len(w) - suffix]) for w in words]
    if not (prefix or suffix) or not all(middles):
        return None
    head, tail = " ".join(words[0][:prefix]), " ".join(words[0][len(words[0]) - suffix :])
    return " ".join(part for part in (head, _listed(middles, or_word), tail) if part)


def _clauses(moves: list[Move], name: str, phrases: Phrases) -> list[str]:
    """One clause per fact changed: a fact's several values in one clause where they read so,
    and of several drawdown horizons only the longest (a sooner one is within it)."""
    by_path: dict[str, list[Move]] = {}
    for move in moves:
        by_path.setdefault(move.path, []).append(move)
    clauses = []
    for path, found in by_path.items():
        if path == "context.drawdown_within_months":
            horizons = [move for move in found if move.after is not None]
            longest = max(horizons, key=lambda move: move.after, default=None)
            found = [move for move in found if move.after is None or move is longest]
        texts = [condition(m.path, m.before, m.after, name, phrases) for m in found]
        merged = _merged(texts, phrases.or_word) if len(texts) > 1 else texts[0]
        clauses += [merged] if merged else texts
    return clauses


def _opening(clauses: list[str], phrases: Phrases) -> str:
    """ "If a", "If a or if b", "If a, if b or if c" (French: "Si a ou si b")."""
    openings = [phrases.opening(clauses[0])]
    openings += [
        (opened := phrases.opening(clause))[:1].lower() + opened[1:] for clause in clauses[1:]
    ]
    return _listed(openings, phrases.or_word)


def sentence(moves: list[Move], name: str, language: str = "en") -> str:
    """One plain-language sentence for what one or more equivalent changes do to one level;
    `name` is the function's name as it reads inside a sentence of `language`."""
    phrases = PHRASES[language]
    first = moves[0]
    degree = (DEGREE_NAMES[first.degree[0]], DEGREE_NAMES[first.degree[1]])
    feasible = (DEGREE_NAMES[first.feasible[0]], DEGREE_NAMES[first.feasible[1]])
    opening = _opening(_clauses(moves, name, phrases), phrases)
    text = f"{opening}, {phrases.result(first.level, degree, feasible)}."
    return french_spacing(text) if language == "fr" else text


def _helps_first(moves: list[Move]) -> tuple[int, int, int]:
    (feasible_was, feasible_now), (_degree_was, degree_now) = moves[0].feasible, moves[0].degree
    rise = feasible_now - feasible_was
    return (0 if rise > 0 else 1 if rise == 0 else 2, -rise, degree_now - feasible_now)


def arranged(moves: list[Move], name: str, language: str = "en") -> list[WhatIf]:
    """The suggestions for one function: equivalent moves merged, what helps first."""
    groups: dict[tuple, list[Move]] = {}
    for move in moves:
        groups.setdefault((move.level, move.degree, move.feasible), []).append(move)
    found = []
    for group in sorted(groups.values(), key=_helps_first):
        first = group[0]
        was, now = first.degree if first.degree[0] != first.degree[1] else first.feasible
        found.append(
            WhatIf(
                fact=first.path,
                from_value=first.before,
                to_value=first.after,
                level=first.level,
                output="degree" if first.degree[0] != first.degree[1] else "feasible_degree",
                from_degree=DEGREE_NAMES[was],
                to_degree=DEGREE_NAMES[now],
                sentence=sentence(group, name, language),
                alternatives=tuple(
                    WhatIfAlternative(move.path, move.before, move.after) for move in group[1:]
                ),
                raises_feasible=first.feasible[1] > first.feasible[0],
            )
        )
    return found
