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
so one sentence tells the planner everything one change does to one level.

Speed: a change can only alter a function's outcome through the rules that read the changed fact
(plus the facts the combination itself reads, combine.COMBINATION_FACTS), so only those rules
are re-tested, and a function whose fired rules stay the same is skipped. Context changes are
built once and tried on every function; per-function changes only on their function.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from .combine import COMBINATION_FACTS, COMBINATION_THRESHOLDS, Outcome, combine, engine_refuses
from .decision import WhatIf
from .facts import (
    ENGINE_CONTEXT_FACTS,
    FACT_SPECS,
    Context,
    Facts,
    FunctionFacts,
    context_contradictions,
    function_contradiction,
)
from .plan import DEGREE_NAMES, LEVEL_NAMES, Plan
from .texts_en import NAMES_IN_SENTENCE
from .texts_fr import FUNCTION_NAMES_FR
from .vocabulary import DIMENSIONS, HOST_CONSENT, NATIONAL_CAPACITY, PHASES
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

# How a changed fact reads after "If …": booleans as (when it becomes true, when it becomes
# false), choices by value. "{name}" is the function's name as it reads inside a sentence.
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
    "context.military_perceived_partial": (
        "the UN or coalition military were seen as a party to the conflict",
        "the UN or coalition military were not seen as a party to the conflict",
    ),
    "context.humanitarian_access_constrained": (
        "humanitarian access were restricted",
        "humanitarian access were open",
    ),
    "context.common_strategic_framework": (
        "the mission and the UNCT agreed one common strategic framework",
        "the mission and the UNCT had no common strategic framework",
    ),
    "context.joint_monitoring": (
        "the mission and the UNCT monitored and evaluated together",
        "the mission and the UNCT did not monitor and evaluate together",
    ),
    "context.unct_surge_capacity": (
        "the UNCT could scale up to take over from the mission",
        "the UNCT could not scale up to take over from the mission",
    ),
    "context.national_actors_in_planning": (
        "national actors took part in integrated planning",
        "national actors took no part in integrated planning",
    ),
    "function.conflicting_imperatives": (
        "the imperatives of {name} conflicted",
        "the imperatives of {name} did not conflict",
    ),
    "function.unct_programmes": (
        "the UNCT already ran programmes in {name}",
        "the UNCT ran no programmes in {name}",
    ),
}
CHOICE_PHRASES = {
    "context.presence_type": {
        "multidimensional_pko": "the UN presence were a multidimensional peacekeeping operation",
        "political_mission": "the UN presence were a political mission",
        "hybrid": "the UN presence were a hybrid operation with a regional organisation",
        "observer_mission": "the UN presence were an observer mission",
    },
    "context.phase": {
        value: f"the peace process were in its {value.replace('_', ' ')} phase"
        for value, _label in PHASES
    },
    "context.conflict_level": {
        "none": "there were no violent conflict",
        "low": "violent conflict were low",
        "high": "violent conflict were high",
    },
    "context.force_posture": {
        "none": "no UN force were deployed or confronting spoilers",
        "deterrent": "UN forces held a deterrent posture",
        "open_combat": "UN or coalition forces were in open combat with spoilers",
    },
    "context.host_consent": {value: f"host consent were {value}" for value, _ in HOST_CONSENT},
    "context.national_capacity": {
        value: f"national capacity were {value}" for value, _label in NATIONAL_CAPACITY
    },
    "context.regional_partner": {
        "none": "no regional organisation took part in the operation",
        "cooperating": "a regional organisation cooperated with the operation",
        "hybrid": "the operation were a hybrid with a regional organisation",
        "rehatted": "regional troops were re-hatted as UN",
    },
    "function.funding_source": {
        "assessed": "{name} were funded from assessed contributions",
        "pooled": "{name} were funded through a pooled fund",
        "voluntary_pledged": "{name} were funded from pledged voluntary contributions",
        "voluntary_unpledged": "{name} were funded from voluntary contributions not yet pledged",
    },
}
_DIMENSION_NAMES = {value: label.lower() for value, label in DIMENSIONS}


def _result(level: str, degree: tuple[str, str], feasible: tuple[str, str]) -> str:
    """How one level moves: its degree, its feasible degree, or both in one clause."""
    (was, now), (feasible_was, feasible_now) = degree, feasible
    if was != now and feasible_was != feasible_now:
        if degree == feasible:
            return f"{level} integration would be called for and feasible at {now} (now {was})"
        return (
            f"{level} integration would be called for at {now} (now {was}) and feasible at "
            f"{feasible_now} (now {feasible_was})"
        )
    if was != now:
        return f"{level} integration would be called for at {now} (now {was})"
    return f"{level} integration would become feasible at {feasible_now} (now {feasible_was})"


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


PHRASES = {
    "en": Phrases(
        BOOLEAN_PHRASES,
        CHOICE_PHRASES,
        _DIMENSION_NAMES,
        "no drawdown were planned",
        "a drawdown were planned within {months} months",
        "{name} also had a {dimension} component",
        "{name} no longer had a {dimension} component",
        _result,
        lambda condition: f"If {condition}",
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
    ),
}


