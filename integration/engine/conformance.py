"""Conformance: does a rulebook keep the 11 invariants of shared/domain.md §6?

The property tests prove the default rulebook against thousands of generated facts; an uploaded
rulebook gets this check instead, before it is stored and again before it is published. It runs
the rules over a deterministic sample of contexts × functions (the same rulebook always gets the
same verdict) and returns the first invariant broken, with the facts that break it.

The engine's guards (combine.py step 5, evaluate.py for P16) keep invariants 4, 5 and 6 in every
answer whatever the rules say; here they count as broken when a guard had to act, because a
rulebook must keep them by its own rules.

It is a sample, not a proof: a fault behind a rare conjunction of facts may slip through. The
sample covers every value of every fact many times over, both values of every boolean, and the
thresholds the rulebook tests, in about a second.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from typing import Any

from .combine import GUARD_HUMANITARIAN, GUARD_OPEN_COMBAT, GUARD_REVERSIBILITY, Outcome, combine
from .decision import decision_to_json
from .evaluate import evaluate
from .facts import CONTEXT_FACTS, FACT_SPECS, Context, Facts, FunctionFacts
from .plan import (
    DEGREE_NAMES,
    FULL,
    LEVEL_NAMES,
    PARALLEL,
    PARTIAL,
    A,
    P,
    Plan,
    S,
    applicable_rules,
    context_fired,
    fired_rules,
    plan_for,
)
from .rulebook import Rulebook, RulebookError
from .vocabulary import DIMENSIONS, FUNCTIONS, values
from .what_if import thresholds

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
    11: "the feasible degree never exceeds the degree, and a barrier explains every gap",
}
SEED = 2007
CONTEXTS = 240  # × 12 functions: about a second for a rulebook the size of the default
ESCALATIONS = {
    "force_posture": ("none", "deterrent", "open_combat"),
    "conflict_level": ("none", "low", "high"),
}
CONTEXT_ENABLERS = (
    "agency_service_agreements",
    "pooled_fund",
    "donors_in_planning",
    "common_services",
)
# Better funding, from each voluntary source (invariant 10).
FUNDING_UPGRADES = {
    "voluntary_unpledged": ("voluntary_pledged", "assessed", "pooled"),
    "voluntary_pledged": ("assessed", "pooled"),
}
_DIMENSIONS = values(DIMENSIONS)
_LINKED = ("political", "military", "development")


@dataclass(frozen=True)
class Violation:
    """One invariant broken, and the facts that break it."""

    invariant: int
    fault: str
    context: Context
    function: FunctionFacts | None = None

    def __str__(self) -> str:
        facts = ", ".join(f"{name}={_show(getattr(self.context, name))}" for name in CONTEXT_FACTS)
        where = f"context {facts}"
        if self.function is not None:
            item = self.function
            where += (
                f"; function {item.function} (dimensions {', '.join(item.dimensions)}, "
                f"conflicting_imperatives={_show(item.conflicting_imperatives)}, "
                f"unct_programmes={_show(item.unct_programmes)}, "
                f"funding_source={item.funding_source})"
            )
        return (
            f"The rulebook breaks invariant {self.invariant} ({INVARIANTS[self.invariant]}): "
            f"{self.fault}. Counterexample: {where}."
        )


class ConformanceError(RulebookError):
    """A rulebook loads but breaks an invariant; `violation` says which, and where."""

    def __init__(self, violation: Violation) -> None:
        super().__init__(str(violation))
        self.violation = violation


def _show(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    return str(value)


def _contexts(plan: Plan, rng: random.Random, count: int, *, applicable: bool) -> list[Context]:
    """`count` contexts drawn with `rng`; every enum value and boolean comes up many times."""
    months = sorted(thresholds(plan, "context.drawdown_within_months") | {0, 12, 13, 240})
    found = []
    for _ in range(count):
        drawn: dict[str, Any] = {}
        for name in CONTEXT_FACTS:
            spec = FACT_SPECS[f"context.{name}"]
            if spec.kind == "bool":
                drawn[name] = rng.random() < 0.5
            elif spec.kind == "enum":
                drawn[name] = rng.choice(spec.choices)
            else:
                drawn[name] = rng.choice([None, None, *months])
        if applicable:
            drawn["unct_present"] = True
            if drawn["presence_type"] == "observer_mission":
                drawn["presence_type"] = rng.choice(("multidimensional_pko", "hybrid"))
        elif drawn["presence_type"] != "observer_mission":
            drawn["unct_present"] = False
        found.append(Context(**drawn))
    return found


def _function(code: str, default: tuple[str, ...], rng: random.Random) -> FunctionFacts:
    """One function's facts: its catalogue dimensions, or those with a humanitarian or the
    linked components (where full integration is argued), or any non-empty set."""
    roll = rng.random()
    if roll < 0.3:
        dimensions = default
    elif roll < 0.55:
        dimensions = tuple(dict.fromkeys((*default, "humanitarian")))
    elif roll < 0.8:
        dimensions = tuple(dict.fromkeys((*_LINKED, *rng.sample(_DIMENSIONS, rng.randint(0, 2)))))
    else:
        dimensions = tuple(rng.sample(_DIMENSIONS, rng.randint(1, 3)))
    return FunctionFacts(
        function=code,
        dimensions=dimensions,
        conflicting_imperatives=rng.random() < 0.25,
        unct_programmes=rng.random() < 0.5,
        funding_source=rng.choice(FACT_SPECS["function.funding_source"].choices),
    )


def _check_outcome(plan: Plan, outcome: Outcome, context: Context, code: str) -> str | None:
    """The fault of one combined answer against invariants 1-5, 7 and 11, if any."""
    degree, feasible, trace = outcome.degree, outcome.feasible, outcome.trace
    for name, answer in (("degree", degree), ("feasible degree", feasible)):
        if answer[P] > answer[S]:
            return f"1|the programmatic {name} of {code} is above its strategic {name}"
        if answer[A] == FULL and answer[P] != FULL:
            return f"2|the administrative {name} of {code} is full without full programmes"
        link = PARTIAL if context.common_services else PARALLEL
        if answer[P] == PARALLEL and answer[A] > link:
            return (
                f"2|with parallel programmes, the administrative {name} of {code} is "
                f"{DEGREE_NAMES[answer[A]]}, above what common services allow"
            )
    guards = {entry[0] for entries in trace for entry in entries if isinstance(entry, tuple)}
    if GUARD_HUMANITARIAN in guards:
        return (
            "4|the rules call for more than parallel programmes or administration for "
            "humanitarian coordination (the engine had to hold them at parallel)"
        )
    if GUARD_OPEN_COMBAT in guards:
        return (
            "4|under open combat the rules call for more than a parallel strategy for "
            "humanitarian coordination (the engine had to hold it at parallel)"
        )
    if GUARD_REVERSIBILITY in guards:
        return (
            f"5|the rules call for full programmatic integration of {code} near transition or "
            "drawdown (the engine had to hold it at partial)"
        )
    if degree[P] == FULL:
        necessity = [i for i in trace[P] if isinstance(i, int) and plan.kind[i] == "necessity"]
        if not necessity:
            return f"3|programmatic integration of {code} is full with no necessity rule"
        for i in necessity:
            rule = plan.rules[i]
            if rule.principle != "P2":
                return f'3|the necessity rule "{rule.id}" cites {rule.principle}, not P2'
    for level, entries in enumerate(trace):
        if not entries:
            return f"7|the {LEVEL_NAMES[level]} level of {code} carries no rule"
    for i in outcome.barriers:
        if not plan.rules[i].effect.remedy.strip():
            return f'7|the barrier "{plan.rules[i].id}" has no remedy'
    levels_barred = {plan.levels[i][0] for i in outcome.barriers}
    for level in (S, P, A):
        if feasible[level] > degree[level]:
            return f"11|the feasible {LEVEL_NAMES[level]} degree of {code} is above its degree"
        if feasible[level] < degree[level] and not levels_barred & set(range(level + 1)):
            return (
                f"11|the feasible {LEVEL_NAMES[level]} degree of {code} is below its degree "
                "with no barrier at that level or above it"
            )
    return None


def find_violation(rulebook: Rulebook, *, contexts: int = CONTEXTS) -> Violation | None:
    """The first invariant the rulebook breaks on the sample, or None."""
    plan = plan_for(rulebook)
    rng = random.Random(SEED)

    # Invariant 6: the rules themselves must refuse these contexts.
    for context in _contexts(plan, rng, max(contexts // 8, 10), applicable=False):
        if not applicable_rules(plan, context):
            kind = (
                "an observer mission" if context.presence_type == "observer_mission" else "no UNCT"
            )
            fault = f"no not_applicable rule fires for {kind} (the engine had to refuse it itself)"
            return Violation(6, fault, context)

    specs = [(spec.code, spec.default_dimensions) for spec in FUNCTIONS]
    for number, context in enumerate(_contexts(plan, rng, contexts, applicable=True)):
        if applicable_rules(plan, context):
            continue  # a rulebook may narrow where the policy applies
        functions = [_function(code, default, rng) for code, default in specs]
        shared = context_fired(plan, context)
        outcomes = []
        for function in functions:
            outcome = combine(
                plan, fired_rules(plan, context, function, shared), context, function.function
            )
            outcomes.append(outcome)
            fault = _check_outcome(plan, outcome, context, function.function)
            if fault is not None:
                invariant, text = fault.split("|", 1)
                return Violation(int(invariant), text, context, function)

        # Invariant 9: escalating, one step at a time, never raises a humanitarian function.
        for fact, ladder in ESCALATIONS.items():
            steps = [replace(context, **{fact: value}) for value in ladder]
            if any(applicable_rules(plan, step) for step in steps):
                continue
            fired_by_step = [context_fired(plan, step) for step in steps]
            for function in functions:
                if "humanitarian" not in function.dimensions:
                    continue
                previous = None
                for step, step_shared in zip(steps, fired_by_step, strict=True):
                    now = combine(
                        plan,
                        fired_rules(plan, step, function, step_shared),
                        step,
                        function.function,
                    ).degree
                    if previous is not None:
                        lower, before = previous
                        for level in (S, P, A):
                            if now[level] > before[level]:
                                fault = (
                                    f"raising {fact} from {getattr(lower, fact)} to "
                                    f"{getattr(step, fact)} raises the {LEVEL_NAMES[level]} "
                                    f"degree of {function.function} from "
                                    f"{DEGREE_NAMES[before[level]]} to {DEGREE_NAMES[now[level]]}"
                                )
                                return Violation(9, fault, lower, function)
                    previous = (step, now)

        # Invariant 10: an enabler added never lowers a feasible degree nor adds a barrier.
        for name in CONTEXT_ENABLERS:
            if getattr(context, name):
                continue
            enabled = replace(context, **{name: True})
            if applicable_rules(plan, enabled):
                continue
            enabled_shared = context_fired(plan, enabled)
            for function, before in zip(functions, outcomes, strict=True):
                after = combine(
                    plan,
                    fired_rules(plan, enabled, function, enabled_shared),
                    enabled,
                    function.function,
                )
                fault = _enabler_fault(plan, f"{name} true", function.function, before, after)
                if fault is not None:
                    return Violation(10, fault, context, function)
        for function, before in zip(functions, outcomes, strict=True):
            for funding in FUNDING_UPGRADES.get(function.funding_source, ()):
                better = replace(function, funding_source=funding)
                after = combine(
                    plan, fired_rules(plan, context, better, shared), context, function.function
                )
                fault = _enabler_fault(plan, f"funding {funding}", function.function, before, after)
                if fault is not None:
                    return Violation(10, fault, context, function)

        # Invariant 8, on a few whole answers: evaluating twice gives the same bytes.
        if number < 4:
            facts = Facts(context, tuple(functions))
            first = decision_to_json(evaluate(facts, rulebook, what_if=True))
            if decision_to_json(evaluate(facts, rulebook, what_if=True)) != first:
                return Violation(8, "evaluating the same facts twice gave two answers", context)
    return None


def _enabler_fault(
    plan: Plan, change: str, code: str, before: Outcome, after: Outcome
) -> str | None:
    for level in (S, P, A):
        if after.feasible[level] < before.feasible[level]:
            return (
                f"with {change}, the feasible {LEVEL_NAMES[level]} degree of {code} falls from "
                f"{DEGREE_NAMES[before.feasible[level]]} to {DEGREE_NAMES[after.feasible[level]]}"
            )
    added = [i for i in after.barriers if i not in before.barriers]
    if added:
        return f'with {change}, the barrier "{plan.rules[added[0]].id}" appears for {code}'
    return None


def check_conformance(rulebook: Rulebook) -> None:
    """Raise ConformanceError naming the invariant and a counterexample, if the sample finds one."""
    violation = find_violation(rulebook)
    if violation is not None:
        raise ConformanceError(violation)
