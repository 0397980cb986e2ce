"""`evaluate`: facts and a rulebook in, a `Decision` out. Pure: no I/O, no clock, no randomness.

The combination of rules is decided in combine.py; this module checks applicability, runs the
combination for each function and renders the plain-language trace (trace_texts.py writes its
sentences).
"""

from __future__ import annotations

from .combine import Entry, Outcome, combine, engine_refuses
from .decision import Decision, FunctionRecommendation, HumanitarianArrangement, LevelDecision
from .facts import Facts, FunctionFacts
from .plan import (
    DEGREE_NAMES,
    LEVEL_NAMES,
    Plan,
    applicable_rules,
    arrangement_fired,
    context_fired,
    fired_rules,
    plan_for,
)
from .rulebook import Rulebook
from .texts_en import NOT_APPLICABLE_REASONS
from .texts_fr import NOT_APPLICABLE_REASONS_FR
from .trace_texts import ContextValues, TraceTexts
from .what_if import what_ifs

LANGUAGES = ("en", "fr")


def _entry_id(plan: Plan, entry: Entry) -> str:
    if isinstance(entry, int):
        return plan.rules[entry].id
    name, stage = entry
    return name if name.startswith("engine.") else f"engine.{stage}.{name}"


def _recommendation(
    plan: Plan, outcome: Outcome, function: FunctionFacts, texts: TraceTexts
) -> FunctionRecommendation:
    rules = plan.rules
    levels = {}
    for index, name in enumerate(LEVEL_NAMES):
        trace = [
            texts.step(entry, index, outcome) if isinstance(entry, tuple) else texts.fired(entry)
            for entry in outcome.trace[index]
        ]
        for position, by in outcome.set_aside[index]:
            trace[position] = texts.set_aside(trace[position], _entry_id(plan, by))
        levels[name] = LevelDecision(
            degree=DEGREE_NAMES[outcome.degree[index]],
            feasible_degree=DEGREE_NAMES[outcome.feasible[index]],
            rules=tuple(trace),
        )
    barriers = tuple(texts.barrier(i) for i in outcome.barriers) + tuple(
        texts.held_from_above(level, category) for level, category in outcome.held_from_above
    )
    lead = "joint" if outcome.lead is None else rules[outcome.lead].effect.lead
    return FunctionRecommendation(function.function, lead, levels, barriers)


def _arrangement(plan: Plan, texts: TraceTexts) -> HumanitarianArrangement | None:
    """The humanitarian arrangement the rules decide: the winning proposal first, then those
    it set aside (marked so), and the risks to review with the HCT."""
    winner, set_aside, risks = arrangement_fired(plan, texts.context)
    if winner is None:
        return None
    by = plan.rules[winner].id
    return HumanitarianArrangement(
        arrangement=plan.rules[winner].effect.arrangement,
        rules=(texts.fired(winner), *(texts.set_aside(i, by) for i in set_aside)),
        risks=tuple(texts.fired(i) for i in risks),
    )


def evaluate(
    facts: Facts, rulebook: Rulebook, *, what_if: bool = False, language: str = "en"
) -> Decision:
    """Recommend, for each function and level, a degree, a feasible degree and the barriers.

    With `what_if`, each recommendation also lists the single-fact changes that would move a
    degree or feasible degree (see what_if.py). `language` ("en" or "fr") is the language of
    the explanations, remedies, reason and what-if sentences; the answers never depend on it.
    """
    if language not in LANGUAGES:
        raise ValueError(f'language "{language}" is not one of {", ".join(LANGUAGES)}')
    plan = plan_for(rulebook)
    context = facts.context
    refusals = applicable_rules(plan, context)
    if refusals:
        texts = TraceTexts(plan, language, context, None, ContextValues(context))
        reason = " ".join(texts.fired(i).explanation for i in refusals)
        return Decision(False, reason, rulebook.name, rulebook.version, ())
    if engine_refuses(context):  # the guard of invariant 6, where no rule said so
        key = "observer_mission" if context.presence_type == "observer_mission" else "no_unct"
        reasons = NOT_APPLICABLE_REASONS_FR if language == "fr" else NOT_APPLICABLE_REASONS
        return Decision(False, reasons[key], rulebook.name, rulebook.version, ())
    shared = context_fired(plan, context)
    fired = [fired_rules(plan, context, item, shared) for item in facts.functions]
    outcomes = [
        combine(plan, rules, context, item.function)
        for rules, item in zip(fired, facts.functions, strict=True)
    ]
    shared = ContextValues(context)
    arrangement = _arrangement(plan, TraceTexts(plan, language, context, None, shared))
    recommendations = [
        _recommendation(plan, outcome, item, TraceTexts(plan, language, context, item, shared))
        for outcome, item in zip(outcomes, facts.functions, strict=True)
    ]
    if what_if:
        found = what_ifs(plan, facts, fired, outcomes, language)
        recommendations = [
            FunctionRecommendation(r.function, r.lead, r.levels, r.barriers, tuple(items))
            for r, items in zip(recommendations, found, strict=True)
        ]
    return Decision(
        True, None, rulebook.name, rulebook.version, tuple(recommendations), arrangement
    )
