"""What-if: the single-fact changes that would move a degree or a feasible degree.

Nothing here is written by hand per rule: each candidate change is run through the same rules
and the same combination (combine.py), and only changes that move an output are kept.

Candidates: each context fact to each other value (numbers: null and the values either side of
every threshold the rulebook tests), each per-function boolean flipped, `funding_source` to each
other value, one dimension added or removed (a function keeps at least one). Changes that would
make integration policy inapplicable (P16) are left out: they move no degree, they end the
assessment.

Each suggestion is one change at one level: `output` is `degree` when the degree moves (the
sentence also says what the feasible degree does) and `feasible_degree` when only that moves,
so one sentence tells the planner everything one change does to one level. Changes with the
same effect on a level are one suggestion naming them all, and suggestions that lift a barrier
come first (what_if_sentences.py).

Speed: a change can only alter a function's outcome through the rules that read the changed fact
(plus the facts the combination itself reads, combine.COMBINATION_FACTS), so only those rules
are re-tested, and a function whose fired rules stay the same is skipped. Context changes are
built once and tried on every function; per-function changes only on their function.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .combine import COMBINATION_FACTS, COMBINATION_THRESHOLDS, Outcome, combine, engine_refuses
from .decision import WhatIf
from .facts import (
    CONTEXT_FACTS,
    FACT_SPECS,
    Context,
    Facts,
    FunctionFacts,
    context_contradictions,
    function_contradiction,
)
from .plan import LEVEL_NAMES, Plan
from .texts_en import NAMES_IN_SENTENCE
from .texts_fr import FUNCTION_NAMES_FR
from .what_if_sentences import Move, arranged


def context_candidates(plan: Plan, name: str, current: Any) -> list[Any]:
    spec = FACT_SPECS[f"context.{name}"]
    if spec.kind == "bool":
        return [not current]
    if spec.kind == "enum":
        return [value for value in spec.choices if value != current]
    numbers = sorted(plan.thresholds[spec.path].union(COMBINATION_THRESHOLDS.get(name, ())))
    return [value for value in [None, *numbers] if value != current]


def context_change_contradicts(
    context: Context, functions: tuple[FunctionFacts, ...], name: str, value: Any
) -> bool:
    """Whether changing one context fact to `value` contradicts another fact (invariant 12)."""
    changed = {**{f: getattr(context, f) for f in CONTEXT_FACTS}, name: value}
    return bool(context_contradictions(changed)) or any(
        function_contradiction(changed["pooled_fund"], function.funding_source)
        for function in functions
    )


def function_candidates(function: FunctionFacts) -> list[tuple[str, str, Any]]:
    """(fact path, attribute, new value) for every single change of one function's facts."""
    found: list[tuple[str, str, Any]] = [
        (
            "function.conflicting_imperatives",
            "conflicting_imperatives",
            not function.conflicting_imperatives,
        ),
        ("function.unct_programmes", "unct_programmes", not function.unct_programmes),
    ]
    found += [
        ("function.funding_source", "funding_source", value)
        for value in FACT_SPECS["function.funding_source"].choices
        if value != function.funding_source
    ]
    current = function.dimensions
    for dimension in FACT_SPECS["function.dimensions"].choices:
        if dimension in current:
            if len(current) > 1:
                found.append(
                    (
                        "function.dimensions",
                        "dimensions",
                        tuple(d for d in current if d != dimension),
                    )
                )
        else:
            found.append(("function.dimensions", "dimensions", (*current, dimension)))
    return found


def refire(
    plan: Plan, fired: frozenset[int], readers: tuple[int, ...], context, function
) -> frozenset[int]:
    rules = plan.rules
    kept = fired.difference(readers)
    return kept.union(i for i in readers if rules[i].condition.test(context, function))


def _moves(path: str, before: Any, after: Any, old: Outcome, new: Outcome) -> list[Move]:
    """What one change does to each level it moves."""
    return [
        Move(
            path,
            before,
            after,
            level,
            (old.degree[index], new.degree[index]),
            (old.feasible[index], new.feasible[index]),
        )
        for index, level in enumerate(LEVEL_NAMES)
        if (old.degree[index], old.feasible[index]) != (new.degree[index], new.feasible[index])
    ]


def what_ifs(
    plan: Plan,
    facts: Facts,
    fired: list[frozenset[int]],
    outcomes: list[Outcome],
    language: str = "en",
) -> list[list[WhatIf]]:
    """For each function of `facts`, in order, the what-ifs that move one of its outputs, their
    sentences in `language` ("en" or "fr"): equivalent changes merged, what helps first
    (what_if_sentences.py)."""
    context, functions = facts.context, facts.functions
    names = FUNCTION_NAMES_FR if language == "fr" else NAMES_IN_SENTENCE
    found: list[list[Move]] = [[] for _ in functions]
    applicability = [plan.rules[i].condition for i in plan.applicability]
    for name in CONTEXT_FACTS:
        path = f"context.{name}"
        readers = plan.readers.get(path, ())
        touches_coupling = name in COMBINATION_FACTS
        if not readers and not touches_coupling:
            continue
        current = getattr(context, name)
        for value in context_candidates(plan, name, current):
            if context_change_contradicts(context, functions, name, value):
                continue  # invariant 12: never suggest facts no mission can have together
            changed = replace(context, **{name: value})
            if engine_refuses(changed) or any(
                condition.test(changed, None) for condition in applicability
            ):
                continue
            for index, function in enumerate(functions):
                refired = refire(plan, fired[index], readers, changed, function)
                if refired == fired[index] and not touches_coupling:
                    continue
                outcome = combine(plan, refired, changed, function.function)
                found[index] += _moves(path, current, value, outcomes[index], outcome)
    for index, function in enumerate(functions):
        for path, attribute, value in function_candidates(function):
            readers = plan.readers.get(path, ())
            if not readers or (
                attribute == "funding_source" and function_contradiction(context.pooled_fund, value)
            ):
                continue
            changed = replace(function, **{attribute: value})
            refired = refire(plan, fired[index], readers, context, changed)
            if refired == fired[index]:
                continue
            outcome = combine(plan, refired, context, function.function)
            before = getattr(function, attribute)
            found[index] += _moves(
                path, before, getattr(changed, attribute), outcomes[index], outcome
            )
    return [
        arranged(moves, names[function.function], language)
        for moves, function in zip(found, functions, strict=True)
    ]
