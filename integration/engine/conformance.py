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
thresholds the rulebook tests, yet stays short enough to run on every upload and publication.
"""

from __future__ import annotations

import random
from dataclasses import replace
from itertools import pairwise
from typing import Any

from .combine import Outcome, combine
from .decision import decision_to_json
from .evaluate import evaluate
from .facts import (
    CONTEXT_FACTS,
    FACT_SPECS,
    Context,
    Facts,
    FunctionFacts,
    context_contradictions,
    function_contradiction,
)
from .plan import (
    DEGREE_NAMES,
    LEVEL_NAMES,
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
from .violations import Violation, outcome_violation
from .vocabulary import DIMENSIONS, FUNCTIONS, values

SEED = 2007
# Each context is sampled with all 12 functions: enough to meet every value of every fact many
# times over, few enough to check a rulebook while an admin waits.
CONTEXTS = 240
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


class ConformanceError(RulebookError):
    """A rulebook loads but breaks an invariant; `violation` says which, and where."""

    def __init__(self, violation: Violation) -> None:
        super().__init__(str(violation))
        self.violation = violation


def _contexts(plan: Plan, rng: random.Random, count: int, *, applicable: bool) -> list[Context]:
    """`count` contexts drawn with `rng`; every enum value and boolean comes up many times."""
    months = sorted(plan.thresholds["context.drawdown_within_months"] | {0, 12, 13, 240})
    found: list[Context] = []
    while len(found) < count:
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
        if context_contradictions(drawn):
            continue  # the engine refuses it (invariant 12)
        found.append(Context(**drawn))
    return found


def _facts_of(context: Context) -> dict[str, Any]:
    return {name: getattr(context, name) for name in CONTEXT_FACTS}


def _function(
    code: str, default: tuple[str, ...], rng: random.Random, context: Context
) -> FunctionFacts:
    """One function's facts: its catalogue dimensions, or those with a humanitarian or the
    linked components (where full integration is argued), or any non-empty set; funded from a
    pooled fund only where the context has one (invariant 12)."""
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
        funding_source=rng.choice(
            [
                funding
                for funding in FACT_SPECS["function.funding_source"].choices
                if function_contradiction(context.pooled_fund, funding) is None
            ]
        ),
    )


def _outcome(
    plan: Plan, context: Context, function: FunctionFacts, shared: frozenset[int]
) -> Outcome:
    """One function combined in one context (`shared`: the context's fired rules)."""
    return combine(plan, fired_rules(plan, context, function, shared), context, function.function)


def refusal_violation(plan: Plan, rng: random.Random, contexts: int) -> Violation | None:
    """Invariant 6: the rules themselves must refuse observer missions and countries without a
    UNCT."""
    for context in _contexts(plan, rng, max(contexts // 8, 10), applicable=False):
        if not applicable_rules(plan, context):
            kind = (
                "an observer mission" if context.presence_type == "observer_mission" else "no UNCT"
            )
            fault = f"no not_applicable rule fires for {kind} (the engine had to refuse it itself)"
            return Violation(6, fault, context)
    return None


def escalation_violation(
    plan: Plan, context: Context, functions: list[FunctionFacts]
) -> Violation | None:
    """Invariant 9: escalating, one step at a time, never raises a humanitarian function."""
    humanitarian = [function for function in functions if "humanitarian" in function.dimensions]
    for fact, ladder in ESCALATIONS.items():
        steps = [
            replace(context, **{fact: value})
            for value in ladder
            if not context_contradictions({**_facts_of(context), fact: value})
        ]
        if any(applicable_rules(plan, step) for step in steps):
            continue
        fired_by_step = [context_fired(plan, step) for step in steps]
        for function in humanitarian:
            degrees = [
                _outcome(plan, step, function, shared).degree
                for step, shared in zip(steps, fired_by_step, strict=True)
            ]
            for (lower, before), (step, now) in pairwise(zip(steps, degrees, strict=True)):
                for level in (S, P, A):
                    if now[level] > before[level]:
                        fault = (
                            f"raising {fact} from {getattr(lower, fact)} to "
                            f"{getattr(step, fact)} raises the {LEVEL_NAMES[level]} "
                            f"degree of {function.function} from "
                            f"{DEGREE_NAMES[before[level]]} to {DEGREE_NAMES[now[level]]}"
                        )
                        return Violation(9, fault, lower, function)
    return None


def _enabler_fault(
    plan: Plan, change: str, code: str, before: Outcome, after: Outcome
) -> str | None:
    """How enabling `change` made one function's answer worse, if it did."""
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


def enabler_violation(
    plan: Plan,
    context: Context,
    shared: frozenset[int],
    functions: list[FunctionFacts],
    outcomes: list[Outcome],
) -> Violation | None:
    """Invariant 10: an enabler added (a context enabler, better funding) never lowers a feasible
    degree nor adds a barrier."""
    for name in CONTEXT_ENABLERS:
        if getattr(context, name):
            continue
        enabled = replace(context, **{name: True})
        if applicable_rules(plan, enabled):
            continue
        enabled_shared = context_fired(plan, enabled)
        for function, before in zip(functions, outcomes, strict=True):
            after = _outcome(plan, enabled, function, enabled_shared)
            fault = _enabler_fault(plan, f"{name} true", function.function, before, after)
            if fault is not None:
                return Violation(10, fault, context, function)
    for function, before in zip(functions, outcomes, strict=True):
        for funding in FUNDING_UPGRADES.get(function.funding_source, ()):
            if function_contradiction(context.pooled_fund, funding):
                continue
            better = replace(function, funding_source=funding)
            after = _outcome(plan, context, better, shared)
            fault = _enabler_fault(plan, f"funding {funding}", function.function, before, after)
            if fault is not None:
                return Violation(10, fault, context, function)
    return None


def determinism_violation(
    rulebook: Rulebook, context: Context, functions: list[FunctionFacts]
) -> Violation | None:
    """Invariant 8: evaluating the same facts twice gives the same bytes."""
    facts = Facts(context, tuple(functions))
    first = decision_to_json(evaluate(facts, rulebook, what_if=True))
    if decision_to_json(evaluate(facts, rulebook, what_if=True)) != first:
        return Violation(8, "evaluating the same facts twice gave two answers", context)
    return None


def sample_violation(
    rulebook: Rulebook, context: Context, functions: list[FunctionFacts], *, whole: bool
) -> Violation | None:
    """The first invariant broken in one applicable context, for its sampled functions; with
    `whole`, the whole answer is evaluated twice too (invariant 8)."""
    plan = plan_for(rulebook)
    shared = context_fired(plan, context)
    outcomes = []
    for function in functions:
        outcome = _outcome(plan, context, function, shared)
        violation = outcome_violation(plan, outcome, context, function)
        if violation is not None:
            return violation
        outcomes.append(outcome)
    return (
        escalation_violation(plan, context, functions)
        or enabler_violation(plan, context, shared, functions, outcomes)
        or (determinism_violation(rulebook, context, functions) if whole else None)
    )


def find_violation(rulebook: Rulebook, *, contexts: int = CONTEXTS) -> Violation | None:
    """The first invariant the rulebook breaks on the sample, or None."""
    plan = plan_for(rulebook)
    rng = random.Random(SEED)
    violation = refusal_violation(plan, rng, contexts)
    if violation is not None:
        return violation
    specs = [(spec.code, spec.default_dimensions) for spec in FUNCTIONS]
    for number, context in enumerate(_contexts(plan, rng, contexts, applicable=True)):
        if applicable_rules(plan, context):
            continue  # a rulebook may narrow where the policy applies
        functions = [_function(code, default, rng, context) for code, default in specs]
        # Invariant 8 on a few whole answers only: each costs two evaluations with what-if.
        violation = sample_violation(rulebook, context, functions, whole=number < 4)
        if violation is not None:
            return violation
    return None


def check_conformance(rulebook: Rulebook) -> None:
    """Raise ConformanceError naming the invariant and a counterexample, if the sample finds one."""
    violation = find_violation(rulebook)
    if violation is not None:
        raise ConformanceError(violation)
