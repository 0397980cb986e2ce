"""The invariants of shared/domain.md §6 as the conformance check states them, the `Violation`
it reports, and the checks of one combined answer (invariants 1-5, 7 and 11). The checks across
answers (6, 8, 9 and 10) and the sample they run on are in conformance.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .combine import GUARD_HUMANITARIAN, GUARD_OPEN_COMBAT, GUARD_REVERSIBILITY, Outcome
from .facts import CONTEXT_FACTS, Context, FunctionFacts
from .plan import DEGREE_NAMES, FULL, LEVEL_NAMES, PARALLEL, PARTIAL, A, P, Plan, S

INVARIANTS = {
    1: "programmatic integration never exceeds strategic integration",
    2: "administrative full needs programmatic full, and with parallel programmes "
    "administration is at most partial, through common services only",
    3: "full programmatic integration only with a P2 necessity rule in its trace",
    4: "humanitarian coordination is parallel at the programmatic and administrative levels, "
    "and at every level under open combat",
    5: "no full programmatic integration in transition or with a drawdown within 12 months",
    6: "observer missions and countries without a UNCT are not applicable",
    7: "every level carries a rule and every barrier a remedy",
    8: "the same facts give the same answer, byte for byte",
    9: "escalation never raises the degree of a function with a humanitarian dimension",
    10: "adding an enabler never lowers a feasible degree nor adds a barrier",
    11: "the feasible degree never exceeds the degree, and a barrier at that level explains "
    "every gap",
    12: "contradictory facts are refused, never evaluated",
    13: "a trace never states as a decision what the engine set aside",
}


@dataclass(frozen=True)
class Violation:
    """One invariant broken, and the facts that break it."""

    invariant: int
    fault: str
    context: Context
    function: FunctionFacts | None = None

    def __str__(self) -> str:
        facts = ", ".join(
            f"{name}={show_value(getattr(self.context, name))}" for name in CONTEXT_FACTS
        )
        where = f"context {facts}"
        if self.function is not None:
            item = self.function
            where += (
                f"; function {item.function} (dimensions {', '.join(item.dimensions)}, "
                f"conflicting_imperatives={show_value(item.conflicting_imperatives)}, "
                f"unct_programmes={show_value(item.unct_programmes)}, "
                f"funding_source={item.funding_source})"
            )
        return (
            f"The rulebook breaks invariant {self.invariant} ({INVARIANTS[self.invariant]}): "
            f"{self.fault}. Counterexample: {where}."
        )


def show_value(value: Any) -> str:
    """A fact value as a rulebook writes it."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    return str(value)


def _coupling_violation(
    outcome: Outcome, context: Context, function: FunctionFacts
) -> Violation | None:
    """Invariants 1 and 2, on the degrees and then on the feasible degrees."""
    code = function.function
    for name, answer in (("degree", outcome.degree), ("feasible degree", outcome.feasible)):
        if answer[P] > answer[S]:
            fault = f"the programmatic {name} of {code} is above its strategic {name}"
            return Violation(1, fault, context, function)
        if answer[A] == FULL and answer[P] != FULL:
            fault = f"the administrative {name} of {code} is full without full programmes"
            return Violation(2, fault, context, function)
        link = PARTIAL if context.common_services else PARALLEL
        if answer[P] == PARALLEL and answer[A] > link:
            fault = (
                f"with parallel programmes, the administrative {name} of {code} is "
                f"{DEGREE_NAMES[answer[A]]}, above what common services allow"
            )
            return Violation(2, fault, context, function)
    return None


# The engine's guards of invariants 4 and 5 (combine.py step 5): where one shows in a trace, the
# rules left the invariant to the engine, which a rulebook may not do.
GUARD_FAULTS = {
    GUARD_HUMANITARIAN: (
        4,
        "the rules call for more than parallel programmes or administration for humanitarian "
        "coordination (the engine had to hold them at parallel)",
    ),
    GUARD_OPEN_COMBAT: (
        4,
        "under open combat the rules call for more than a parallel strategy for humanitarian "
        "coordination (the engine had to hold it at parallel)",
    ),
    GUARD_REVERSIBILITY: (
        5,
        "the rules call for full programmatic integration of {code} near transition or "
        "drawdown (the engine had to hold it at partial)",
    ),
}


