"""What-if suggestions come from re-running the rules, and each one is true when applied."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings

from integration.engine import (
    ContradictoryFacts,
    Facts,
    WhatIf,
    WhatIfAlternative,
    default_rulebook,
    evaluate,
)
from integration.engine.facts import Context, FunctionFacts

from .strategies import facts
from .test_cases import BINUB, DDR_LINKING_EVERYTHING, PKO, decide, one

RULEBOOK = default_rulebook()


def apply(given_facts: Facts, function: str, what_if: WhatIf | WhatIfAlternative) -> Facts:
    scope, name = what_if.fact.split(".", 1)
    if scope == "context":
        return replace(
            given_facts, context=replace(given_facts.context, **{name: what_if.to_value})
        )
    functions = tuple(
        replace(item, **{name: what_if.to_value}) if item.function == function else item
        for item in given_facts.functions
    )
    return replace(given_facts, functions=functions)


def changes(what_if: WhatIf) -> tuple[WhatIf | WhatIfAlternative, ...]:
    """The change a suggestion names first and its equivalent alternatives."""
    return (what_if, *what_if.alternatives)


def test_permitting_agency_service_agreements_is_found_from_the_rules() -> None:
    ddr = one(
        decide({**PKO, "agency_service_agreements": False}, [DDR_LINKING_EVERYTHING], what_if=True),
        "ddr",
    )
    found = [w for w in ddr.what_if if w.fact == "context.agency_service_agreements"]
    assert [(w.level, w.output, w.from_degree, w.to_degree) for w in found] == [
        ("programmatic", "feasible_degree", "parallel", "full"),
        ("administrative", "feasible_degree", "partial", "full"),
    ]
    assert found[1] == WhatIf(
        fact="context.agency_service_agreements",
        from_value=False,
        to_value=True,
        level="administrative",
        output="feasible_degree",
        from_degree="partial",
        to_degree="full",
        sentence=(
            "If agency service agreements were permitted, administrative integration would "
            "become feasible at full (now partial)."
        ),
    )


def test_binub_without_agency_service_agreements_would_get_its_joint_programmes_back() -> None:
    # the source's own example: agency service agreements enabled BINUB's partial integration
    context = {**BINUB, "agency_service_agreements": False}
    item = one(
        decide(context, [{"function": "peace_governance"}], what_if=True), "peace_governance"
    )
    (found,) = [w for w in item.what_if if w.fact == "context.agency_service_agreements"]
    assert (found.level, found.output, found.from_degree, found.to_degree) == (
        "programmatic",
        "feasible_degree",
        "parallel",
        "partial",
    )
    assert found.sentence == (
        "If agency service agreements were permitted, programmatic integration would become "
        "feasible at partial (now parallel)."
    )


def test_what_ifs_name_degree_changes_in_plain_language() -> None:
    ddr = one(decide(PKO, [DDR_LINKING_EVERYTHING], what_if=True), "ddr")
    sentences = [w.sentence for w in ddr.what_if]
    # one sentence per effect on a level, naming the degree and the feasible degree together,
    # and every change that has that effect
    (transition,) = [s for s in sentences if "transition phase" in s and "programmatic" in s]
    assert transition.startswith("If the UN presence were a political mission, if the peace ")
    assert (
        "if a drawdown were planned within 12 months or if DDR no longer had a political, "
        "military or development component, programmatic integration would be called for and "
        "feasible at partial (now full)." in transition
    )
    assert len(sentences) == len(set(sentences))
    # Nothing is suggested that changes nothing.
    assert all(w.from_degree != w.to_degree for w in ddr.what_if)


def test_what_if_sentences_use_plain_values_and_name_the_function_in_lower_case() -> None:
    functions = [{"function": "rule_of_law", "funding_source": "voluntary_unpledged"}]
    item = one(decide(BINUB, functions, what_if=True), "rule_of_law")
    sentences = {w.sentence for w in item.what_if}
    assert (
        "If rule of law were funded from assessed contributions, through a pooled fund or from "
        "pledged voluntary contributions, programmatic integration would become feasible at "
        "partial (now parallel)." in sentences
    )
    assert not any("“" in text or "_" in text for text in sentences)


def test_what_if_is_empty_unless_asked_for() -> None:
    assert all(item.what_if == () for item in decide(BINUB).recommendations)


def test_what_ifs_leave_out_changes_that_end_applicability() -> None:
    decision = decide(BINUB, what_if=True)
    facts_changed = {w.fact for item in decision.recommendations for w in item.what_if}
    assert "context.unct_present" not in facts_changed
    assert all(
        w.to_value != "observer_mission" for item in decision.recommendations for w in item.what_if
    )


@settings(max_examples=60, deadline=None)
@given(facts(max_functions=4))
def test_every_what_if_when_applied_produces_the_stated_change(given_facts: Facts) -> None:
    decision = evaluate(given_facts, RULEBOOK, what_if=True)
    for item in decision.recommendations:
        for what_if in item.what_if:
            assert getattr(item.levels[what_if.level], what_if.output) == what_if.from_degree
            for change in changes(what_if):
                changed = evaluate(apply(given_facts, item.function, change), RULEBOOK)
                assert changed.applicable
                (after,) = [r for r in changed.recommendations if r.function == item.function]
                assert getattr(after.levels[what_if.level], what_if.output) == what_if.to_degree


@settings(max_examples=40, deadline=None)
@given(facts(max_functions=3))
def test_what_if_misses_no_single_boolean_change(given_facts: Facts) -> None:
    # A brute-force cross-check of the incremental search, for the boolean facts.
    decision = evaluate(given_facts, RULEBOOK, what_if=True)
    for name in (
        "agency_service_agreements",
        "pooled_fund",
        "donors_in_planning",
        "common_services",
        "hc_triple_hatted",
    ):
        flipped = replace(given_facts.context, **{name: not getattr(given_facts.context, name)})
        try:
            changed = evaluate(replace(given_facts, context=flipped), RULEBOOK)
        except ContradictoryFacts:
            continue  # no pooled fund under pooled funding (invariant 12): never suggested

        for before, after in zip(decision.recommendations, changed.recommendations, strict=True):
            # one what-if per level that moves, naming the degree whenever the degree moves
            expected = {
                level: "degree"
                if decision.degree != after.levels[level].degree
                else "feasible_degree"
                for level, decision in before.levels.items()
                if (decision.degree, decision.feasible_degree)
                != (after.levels[level].degree, after.levels[level].feasible_degree)
            }
            reported = {
                w.level: w.output
                for w in before.what_if
                if any(change.fact == f"context.{name}" for change in changes(w))
            }
            assert reported == expected


def test_per_function_changes_are_tried_only_on_their_function() -> None:
    context = Context(**BINUB)
    given_facts = Facts(context, (FunctionFacts("peace_governance"), FunctionFacts("ddr")))
    decision = evaluate(given_facts, RULEBOOK, what_if=True)
    for item in decision.recommendations:
        for what_if in item.what_if:
            for change in changes(what_if):
                if not change.fact.startswith("function."):
                    continue
                applied = apply(given_facts, item.function, change)
                others = [f for f in applied.functions if f.function != item.function]
                assert others == [f for f in given_facts.functions if f.function != item.function]
