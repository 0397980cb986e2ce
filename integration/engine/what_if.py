"""What-if: the single-fact changes that would move a degree or a feasible degree.

Nothing here is written by hand per rule: each candidate change is run through the same rules
and the same combination (combine.py), and only changes that move an output are kept.

Candidates: each context fact to each other value (numbers: null and the values either side of
every threshold the rulebook tests), each per-function boolean flipped, `funding_source` to each
other value, one dimension added or removed (a function keeps at least one). Changes that would
make integration policy inapplicable (P16) are left out: they move no degree, they end the
assessment.

Speed: a change can only alter a function's outcome through the rules that read the changed fact
(plus `common_services`, which the coupling step reads), so only those rules are re-tested, and a
function whose fired rules stay the same is skipped. Context changes are built once and tried on
every function; per-function changes only on their function.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .combine import DEGREE_NAMES, LEVEL_NAMES, Outcome, Plan, combine
from .decision import WhatIf
from .facts import CONTEXT_FACTS, FACT_SPECS, Facts, FunctionFacts
from .vocabulary import (
    CONFLICT_LEVELS,
    DIMENSIONS,
    FORCE_POSTURES,
    FUNDING_SOURCES,
    HOST_CONSENT,
    NATIONAL_CAPACITY,
    PHASES,
    PRESENCE_TYPES,
    REGIONAL_PARTNER,
)

# How a changed boolean reads in a sentence: (when it becomes true, when it becomes false).
BOOLEAN_PHRASES = {
    "context.unct_present": (
        "a UN Country Team worked in the country",
        "no UN Country Team worked in the country",
    ),
    "context.hc_triple_hatted": (
        "the Humanitarian Coordinator sat in mission leadership as DSRSG/RC/HC",
        "the Humanitarian Coordinator did not sit in mission leadership as DSRSG/RC/HC",
    ),
    "context.pooled_fund": (
        "a pooled fund ran through the DSRSG/RC/HC",
        "no pooled fund ran through the DSRSG/RC/HC",
    ),
    "context.donors_in_planning": (
        "bilateral donors and IFIs took part in integrated planning",
        "bilateral donors and IFIs were left out of integrated planning",
    ),
    "context.agency_service_agreements": (
        "agency service agreements were permitted",
        "agency service agreements were not permitted",
    ),
    "context.common_services": (
        "the mission and the UNCT shared common services",
        "the mission and the UNCT shared no common services",
    ),
    "function.conflicting_imperatives": (
        "its imperatives conflicted",
        "its imperatives did not conflict",
    ),
    "function.unct_programmes": (
        "the UNCT already ran programmes in this area",
        "the UNCT ran no programmes in this area",
    ),
}
# How a changed choice reads: "If <subject> were <label>".
CHOICE_SUBJECTS = {
    "context.presence_type": ("the UN presence", PRESENCE_TYPES),
    "context.phase": ("the phase of the peace process", PHASES),
    "context.conflict_level": ("the level of violent conflict", CONFLICT_LEVELS),
    "context.force_posture": ("the force posture", FORCE_POSTURES),
    "context.host_consent": ("host consent", HOST_CONSENT),
    "context.national_capacity": ("national capacity", NATIONAL_CAPACITY),
    "context.regional_partner": ("the regional partner's role", REGIONAL_PARTNER),
    "function.funding_source": ("its funding", FUNDING_SOURCES),
}
_DIMENSION_LABELS = dict(DIMENSIONS)


def _condition(path: str, before: Any, after: Any) -> str:
    if path in BOOLEAN_PHRASES:
        return BOOLEAN_PHRASES[path][0 if after else 1]
    if path in CHOICE_SUBJECTS:
        subject, vocabulary = CHOICE_SUBJECTS[path]
        label = dict(vocabulary)[after]
        return f"{subject} were “{label[0].lower()}{label[1:]}”"
    if path == "context.drawdown_within_months":
        if after is None:
            return "no drawdown were planned"
        return f"a drawdown were planned within {after} months"
    added = [d for d in after if d not in before]
    if added:
        return f"it also had the {_DIMENSION_LABELS[added[0]].lower()} dimension"
    removed = [d for d in before if d not in after]
    return f"it no longer had the {_DIMENSION_LABELS[removed[0]].lower()} dimension"


def sentence(path: str, before: Any, after: Any, level: str, output: str, to: str, was: str) -> str:
    """One plain-language sentence for a what-if."""
    if output == "degree":
        result = f"{level} integration would be called for at {to} (now {was})"
    else:
        result = f"feasible {level} integration would become {to} (now {was})"
    return f"If {_condition(path, before, after)}, {result}."


def _thresholds(plan: Plan, path: str) -> set[int]:
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

    for rule in plan.rules:
        walk(rule.when)
    return {value for value in found if value >= 0}


def _context_candidates(plan: Plan, name: str, current: Any) -> list[Any]:
    spec = FACT_SPECS[f"context.{name}"]
    if spec.kind == "bool":
        return [not current]
    if spec.kind == "enum":
        return [value for value in spec.choices if value != current]
    numbers = sorted(_thresholds(plan, spec.path))
    return [value for value in [None, *numbers] if value != current]


def _function_candidates(function: FunctionFacts) -> list[tuple[str, str, Any]]:
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


def _refire(
    plan: Plan, fired: frozenset[int], readers: tuple[int, ...], context, function
) -> frozenset[int]:
    rules = plan.rules
    kept = fired.difference(readers)
    return kept.union(i for i in readers if rules[i].condition.test(context, function))


def _changes(path: str, before: Any, after: Any, old: Outcome, new: Outcome) -> list[WhatIf]:
    found = []
    for index, level in enumerate(LEVEL_NAMES):
        for output, was, now in (
            ("degree", old.degree[index], new.degree[index]),
            ("feasible_degree", old.feasible[index], new.feasible[index]),
        ):
            if was != now:
                was_name, now_name = DEGREE_NAMES[was], DEGREE_NAMES[now]
                found.append(
                    WhatIf(
                        fact=path,
                        from_value=before,
                        to_value=after,
                        level=level,
                        output=output,
                        from_degree=was_name,
                        to_degree=now_name,
                        sentence=sentence(path, before, after, level, output, now_name, was_name),
                    )
                )
    return found


def what_ifs(
    plan: Plan, facts: Facts, fired: list[frozenset[int]], outcomes: list[Outcome]
) -> list[list[WhatIf]]:
    """For each function of `facts`, in order, the what-ifs that move one of its outputs."""
    context, functions = facts.context, facts.functions
    found: list[list[WhatIf]] = [[] for _ in functions]
    applicability = [plan.rules[i].condition for i in plan.applicability]
    for name in CONTEXT_FACTS:
        path = f"context.{name}"
        readers = plan.readers.get(path, ())
        touches_coupling = name == "common_services"
        if not readers and not touches_coupling:
            continue
        current = getattr(context, name)
        for value in _context_candidates(plan, name, current):
            changed = replace(context, **{name: value})
            if any(condition.test(changed, None) for condition in applicability):
                continue
            for index, function in enumerate(functions):
                refired = _refire(plan, fired[index], readers, changed, function)
                if refired == fired[index] and not touches_coupling:
                    continue
                outcome = combine(plan, refired, changed.common_services)
                found[index] += _changes(path, current, value, outcomes[index], outcome)
    for index, function in enumerate(functions):
        for path, attribute, value in _function_candidates(function):
            readers = plan.readers.get(path, ())
            if not readers:
                continue
            changed = replace(function, **{attribute: value})
            refired = _refire(plan, fired[index], readers, context, changed)
            if refired == fired[index]:
                continue
            outcome = combine(plan, refired, context.common_services)
            before = getattr(function, attribute)
            found[index] += _changes(
                path, before, getattr(changed, attribute), outcomes[index], outcome
            )
    return found
