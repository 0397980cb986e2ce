"""`evaluate`: facts and a rulebook in, a `Decision` out. Pure: no I/O, no clock, no randomness.

The combination of rules is decided in combine.py; this module checks applicability, runs the
combination for each function and renders the plain-language trace.
"""

from __future__ import annotations

from .combine import (
    BASELINE,
    COUPLING_A_FULL,
    COUPLING_COMMON,
    COUPLING_P_LE_S,
    DEFAULT_LEAD,
    DEGREE_NAMES,
    GUARD_HUMANITARIAN,
    GUARD_OPEN_COMBAT,
    GUARD_REVERSIBILITY,
    LEVEL_NAMES,
    P2_GUARD,
    Outcome,
    Plan,
    applicable_rules,
    combine,
    context_fired,
    engine_refuses,
    fired_rules,
    plan_for,
)
from .decision import Barrier, Decision, FiredRule, FunctionRecommendation, LevelDecision
from .facts import CONTEXT_FACTS, Context, Facts, FunctionFacts
from .rulebook import Rulebook
from .vocabulary import FUNCTIONS_BY_CODE


def render(template: str, values: dict[str, str]) -> str:
    """A template filled in, its first letter upper case (a function name may open it)."""
    text = template.format(**values)
    return text[:1].upper() + text[1:] if template[:1] == "{" else text


# The engine's own steps, cited in traces like rules: (principle, explanation template). The
# templates take {function_name}, {level}, {degree} (the level's result at that stage) and, for
# the programmatic level, {programmatic}.
ENGINE_STEPS = {
    BASELINE: (
        "P5",
        "No rule calls for integrating {function_name} at the {level} level, so it stays "
        "parallel: form follows function (§V, §VII Principles).",
    ),
    P2_GUARD: (
        "P2",
        "Full programmatic integration of {function_name} needs a positive justification and no "
        "rule established one, so it is held at partial at most (§IV.2: full integration only "
        "when absolutely necessary).",
    ),
    f"engine.coupling.{COUPLING_P_LE_S}": (
        "P1",
        "Programmatic integration of {function_name} cannot go beyond its strategic integration, "
        "so it is called for at {degree} (§IV.1: all other levels of integration flow from "
        "strategic integration).",
    ),
    f"engine.coupling.{COUPLING_A_FULL}": (
        "P1",
        "Integrated budgets, premises and staff only serve a fully integrated programme; "
        "programmatic integration of {function_name} is {programmatic}, so administrative "
        "integration is called for at {degree} at most (§IV.1, §IV.2).",
    ),
    f"engine.coupling.{COUPLING_COMMON}": (
        "P9",
        "With parallel programmes the one administrative link kept is common services (§IV.2), "
        "so administrative integration of {function_name} is called for at {degree}.",
    ),
    f"engine.feasibility.{COUPLING_P_LE_S}": (
        "P1",
        "Feasible programmatic integration of {function_name} cannot go beyond its feasible "
        "strategic integration, so it is held at {degree} (§IV.1).",
    ),
    f"engine.feasibility.{COUPLING_A_FULL}": (
        "P1",
        "Feasible programmatic integration of {function_name} is {programmatic}, so integrated "
        "budgets, premises and staff are out of reach and feasible administrative integration "
        "is held at {degree} (§IV.1, §IV.2).",
    ),
    f"engine.feasibility.{COUPLING_COMMON}": (
        "P9",
        "With programmes feasible only in parallel, administration can be shared only through "
        "common services (§IV.2), so feasible administrative integration of {function_name} is "
        "held at {degree}.",
    ),
    DEFAULT_LEAD: (
        "P6",
        "No rule names a lead for {function_name}, so the mission and the UNCT lead it jointly.",
    ),
    GUARD_HUMANITARIAN: (
        "P7",
        "Humanitarian coordination keeps its programmes and administration apart from the "
        "mission, so {level} integration is held at parallel: OCHA stays outside the integrated "
        "mission (§V Integrating humanitarianism?; §VII Structural reforms).",
    ),
    GUARD_OPEN_COMBAT: (
        "P7",
        "UN or coalition forces are in open combat, and any association with the military could "
        "compromise humanitarian neutrality, so humanitarian coordination keeps its own strategy "
        "(§V Integrating humanitarianism?).",
    ),
    GUARD_REVERSIBILITY: (
        "P11",
        "In transition, or with a drawdown within 12 months, full programmatic integration of "
        "{function_name} would be difficult and costly to undo, so it is held at partial (§IV.2).",
    ),
}
# Why integration policy does not apply, where no rule of the rulebook said so (P16).
NOT_APPLICABLE_REASONS = {
    "observer_mission": (
        "Integration policy does not apply to a mission limited to ceasefire observation (UN "
        "Secretary-General's Decision 2008/24)."
    ),
    "no_unct": (
        "Integration policy does not apply: no UN Country Team works in the country (UN "
        "Secretary-General's Decision 2008/24)."
    ),
}
# Function names as they read inside a sentence: "for rule of law", but "for DDR".
NAMES_IN_SENTENCE = {
    code: spec.name if spec.name[1:2].isupper() else spec.name[:1].lower() + spec.name[1:]
    for code, spec in FUNCTIONS_BY_CODE.items()
}


