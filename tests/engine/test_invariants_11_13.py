"""Invariants 11, 12 and 13 of shared/domain.md §6 as properties over generated contexts (the
six context facts added after the first release and the planner's `necessity` drawn too).

11 in its plain reading: where the feasible degree is below the degree, a barrier listed at
that very level explains the gap and names what would close it there. 12: contradictory facts
are refused, naming both, never evaluated. 13: a trace never states as a decision what the
engine set aside, and no explanation claims for one function what the source says of another.
Consistent facts only for 11 and 13; contradictions, built on purpose, for 12.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from integration.engine import (
    ContradictoryFacts,
    Facts,
    FunctionFacts,
    FunctionRecommendation,
    default_rulebook,
    evaluate,
    facts_from_dict,
)
from integration.engine.facts import CONTEXT_CONTRADICTIONS, Context
from integration.engine.vocabulary import DEGREE_ORDER

from .strategies import contexts, facts, facts_towards_full, function_facts

RULEBOOK = default_rulebook()
LEVELS = ("strategic", "programmatic", "administrative")
PROPERTY = settings(max_examples=200, deadline=None)
SET_ASIDE = "Set aside in favour of "
# BINUB's joint programmes (§IV.2: Peace and Governance; SSR/DDR/Small Arms; Human Rights and
# Justice), and the components the source names for DDR's full integration.
BINUB_PROGRAMMES = {"peace_governance", "ddr", "ssr", "rule_of_law", "human_rights"}
DDR_COMPONENTS = {"political", "military", "humanitarian", "development"}


# --- invariant 11 --------------------------------------------------------------------------


@PROPERTY
@given(st.one_of(facts(), facts_towards_full()))
def test_every_gap_is_explained_by_a_barrier_listed_at_that_very_level(given_facts: Facts) -> None:
    for item in evaluate(given_facts, RULEBOOK).recommendations:
        for level in LEVELS:
            decision = item.levels[level]
            assert DEGREE_ORDER[decision.feasible_degree] <= DEGREE_ORDER[decision.degree]
            if decision.feasible_degree == decision.degree:
                continue
            here = [barrier for barrier in item.barriers if barrier.level == level]
            assert here, (item.function, level, decision)
            # each names what would close the gap: a remedy from §VII of the source
            assert all("§VII" in barrier.remedy for barrier in here)
            # and the level's trace says why it is lower: a barrier rule or the engine's
            # feasibility step
            assert any(
                rule.id.startswith("engine.feasibility.")
                or (
                    not rule.id.startswith("engine.")
                    and RULEBOOK.rule(rule.id).effect.type == "barrier"
                )
                for rule in decision.rules
            ), decision.rules


# --- invariant 12 --------------------------------------------------------------------------


@st.composite
def contradictory_contexts(draw) -> tuple[dict, tuple[str, str]]:
    """A context (as the API body gives it) with one contradiction of invariant 12 set on
    purpose, and the two facts it sets."""
    context = draw(contexts())
    first, value, second, other, _reason = draw(st.sampled_from(CONTEXT_CONTRADICTIONS))
    body = {
        name: getattr(context, name)
        for name in Context.__dataclass_fields__
        if name not in (first, second)
    }
    return {**body, first: value, second: other}, (f"context.{first}", f"context.{second}")


@PROPERTY
@given(contradictory_contexts())
def test_a_contradictory_context_is_refused_naming_both_facts(drawn) -> None:
    body, paths = drawn
    with pytest.raises(ContradictoryFacts) as refused:
        facts_from_dict({"context": body})
    assert set(paths) <= set(refused.value.paths)
    assert all(path in str(refused.value) or path == refused.value.path for path in paths)
    with pytest.raises(ContradictoryFacts):
        Context(**body)


@PROPERTY
@given(contexts(applicable=True), function_facts())
def test_a_function_funded_from_a_pooled_fund_that_does_not_exist_is_refused(
    context: Context, function: FunctionFacts
) -> None:
    context = replace(context, pooled_fund=False)
    body = {
        "context": {name: getattr(context, name) for name in Context.__dataclass_fields__},
        "functions": [{"function": function.function, "funding_source": "pooled"}],
    }
    with pytest.raises(ContradictoryFacts) as refused:
        facts_from_dict(body)
    assert refused.value.paths == ("functions[0].funding_source", "context.pooled_fund")
    # built directly, the facts are refused too: nothing reaches the rules
    with pytest.raises(ContradictoryFacts):
        Facts(context, (replace(function, funding_source="pooled"),))


# --- invariant 13 --------------------------------------------------------------------------


def _decided_and_set_aside(item: FunctionRecommendation, level: str):
    rules = item.levels[level].rules
    decided = [rule for rule in rules if not rule.explanation.startswith(SET_ASIDE)]
    aside = [rule for rule in rules if rule.explanation.startswith(SET_ASIDE)]
    return decided, aside


def _claims_agree_with_the_level(item: FunctionRecommendation, level: str) -> None:
    """Every floor, cap, necessity, barrier and lead shown as a reason says what happened."""
    degree = item.levels[level].degree
    decided, _aside = _decided_and_set_aside(item, level)
    listed = {barrier.explanation for barrier in item.barriers if barrier.level == level}
    for rule in decided:
        if rule.id.startswith("engine."):
            continue
        effect = RULEBOOK.rule(rule.id).effect
        if effect.type in ("floor", "cap"):
            assert effect.degree == degree, (item.function, level, rule.id)
        elif effect.type == "necessity":
            assert (level, degree) == ("programmatic", "full"), (item.function, rule.id)
        elif effect.type == "barrier":
            assert rule.explanation in listed, (item.function, level, rule.id)
        elif effect.type == "lead":
            assert effect.lead == item.lead, (item.function, rule.id)


@PROPERTY
@given(st.one_of(facts(), facts_towards_full()))
def test_a_trace_states_as_decided_only_what_decided(given_facts: Facts) -> None:
    for item in evaluate(given_facts, RULEBOOK).recommendations:
        traced = {rule.id for level in LEVELS for rule in item.levels[level].rules}
        winners = set()
        for level in LEVELS:
            _claims_agree_with_the_level(item, level)
            decided, aside = _decided_and_set_aside(item, level)
            winners |= {
                rule.id
                for rule in decided
                if not rule.id.startswith("engine.")
                and RULEBOOK.rule(rule.id).effect.type == "lead"
            }
            for rule in aside:
                # what overrode it is named, and is itself in the function's trace
                by = rule.explanation.removeprefix(SET_ASIDE).split(":", 1)[0]
                assert by in traced, (item.function, level, rule.id, by)
                assert by != rule.id
        # one lead decided, the others set aside
        assert len(winners) <= 1, (item.function, winners)


@PROPERTY
@given(st.one_of(facts(), facts_towards_full()))
def test_no_explanation_claims_for_one_function_what_the_source_says_of_another(
    given_facts: Facts,
) -> None:
    dimensions = {item.function: set(item.dimensions) for item in given_facts.functions}
    for item in evaluate(given_facts, RULEBOOK).recommendations:
        prose = " ".join(rule.explanation for level in LEVELS for rule in item.levels[level].rules)
        # BINUB's joint programmes are claimed only for the functions that were among them
        if item.function not in BINUB_PROGRAMMES:
            assert "areas of BINUB's joint programmes" not in prose, item.function
            assert "as in BINUB's joint programmes" not in prose, item.function
        # DDR's reason for full integration only where DDR's four components are linked, or
        # quoted as the source's own words about DDR next to the planner's case
        if "the only means to link them" in prose:
            assert dimensions[item.function] >= DDR_COMPONENTS, item.function
