"""Invariants 1-10 of shared/domain.md §6, as properties of the default rulebook (11-13 in
test_invariants_11_13.py)."""

from __future__ import annotations

from dataclasses import asdict, replace

from hypothesis import given, settings, target
from hypothesis import strategies as st

from integration.engine import (
    Decision,
    FunctionRecommendation,
    decision_to_json,
    default_rulebook,
    evaluate,
    facts_from_dict,
    facts_to_dict,
    load_rulebook,
)
from integration.engine.conformance import CONTEXT_ENABLERS, ESCALATIONS
from integration.engine.facts import Facts, context_contradictions
from integration.engine.rulebook import DEFAULT_RULEBOOK_PATH
from integration.engine.vocabulary import DEGREE_ORDER

from .strategies import consistent_facts, contexts, facts, facts_towards_full, function_facts

RULEBOOK = default_rulebook()
# The same rulebook loaded again from its file: a fresh object with fresh compiled closures.
RELOADED = load_rulebook(DEFAULT_RULEBOOK_PATH.read_text(encoding="utf-8"))
LEVELS = ("strategic", "programmatic", "administrative")
OUTPUTS = ("degree", "feasible_degree")
PROPERTY = settings(max_examples=250, deadline=None)
# The escalations and enablers of domain.md §6 (invariants 9 and 10), as the conformance check
# names them: one list for both.


def rank(recommendation: FunctionRecommendation, level: str, output: str) -> int:
    return DEGREE_ORDER[getattr(recommendation.levels[level], output)]


def by_function(decision: Decision) -> dict[str, FunctionRecommendation]:
    return {item.function: item for item in decision.recommendations}


@PROPERTY
@given(facts())
def test_programmatic_never_exceeds_strategic(given_facts: Facts) -> None:
    for item in evaluate(given_facts, RULEBOOK).recommendations:
        for output in OUTPUTS:
            assert rank(item, "programmatic", output) <= rank(item, "strategic", output)


@PROPERTY
@given(facts())
def test_administrative_follows_programmatic_and_parallel_keeps_only_common_services(
    given_facts: Facts,
) -> None:
    for item in evaluate(given_facts, RULEBOOK).recommendations:
        for output in OUTPUTS:
            programmatic = getattr(item.levels["programmatic"], output)
            administrative = getattr(item.levels["administrative"], output)
            if administrative == "full":
                assert programmatic == "full"
            if programmatic == "parallel":
                assert administrative != "full"
                if administrative == "partial":
                    assert given_facts.context.common_services


@PROPERTY
@given(st.one_of(facts(), facts_towards_full()))
def test_full_programmatic_integration_carries_a_necessity_rule(given_facts: Facts) -> None:
    recommendations = evaluate(given_facts, RULEBOOK).recommendations
    full = [item for item in recommendations if item.levels["programmatic"].degree == "full"]
    # steer the search toward the case this property is about
    target(len(full) / len(recommendations), label="share of functions at full programmatic")
    for item in full:
        fired = [rule.id for rule in item.levels["programmatic"].rules]
        necessity = [
            rule_id
            for rule_id in fired
            if not rule_id.startswith("engine.")
            and RULEBOOK.rule(rule_id).effect.type == "necessity"
        ]
        assert necessity, fired
        assert all(RULEBOOK.rule(rule_id).principle == "P2" for rule_id in necessity)


@PROPERTY
@given(contexts(applicable=True), function_facts("humanitarian_coordination"))
def test_humanitarian_coordination_stays_parallel(context, function) -> None:
    decision = evaluate(consistent_facts(context, (function,)), RULEBOOK)
    (item,) = decision.recommendations
    levels = LEVELS if context.force_posture == "open_combat" else LEVELS[1:]
    for level in levels:
        assert item.levels[level].degree == "parallel"
        assert item.levels[level].feasible_degree == "parallel"


@PROPERTY
@given(facts())
def test_no_full_programmatic_integration_near_transition_or_drawdown(given_facts: Facts) -> None:
    context = given_facts.context
    months = context.drawdown_within_months
    if context.phase != "transition" and (months is None or months > 12):
        return
    for item in evaluate(given_facts, RULEBOOK).recommendations:
        assert item.levels["programmatic"].degree != "full"


