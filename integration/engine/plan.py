"""A rulebook indexed for evaluation: which rules fire for a context and a function, and each
effect as small integers, so the combination (combine.py) and the what-if search (what_if.py)
compare integers, not names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .facts import FACT_SPECS, Context, FunctionFacts
from .rulebook import ASSESSMENT_EFFECTS, Rule, Rulebook
from .vocabulary import FUNCTIONS_BY_CODE

ARRANGEMENT_EFFECTS = ("humanitarian_arrangement", "humanitarian_risk")

PARALLEL, PARTIAL, FULL = 0, 1, 2
S, P, A = 0, 1, 2
LEVEL_NAMES = ("strategic", "programmatic", "administrative")
DEGREE_NAMES = ("parallel", "partial", "full")
_LEVEL_INDEX = {name: index for index, name in enumerate(LEVEL_NAMES)}
_DEGREE_INDEX = {name: index for index, name in enumerate(DEGREE_NAMES)}


@dataclass(frozen=True, slots=True)
class Plan:
    """A rulebook indexed for evaluation: who reads what, and each effect as small integers."""

    rulebook: Rulebook
    rules: tuple[Rule, ...]
    applicability: tuple[int, ...]
    arrangement_rules: tuple[int, ...]  # humanitarian_arrangement and humanitarian_risk rules
    context_rules: tuple[int, ...]
    function_rules: dict[str, tuple[int, ...]]  # by function code
    readers: dict[str, tuple[int, ...]]
    kind: tuple[str, ...]
    levels: tuple[tuple[int, ...], ...]
    rank: tuple[int, ...]
    priority: tuple[int, ...]
    # By number fact path: the values either side of every threshold the rules test (what-if
    # candidates, conformance samples).
    thresholds: dict[str, frozenset[int]]
    slot: tuple[int, ...]  # where effects_by_kind puts each rule: an index of EFFECT_SLOTS
    # The rendered texts of this rulebook's rules, by rule index, language and the facts the
    # rule's templates name (trace_texts.py fills it; records are immutable, so sharing is safe).
    texts: dict[tuple, Any] = field(default_factory=dict, compare=False, repr=False)


# The kinds of effect a function's fired rules may have, in the order of the Effects fields
# (`not_applicable` rules never fire for a function: applicable_rules reads them).
EFFECT_SLOTS = {
    kind: index
    for index, kind in enumerate(("floor", "necessity", "cap", "barrier", "note", "lead"))
}

_plans: dict[str, Plan] = {}


def _thresholds(rules: tuple[Rule, ...], path: str) -> frozenset[int]:
    """The values either side of every threshold the rulebook tests on a number fact."""
    found: set[int] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("fact") == path:
                for op, value in node.items():
                    if op == "fact" or type(value) is not int:
                        continue
                    if op in ("lte", "gt"):
                        found.update((value, value + 1))
                    elif op in ("lt", "gte"):
                        found.update((value - 1, value))
                    else:
                        found.add(value)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for rule in rules:
        walk(rule.when)
    return frozenset(value for value in found if value >= 0)


def plan_for(rulebook: Rulebook) -> Plan:
    """The plan of a rulebook, built once per rulebook content (keyed by its checksum)."""
    plan = _plans.get(rulebook.checksum)
    if plan is not None and plan.rulebook is rulebook:
        return plan
    rules = rulebook.rules
    # Rules about the assessment as a whole (applicability, the humanitarian arrangement) never
    # fire for a function.
    active = [i for i, rule in enumerate(rules) if rule.effect.type not in ASSESSMENT_EFFECTS]
    readers: dict[str, list[int]] = {}
    for i in active:
        for path in rules[i].condition.facts:
            readers.setdefault(path, []).append(i)
    plan = Plan(
        rulebook=rulebook,
        rules=rules,
        applicability=tuple(
            i for i, rule in enumerate(rules) if rule.effect.type == "not_applicable"
        ),
        arrangement_rules=tuple(
            i for i, rule in enumerate(rules) if rule.effect.type in ARRANGEMENT_EFFECTS
        ),
        context_rules=tuple(i for i in active if not rules[i].condition.reads_function),
        function_rules={
            code: tuple(
                i
                for i in active
                if rules[i].condition.reads_function
                and (rules[i].condition.codes is None or code in rules[i].condition.codes)
            )
            for code in FUNCTIONS_BY_CODE
        },
        readers={path: tuple(indices) for path, indices in readers.items()},
        kind=tuple(rule.effect.type for rule in rules),
        levels=tuple(tuple(_LEVEL_INDEX[lv] for lv in rule.effect.levels) for rule in rules),
        rank=tuple(_DEGREE_INDEX.get(rule.effect.degree, FULL) for rule in rules),
        priority=tuple(rule.effect.priority for rule in rules),
        thresholds={
            path: _thresholds(rules, path)
            for path, spec in FACT_SPECS.items()
            if spec.kind == "int_or_null"
        },
        slot=tuple(EFFECT_SLOTS.get(rule.effect.type, -1) for rule in rules),
    )
    if len(_plans) > 32:  # a handful of rulebook versions at most; never grow without bound
        _plans.clear()
    _plans[rulebook.checksum] = plan
    return plan


def applicable_rules(plan: Plan, context: Context) -> tuple[int, ...]:
    """The `not_applicable` rules that fire for this context (empty: integration applies)."""
    return tuple(i for i in plan.applicability if plan.rules[i].condition.test(context, None))


def arrangement_fired(
    plan: Plan, context: Context
) -> tuple[int | None, tuple[int, ...], tuple[int, ...]]:
    """The humanitarian arrangement rules that hold: the winner (highest priority, ties to the
    rule written first; None where no rule proposes one), the proposals it set aside, and the
    risks to review."""
    rules = plan.rules
    winner: int | None = None
    proposals: list[int] = []
    risks: list[int] = []
    for i in plan.arrangement_rules:
        if not rules[i].condition.test(context, None):
            continue
        if rules[i].effect.type == "humanitarian_risk":
            risks.append(i)
            continue
        proposals.append(i)
        if winner is None or plan.priority[i] > plan.priority[winner]:
            winner = i
    return winner, tuple(i for i in proposals if i != winner), tuple(risks)


def context_fired(plan: Plan, context: Context) -> frozenset[int]:
    """The rules that read only context facts and hold; shared by every function."""
    rules = plan.rules
    return frozenset(i for i in plan.context_rules if rules[i].condition.test(context, None))


def fired_rules(
    plan: Plan, context: Context, function: FunctionFacts, from_context: frozenset[int]
) -> frozenset[int]:
    """All rules that fire for one function."""
    rules = plan.rules
    return from_context.union(
        i
        for i in plan.function_rules[function.function]
        if rules[i].condition.test(context, function)
    )
