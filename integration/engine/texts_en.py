"""The engine's own texts in English: its steps as cited in traces, why integration policy does
not apply, and function names as they read inside a sentence. texts_fr.py mirrors them."""

from __future__ import annotations

from .combine import (
    BASELINE,
    COUPLING_A_FULL,
    COUPLING_COMMON,
    COUPLING_P_LE_S,
    DEFAULT_LEAD,
    GUARD_HUMANITARIAN,
    GUARD_OPEN_COMBAT,
    GUARD_REVERSIBILITY,
    P2_GUARD,
)
from .vocabulary import FUNCTIONS_BY_CODE

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
# Function names as they read inside a sentence: "for rule of law", but "for DDR", and "the
# political process" (a name that reads as one process takes its article: "the mission leads the
# political process"). "Quick impact projects" and "elections" are plural: a template that makes
# a function name its subject must agree with both (tests/engine/test_sentences.py).
WITH_ARTICLE = frozenset({"political_process"})
NAMES_IN_SENTENCE = {
    code: ("the " if code in WITH_ARTICLE else "")
    + (spec.name if spec.name[1:2].isupper() else spec.name[:1].lower() + spec.name[1:])
    for code, spec in FUNCTIONS_BY_CODE.items()
}
# How a trace shows a rule that fired but did not decide (invariant 13): what overrode it first.
SET_ASIDE = "Set aside in favour of {by}: {explanation}"
# A level held down from above with no barrier of its own (combine.py step 8b): the barrier the
# engine lists there, by level. Templates take {function_name}
# and {category} (the category of the barrier above, as words).
HELD_FROM_ABOVE = {
    "programmatic": (
        "Programmatic integration of {function_name} flows from its strategic integration, "
        "which a barrier holds back ({category}), so it cannot reach the degree called for here "
        "until that barrier is lifted.",
        "Lift the strategic barrier first (its remedy is listed with it); meanwhile run joint "
        "programmes with separate reporting lines as far as the agreed common plan goes (§VII "
        "Principles).",
    ),
    "administrative": (
        "Administrative integration of {function_name} serves its programmes, which a barrier "
        "holds back ({category}), so it cannot reach the degree called for here until that barrier "
        "is lifted.",
        "Lift the programmatic barrier first (its remedy is listed with it); meanwhile keep the "
        "administrative link separate programmes keep, common services, through inter-agency "
        "procedures for managing them (§VII Administrative and systemic reforms).",
    ),
}