@PROPERTY
@given(facts(applicable=None))
def test_policy_applies_only_beside_a_unct_and_not_to_observer_missions(given_facts: Facts) -> None:
    context = given_facts.context
    decision = evaluate(given_facts, RULEBOOK)
    expected = context.presence_type != "observer_mission" and context.unct_present
    assert decision.applicable is expected
    if not expected:
        assert decision.reason
        assert decision.recommendations == ()


@PROPERTY
@given(facts())
def test_every_level_carries_a_rule_and_every_barrier_a_remedy(given_facts: Facts) -> None:
    for item in evaluate(given_facts, RULEBOOK).recommendations:
        for level in LEVELS:
            rules = item.levels[level].rules
            assert rules
            assert all(rule.id and rule.principle and rule.explanation for rule in rules)
        for barrier in item.barriers:
            assert barrier.remedy.strip()
            assert "§VII" in barrier.remedy


@settings(max_examples=80, deadline=None)
@given(facts(applicable=None), st.booleans())
def test_same_facts_and_rulebook_give_the_same_bytes(given_facts: Facts, what_if: bool) -> None:
    first = decision_to_json(evaluate(given_facts, RULEBOOK, what_if=what_if))
    # A round trip through the API form and a fresh load of the same rulebook change nothing.
    replayed = facts_from_dict(facts_to_dict(given_facts))
    second = decision_to_json(evaluate(replayed, RELOADED, what_if=what_if))
    assert first == second


@PROPERTY
@given(contexts(applicable=True), function_facts(), st.sampled_from(sorted(ESCALATIONS)))
def test_escalation_never_raises_a_humanitarian_functions_degree(context, function, fact) -> None:
    if "humanitarian" not in function.dimensions:
        function = replace(function, dimensions=(*function.dimensions, "humanitarian"))
    previous = None
    for value in ESCALATIONS[fact]:
        if context_contradictions({**asdict(context), fact: value}):
            continue  # invariant 12: a step the engine refuses is no step
        escalated = replace(context, **{fact: value})
        (item,) = evaluate(consistent_facts(escalated, (function,)), RULEBOOK).recommendations
        current = [rank(item, level, "degree") for level in LEVELS]
        if previous is not None:
            assert all(now <= before for now, before in zip(current, previous, strict=True))
        previous = current


def _enablers_added(given_facts: Facts, index: int, enabler: str) -> Facts | None:
    if enabler in CONTEXT_ENABLERS:
        if getattr(given_facts.context, enabler):
            return None
        return replace(given_facts, context=replace(given_facts.context, **{enabler: True}))
    function = given_facts.functions[index]
    order = ("voluntary_unpledged", "voluntary_pledged", "assessed")
    if function.funding_source not in order[:2] or enabler == function.funding_source:
        return None
    if order.index(enabler) <= order.index(function.funding_source):
        return None
    functions = list(given_facts.functions)
    functions[index] = replace(function, funding_source=enabler)
    return replace(given_facts, functions=tuple(functions))


@PROPERTY
@given(
    facts(),
    st.integers(min_value=0, max_value=11),
    st.sampled_from((*CONTEXT_ENABLERS, "assessed", "pooled", "voluntary_pledged")),
)
def test_adding_an_enabler_never_lowers_feasibility_nor_adds_a_barrier(
    given_facts: Facts, index: int, enabler: str
) -> None:
    index %= len(given_facts.functions)
    if enabler == "pooled":
        # Pooled funding is an enabler from either voluntary source.
        function = given_facts.functions[index]
        if not function.funding_source.startswith("voluntary"):
            return
        functions = list(given_facts.functions)
        functions[index] = replace(function, funding_source="pooled")
        # from a pooled fund the context has (invariant 12): itself an enabler, added with it
        context = replace(given_facts.context, pooled_fund=True)
        enabled = replace(given_facts, context=context, functions=tuple(functions))
    else:
        enabled = _enablers_added(given_facts, index, enabler)
    if enabled is None:
        return
    before = by_function(evaluate(given_facts, RULEBOOK))
    after = by_function(evaluate(enabled, RULEBOOK))
    for code, item in before.items():
        for level in LEVELS:
            assert rank(after[code], level, "feasible_degree") >= rank(
                item, level, "feasible_degree"
            )
        assert set(after[code].barriers) <= set(item.barriers)


# Invariants 11-13: test_invariants_11_13.py (11 in its plain reading).
