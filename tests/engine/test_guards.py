"""The engine keeps invariants 4, 5 and 6 itself, even under a rulebook that would break them."""

from __future__ import annotations

import yaml
from hypothesis import given, settings

from integration.engine import evaluate, facts_from_dict, load_rulebook
from integration.engine.rulebook import DEFAULT_RULEBOOK_PATH

from .strategies import consistent_facts, contexts, facts, function_facts
from .test_cases import DDR_LINKING_EVERYTHING, PKO

PROPERTY = settings(max_examples=150, deadline=None)


def broken_rulebook():
    """The default without its P16 and P11 rules, and with OCHA pulled into the mission."""
    data = yaml.safe_load(DEFAULT_RULEBOOK_PATH.read_text(encoding="utf-8"))
    rules = [
        rule
        for rule in data["rules"]
        if not rule["id"].startswith(("p16-", "p11-", "p7-open-combat-humanitarian-coordination"))
    ]
    for rule in rules:
        if rule["id"] == "p7-ocha-outside":
            rule["effect"] = {
                "type": "floor",
                "levels": ["programmatic", "administrative"],
                "degree": "full",
            }
    data |= {"version": "broken", "rules": rules}
    return load_rulebook(yaml.safe_dump(data, allow_unicode=True))


BROKEN = broken_rulebook()


@PROPERTY
@given(contexts(applicable=True), function_facts("humanitarian_coordination"))
def test_humanitarian_coordination_stays_parallel_whatever_the_rules_say(context, function):
    decision = evaluate(consistent_facts(context, (function,)), BROKEN)
    (item,) = decision.recommendations
    levels = ("strategic", "programmatic", "administrative")
    for level in levels if context.force_posture == "open_combat" else levels[1:]:
        assert item.levels[level].degree == "parallel"
        assert item.levels[level].feasible_degree == "parallel"
    # where no rule of its own holds it at parallel, the guard decides, and opens the trace as a
    # rule with its principle
    rules = item.levels["programmatic"].rules
    holding = [
        rule.id
        for rule in rules
        if not rule.id.startswith("engine.")
        and BROKEN.rule(rule.id).effect.type == "cap"
        and "programmatic" in BROKEN.rule(rule.id).effect.levels
        and BROKEN.rule(rule.id).effect.degree == "parallel"
    ]
    if holding:
        assert [rule.id for rule in rules[: len(holding)]] == holding
    else:
        assert rules[0].id == "engine.p7.humanitarian-coordination-parallel"
        assert rules[0].principle == "P7"
        assert "OCHA stays outside" in rules[0].explanation


@PROPERTY
@given(facts())
def test_no_full_programmatic_integration_near_transition_whatever_the_rules_say(given_facts):
    context = given_facts.context
    months = context.drawdown_within_months
    near = context.phase == "transition" or (months is not None and months <= 12)
    for item in evaluate(given_facts, BROKEN).recommendations:
        if near:
            assert item.levels["programmatic"].degree != "full"


def test_the_reversibility_guard_is_traced_where_it_holds_full_integration_back():
    body = {"context": {**PKO, "drawdown_within_months": 6}, "functions": [DDR_LINKING_EVERYTHING]}
    (item,) = evaluate(facts_from_dict(body), BROKEN).recommendations
    assert item.levels["programmatic"].degree == "partial"
    first = item.levels["programmatic"].rules[0]
    assert (first.id, first.principle) == ("engine.p11.no-full-programmatic-near-transition", "P11")
    assert "costly to undo" in first.explanation


@PROPERTY
@given(facts(applicable=None))
def test_observer_missions_and_missions_without_a_unct_are_never_assessed(given_facts):
    context = given_facts.context
    decision = evaluate(given_facts, BROKEN)
    if context.presence_type == "observer_mission" or not context.unct_present:
        assert decision.applicable is False
        assert "Integration policy does not apply" in decision.reason
        assert decision.recommendations == ()