def _guard_violation(
    outcome: Outcome, context: Context, function: FunctionFacts
) -> Violation | None:
    """Invariants 4 and 5: a guard of the engine had to act."""
    guards = {
        entry[0] for entries in outcome.trace for entry in entries if isinstance(entry, tuple)
    }
    for guard, (invariant, fault) in GUARD_FAULTS.items():
        if guard in guards:
            return Violation(invariant, fault.format(code=function.function), context, function)
    return None


def _necessity_violation(
    plan: Plan, outcome: Outcome, context: Context, function: FunctionFacts
) -> Violation | None:
    """Invariant 3: full programmatic integration only with a P2 necessity rule in its trace."""
    if outcome.degree[P] != FULL:
        return None
    trace = outcome.trace[P]
    necessity = [i for i in trace if isinstance(i, int) and plan.kind[i] == "necessity"]
    if not necessity:
        fault = f"programmatic integration of {function.function} is full with no necessity rule"
        return Violation(3, fault, context, function)
    for i in necessity:
        rule = plan.rules[i]
        if rule.principle != "P2":
            fault = f'the necessity rule "{rule.id}" cites {rule.principle}, not P2'
            return Violation(3, fault, context, function)
    return None


def _explanation_violation(
    plan: Plan, outcome: Outcome, context: Context, function: FunctionFacts
) -> Violation | None:
    """Invariant 7: every level carries a rule and every barrier a remedy."""
    for level, entries in enumerate(outcome.trace):
        if not entries:
            fault = f"the {LEVEL_NAMES[level]} level of {function.function} carries no rule"
            return Violation(7, fault, context, function)
    for i in outcome.barriers:
        if not plan.rules[i].effect.remedy.strip():
            return Violation(
                7, f'the barrier "{plan.rules[i].id}" has no remedy', context, function
            )
    return None


def _gap_violation(
    plan: Plan, outcome: Outcome, context: Context, function: FunctionFacts
) -> Violation | None:
    """Invariant 11, in its plain reading: feasible ≤ degree, and where they differ a barrier
    listed at that very level explains the gap (a barrier above that holds the level down
    through a coupling needs the level's own barrier too, naming the lever at this level)."""
    degree, feasible, code = outcome.degree, outcome.feasible, function.function
    levels_barred = {plan.levels[i][0] for i in outcome.barriers}
    levels_barred.update(level for level, _category in outcome.held_from_above)
    for level in (S, P, A):
        if feasible[level] > degree[level]:
            fault = f"the feasible {LEVEL_NAMES[level]} degree of {code} is above its degree"
            return Violation(11, fault, context, function)
        if feasible[level] < degree[level] and level not in levels_barred:
            fault = (
                f"the feasible {LEVEL_NAMES[level]} degree of {code} is below its degree "
                "with no barrier listed at that level"
            )
            return Violation(11, fault, context, function)
    return None


def _set_aside_violation(
    plan: Plan, outcome: Outcome, context: Context, function: FunctionFacts
) -> Violation | None:
    """Invariant 13: each level's trace opens with what decided it; every floor, cap or lead
    that fired without deciding is marked as set aside, with the entry that decided."""
    code = function.function
    for level, entries in enumerate(outcome.trace):
        aside = dict(outcome.set_aside[level])
        first = entries[0]
        if first in aside.values() and isinstance(first, int) and plan.kind[first] == "barrier":
            fault = f"the {LEVEL_NAMES[level]} trace of {code} opens with a barrier"
            return Violation(13, fault, context, function)
        for position, by in aside.items():
            if entries[position] == by:
                fault = f"a {LEVEL_NAMES[level]} entry of {code} is set aside in its own favour"
                return Violation(13, fault, context, function)
        leads = [i for i in entries if isinstance(i, int) and plan.kind[i] == "lead"]
        if leads and outcome.lead is not None:
            unmarked = [
                i
                for position, i in enumerate(entries)
                if i in leads and i != outcome.lead and position not in aside
            ]
            if unmarked:
                rule = plan.rules[unmarked[0]].id
                fault = f'the lead rule "{rule}" lost for {code} but is not marked as set aside'
                return Violation(13, fault, context, function)
    return None


def outcome_violation(
    plan: Plan, outcome: Outcome, context: Context, function: FunctionFacts
) -> Violation | None:
    """The first of invariants 1-5, 7, 11 and 13 that one combined answer breaks, if any."""
    return (
        _coupling_violation(outcome, context, function)
        or _guard_violation(outcome, context, function)
        or _necessity_violation(plan, outcome, context, function)
        or _explanation_violation(plan, outcome, context, function)
        or _gap_violation(plan, outcome, context, function)
        or _set_aside_violation(plan, outcome, context, function)
    )
