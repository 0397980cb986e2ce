"""Levers come from re-running the rules: each closes exactly the gaps it claims when applied."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings

from integration.engine import Facts, default_rulebook, evaluate, facts_from_dict
from integration.engine.lever_texts import carriers_of
from integration.engine.levers import FactChange, Lever, gaps, levers

from .strategies import facts_with_every_fact
from .test_cases_2008 import BINUB, MONUC

RULEBOOK = default_rulebook()
RANK = {"parallel": 0, "partial": 1, "full": 2}


def apply(given_facts: Facts, changes: tuple[FactChange, ...]) -> Facts:
    """The facts with a lever's changes made, built anew (and so validated anew)."""
    context, functions = given_facts.context, given_facts.functions
    for change in changes:
        name = change.fact.split(".", 1)[1]
        if change.function is None:
            context = replace(context, **{name: change.to_value})
        else:
            functions = tuple(
                replace(item, **{name: change.to_value})
                if item.function == change.function
                else item
                for item in functions
            )
    return Facts(context, functions)


def cells(decision) -> dict[tuple[str, str], tuple[int, int]]:
    return {
        (item.function, level): (RANK[answer.degree], RANK[answer.feasible_degree])
        for item in decision.recommendations
        for level, answer in item.levels.items()
    }


def by_condition(found: tuple[Lever, ...], condition: str) -> Lever:
    (lever,) = [lever for lever in found if lever.condition == condition]
    return lever


@settings(max_examples=40, deadline=None)
@given(facts_with_every_fact(max_functions=4))
def test_applying_a_levers_changes_closes_exactly_the_gaps_it_claims(given_facts: Facts) -> None:
    before = evaluate(given_facts, RULEBOOK)
    was = cells(before)
    for lever in levers(given_facts, RULEBOOK):
        after = evaluate(apply(given_facts, lever.changes), RULEBOOK)
        assert after.applicable
        now = cells(after)
        closed = {
            cell
            for cell in gaps(before)
            if now[cell][1] == now[cell][0] and now[cell][0] >= was[cell][0]
        }
        assert set(lever.closes) == closed
        assert closed
        # a lever lowers nothing, flags every cell where more would be called for, and lists
        # every cell that moves
        assert all(now[cell][0] >= was[cell][0] and now[cell][1] >= was[cell][1] for cell in was)
        assert set(lever.raises) == {cell for cell in was if now[cell][0] > was[cell][0]}
        assert {(move.function, move.level) for move in lever.moves} == {
            cell for cell in was if now[cell] != was[cell]
        }


def test_monuc_without_agency_service_agreements_gets_the_fifth_committee_lever() -> None:
    found = levers(facts_from_dict({"context": MONUC}), RULEBOOK)

    lever = by_condition(found, "If agency service agreements were permitted")
    assert lever.changes == (FactChange("context.agency_service_agreements", None, False, True),)
    assert ("ssr", "administrative") in lever.closes
    assert lever.raises == ()
    assert any("Fifth Committee" in barrier.remedy for barrier in lever.barriers)
    assert "member_states" in lever.carriers
    assert {barrier.category for barrier in lever.barriers} == {"administration"}


def test_a_pair_is_listed_only_for_gaps_neither_change_closes_alone() -> None:
    # MONUC has neither a common strategic framework nor joint monitoring: each alone lifts one
    # of the two barriers at the strategic level, so only both together close its gaps
    found = levers(facts_from_dict({"context": MONUC}), RULEBOOK)

    pair = by_condition(
        found,
        "If the mission and the UNCT agreed one common strategic framework and the mission and "
        "the UNCT monitored and evaluated together",
    )
    assert ("ddr", "strategic") in pair.closes
    assert {barrier.category for barrier in pair.barriers} == {"planning", "accountability"}
    singles = [lever for lever in found if len(lever.changes) == 1]
    assert all(("ddr", "strategic") not in lever.closes for lever in singles)


def test_levers_are_ranked_by_the_gaps_they_close() -> None:
    found = levers(facts_from_dict({"context": MONUC}), RULEBOOK)

    assert [len(lever.closes) for lever in found] == sorted(
        (len(lever.closes) for lever in found), reverse=True
    )


def test_a_change_that_calls_for_more_integration_is_flagged() -> None:
    found = levers(facts_from_dict({"context": MONUC}), RULEBOOK)

    lever = by_condition(found, "If the mission and the UNCT shared common services")
    assert ("political_process", "administrative") in lever.raises


def test_levers_read_in_french() -> None:
    found = levers(facts_from_dict({"context": MONUC}), RULEBOOK, language="fr")

    lever = by_condition(found, "Si les accords de services entre organismes étaient autorisés")
    assert any("Cinquième Commission" in barrier.remedy for barrier in lever.barriers)
    assert "member_states" in lever.carriers


def test_an_assessment_with_every_enabler_has_fewer_levers() -> None:
    enabled = levers(facts_from_dict({"context": BINUB}), RULEBOOK)
    monuc = levers(facts_from_dict({"context": MONUC}), RULEBOOK)

    assert len(enabled) < len(monuc)
    assert all("agency service agreements" not in lever.condition for lever in enabled)


def test_no_lever_where_integration_policy_does_not_apply() -> None:
    observer = {**MONUC, "presence_type": "observer_mission"}

    assert levers(facts_from_dict({"context": observer}), RULEBOOK) == ()


def test_carriers_are_read_from_the_remedy_in_the_order_it_names_them() -> None:
    assert carriers_of(
        "Revisit the restrictions with the Fifth Committee, so that the mission may negotiate "
        "them with UNCT agencies"
    ) == ("member_states", "mission", "unct")
    assert carriers_of("Involve donors in the integrated planning process") == ("donors",)
    assert carriers_of("Monitor and evaluate the common framework together") == (
        "mission",
        "unct",
    )