def _show(value: object) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if value is None:
        return "none"
    return str(value).replace("_", " ")


def template_values(
    context: Context, function: FunctionFacts | None, shared: dict[str, str] | None = None
) -> dict[str, str]:
    """The values explanation templates may use (rulebook.CONTEXT/FUNCTION_PLACEHOLDERS)."""
    if shared is None:
        shared = {name: _show(getattr(context, name)) for name in CONTEXT_FACTS}
    values = dict(shared)
    if function is not None:
        values.update(
            function=function.function,
            function_name=NAMES_IN_SENTENCE[function.function],
            dimensions=", ".join(_show(d) for d in function.dimensions),
            funding_source=_show(function.funding_source),
            conflicting_imperatives=_show(function.conflicting_imperatives),
            unct_programmes=_show(function.unct_programmes),
        )
    return values


def _engine_step(
    step: tuple[str, str], level: int, outcome: Outcome, values: dict[str, str]
) -> FiredRule:
    name, stage = step
    rule_id = name if name.startswith("engine.") else f"engine.{stage}.{name}"
    principle, template = ENGINE_STEPS[rule_id]
    result = outcome.feasible if stage == "feasibility" else outcome.degree
    text = render(
        template,
        {
            "function_name": values["function_name"],
            "level": LEVEL_NAMES[level],
            "degree": DEGREE_NAMES[result[level]],
            "programmatic": DEGREE_NAMES[result[1]],
        },
    )
    return FiredRule(rule_id, principle, text)


def _recommendation(
    plan: Plan, outcome: Outcome, context: Context, function: FunctionFacts, shared: dict[str, str]
) -> FunctionRecommendation:
    values = template_values(context, function, shared)
    rules = plan.rules
    levels = {}
    for index, name in enumerate(LEVEL_NAMES):
        trace = tuple(
            _engine_step(entry, index, outcome, values)
            if isinstance(entry, tuple)
            else FiredRule(
                rules[entry].id, rules[entry].principle, render(rules[entry].explanation, values)
            )
            for entry in outcome.trace[index]
        )
        levels[name] = LevelDecision(
            degree=DEGREE_NAMES[outcome.degree[index]],
            feasible_degree=DEGREE_NAMES[outcome.feasible[index]],
            rules=trace,
        )
    barriers = tuple(
        Barrier(
            category=rules[i].effect.category,
            level=rules[i].effect.levels[0],
            explanation=render(rules[i].explanation, values),
            remedy=render(rules[i].effect.remedy, values),
        )
        for i in outcome.barriers
    )
    lead = "joint" if outcome.lead is None else rules[outcome.lead].effect.lead
    return FunctionRecommendation(function.function, lead, levels, barriers)


def evaluate(facts: Facts, rulebook: Rulebook, *, what_if: bool = False) -> Decision:
    """Recommend, for each function and level, a degree, a feasible degree and the barriers.

    With `what_if`, each recommendation also lists the single-fact changes that would move a
    degree or feasible degree (see what_if.py).
    """
    plan = plan_for(rulebook)
    context = facts.context
    refusals = applicable_rules(plan, context)
    if refusals:
        values = template_values(context, None)
        reason = " ".join(render(plan.rules[i].explanation, values) for i in refusals)
        return Decision(False, reason, rulebook.name, rulebook.version, ())
    if engine_refuses(context):  # the guard of invariant 6, where no rule said so
        key = "observer_mission" if context.presence_type == "observer_mission" else "no_unct"
        return Decision(False, NOT_APPLICABLE_REASONS[key], rulebook.name, rulebook.version, ())
    shared = context_fired(plan, context)
    fired = [fired_rules(plan, context, item, shared) for item in facts.functions]
    outcomes = [
        combine(plan, rules, context, item.function)
        for rules, item in zip(fired, facts.functions, strict=True)
    ]
    shared_values = template_values(context, None)
    recommendations = [
        _recommendation(plan, outcome, context, item, shared_values)
        for outcome, item in zip(outcomes, facts.functions, strict=True)
    ]
    if what_if:
        from .what_if import what_ifs  # what_if.py builds on this module

        found = what_ifs(plan, facts, fired, outcomes)
        recommendations = [
            FunctionRecommendation(r.function, r.lead, r.levels, r.barriers, tuple(items))
            for r, items in zip(recommendations, found, strict=True)
        ]
    return Decision(True, None, rulebook.name, rulebook.version, tuple(recommendations))