def _condition(path: str, before: Any, after: Any, name: str, phrases: Phrases) -> str:
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


def sentence(
    path: str,
    before: Any,
    after: Any,
    level: str,
    degree: tuple[str, str],
    feasible: tuple[str, str],
    name: str,
    language: str = "en",
) -> str:
    """One plain-language sentence for what one change does to one level.

    `degree` and `feasible` are (now, then) degree names; `name` is the function's name as it
    reads inside a sentence of `language`.
    """
    phrases = PHRASES[language]
    condition = _condition(path, before, after, name, phrases)
    return f"{phrases.opening(condition)}, {phrases.result(level, degree, feasible)}."


def _context_candidates(plan: Plan, name: str, current: Any) -> list[Any]:
    spec = FACT_SPECS[f"context.{name}"]
    if spec.kind == "bool":
        return [not current]
    if spec.kind == "enum":
        return [value for value in spec.choices if value != current]
    numbers = sorted(plan.thresholds[spec.path].union(COMBINATION_THRESHOLDS.get(name, ())))
    return [value for value in [None, *numbers] if value != current]


def _contradicts(
    context: Context, functions: tuple[FunctionFacts, ...], name: str, value: Any
) -> bool:
    """Whether changing one context fact to `value` contradicts another fact (invariant 12)."""
    changed = {**{f: getattr(context, f) for f in ENGINE_CONTEXT_FACTS}, name: value}
    return bool(context_contradictions(changed)) or any(
        function_contradiction(changed["pooled_fund"], function.funding_source)
        for function in functions
    )


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


def _changes(
    path: str, before: Any, after: Any, old: Outcome, new: Outcome, name: str, language: str
) -> list[WhatIf]:
    """One what-if per level the change moves. It names the degree when the degree moves (its
    sentence says what the feasible degree does too), else the feasible degree."""
    found = []
    for index, level in enumerate(LEVEL_NAMES):
        degree = (DEGREE_NAMES[old.degree[index]], DEGREE_NAMES[new.degree[index]])
        feasible = (DEGREE_NAMES[old.feasible[index]], DEGREE_NAMES[new.feasible[index]])
        if degree[0] != degree[1]:
            output, (was, now) = "degree", degree
        elif feasible[0] != feasible[1]:
            output, (was, now) = "feasible_degree", feasible
        else:
            continue
        found.append(
            WhatIf(
                fact=path,
                from_value=before,
                to_value=after,
                level=level,
                output=output,
                from_degree=was,
                to_degree=now,
                sentence=sentence(path, before, after, level, degree, feasible, name, language),
            )
        )
    return found


def what_ifs(
    plan: Plan,
    facts: Facts,
    fired: list[frozenset[int]],
    outcomes: list[Outcome],
    language: str = "en",
) -> list[list[WhatIf]]:
    """For each function of `facts`, in order, the what-ifs that move one of its outputs, their
    sentences in `language` ("en" or "fr")."""
    context, functions = facts.context, facts.functions
    names = FUNCTION_NAMES_FR if language == "fr" else NAMES_IN_SENTENCE
    found: list[list[WhatIf]] = [[] for _ in functions]
    applicability = [plan.rules[i].condition for i in plan.applicability]
    for name in ENGINE_CONTEXT_FACTS:
        path = f"context.{name}"
        readers = plan.readers.get(path, ())
        touches_coupling = name in COMBINATION_FACTS
        if not readers and not touches_coupling:
            continue
        current = getattr(context, name)
        for value in _context_candidates(plan, name, current):
            if _contradicts(context, functions, name, value):
                continue  # invariant 12: never suggest facts no mission can have together
            changed = replace(context, **{name: value})
            if engine_refuses(changed) or any(
                condition.test(changed, None) for condition in applicability
            ):
                continue
            for index, function in enumerate(functions):
                refired = _refire(plan, fired[index], readers, changed, function)
                if refired == fired[index] and not touches_coupling:
                    continue
                outcome = combine(plan, refired, changed, function.function)
                named = names[function.function]
                found[index] += _changes(
                    path, current, value, outcomes[index], outcome, named, language
                )
    for index, function in enumerate(functions):
        for path, attribute, value in _function_candidates(function):
            readers = plan.readers.get(path, ())
            if not readers or (
                attribute == "funding_source" and function_contradiction(context.pooled_fund, value)
            ):
                continue
            changed = replace(function, **{attribute: value})
            refired = _refire(plan, fired[index], readers, context, changed)
            if refired == fired[index]:
                continue
            outcome = combine(plan, refired, context, function.function)
            before = getattr(function, attribute)
            found[index] += _changes(
                path,
                before,
                getattr(changed, attribute),
                outcomes[index],
                outcome,
                names[function.function],
                language,
            )
    return found
