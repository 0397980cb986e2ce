"""What-if suggestions come in order of what helps, and equivalent changes come once (issue 12:
"what-if lists cluttered with near-duplicates and bad-news changes first"), on the source's own
missions."""

from __future__ import annotations

from collections import Counter

import pytest

from integration.engine import FunctionRecommendation, default_rulebook, evaluate
from integration.engine.vocabulary import DEGREE_ORDER

from .sample_missions import sample_facts, sample_facts_of
from .test_what_if import apply, changes

RULEBOOK = default_rulebook()


def monuc(function: str, language: str = "en") -> FunctionRecommendation:
    decision = evaluate(sample_facts_of("MONUC"), RULEBOOK, what_if=True, language=language)
    return next(item for item in decision.recommendations if item.function == function)


def test_monuc_hears_first_what_would_lift_its_administrative_barrier() -> None:
    # MONUC may not contract UNCT agencies (§VII Structural reforms) and shares no common
    # services: either would give peace and governance its administrative link back, so that
    # comes first, once, naming both; the bad news (transition, drawdown, unpledged funds:
    # joint programmes out of reach) comes last, once.
    sentences = [w.sentence for w in monuc("peace_governance").what_if]
    assert sentences[0] == (
        "If agency service agreements were permitted or if the mission and the UNCT shared "
        "common services, administrative integration would become feasible at partial (now "
        "parallel)."
    )
    assert sentences[-1] == (
        "If the peace process were in its transition phase, if a drawdown were planned within "
        "12 months or if peace and governance were funded from voluntary contributions not yet "
        "pledged, programmatic integration would become feasible at parallel (now partial)."
    )


def test_monuc_political_process_names_every_component_that_would_call_for_joint_programmes() -> (
    None
):
    item = monuc("political_process")
    (programmatic,) = [w for w in item.what_if if w.level == "programmatic"]
    assert programmatic.sentence == (
        "If the political process also had a military, police, humanitarian, development, human "
        "rights or rule of law component, programmatic integration would be called for and "
        "feasible at partial (now parallel)."
    )
    added = ("military", "police", "humanitarian", "development", "human_rights", "rule_of_law")
    assert [change.to_value for change in changes(programmatic)] == [
        ("political", dimension) for dimension in added
    ]


def test_monuc_ddr_transition_and_drawdown_are_one_suggestion_in_both_languages() -> None:
    # §IV.2: full integration is costly to undo; the transition phase and a drawdown within 12
    # months say the same thing to DDR's programmes, so the planner reads it once.
    english = [w for w in monuc("ddr").what_if if w.fact == "context.phase"]
    french = [w for w in monuc("ddr", "fr").what_if if w.fact == "context.phase"]
    assert [w.sentence for w in english if w.level == "programmatic"] == [
        "If the peace process were in its transition phase or if a drawdown were planned within "
        "12 months, programmatic integration would be called for at partial (now full) and "
        "feasible at parallel (now partial)."
    ]
    assert [w.sentence for w in french if w.level == "programmatic"] == [
        "Si le processus de paix était en phase de transition ou si un retrait était prévu d'ici "
        "12 mois, l'intégration programmatique requise serait partielle (actuellement complète) "
        "et l'intégration réalisable parallèle (actuellement partielle)."
    ]


def _feasible_rise(acronym: str, item: FunctionRecommendation, what_if) -> int:
    """How far the feasible degree of the what-if's level moves when its change is applied."""
    facts = sample_facts_of(acronym)
    after = evaluate(apply(facts, item.function, what_if), RULEBOOK)
    (changed,) = [r for r in after.recommendations if r.function == item.function]
    before = item.levels[what_if.level].feasible_degree
    return DEGREE_ORDER[changed.levels[what_if.level].feasible_degree] - DEGREE_ORDER[before]


@pytest.mark.parametrize("acronym", ["BINUB", "MONUC", "UNAMID", "UNMIS"])
def test_every_sample_mission_lists_what_helps_before_bad_news(acronym: str) -> None:
    decision = evaluate(sample_facts_of(acronym), RULEBOOK, what_if=True)
    for item in decision.recommendations:
        rises = [_feasible_rise(acronym, item, w) for w in item.what_if]
        # lifts first (the largest first), then changes that leave feasibility as it is, then
        # falls (the smallest first)
        groups = [0 if rise > 0 else 1 if rise == 0 else 2 for rise in rises]
        assert groups == sorted(groups), item.function
        assert [-r for r in rises if r > 0] == sorted(-r for r in rises if r > 0)
        assert [-r for r in rises if r < 0] == sorted(-r for r in rises if r < 0)


def test_no_sample_mission_hears_the_same_effect_on_a_level_twice() -> None:
    for acronym, facts in sample_facts():
        decision = evaluate(facts, RULEBOOK, what_if=True)
        for item in decision.recommendations:
            effects = Counter((w.level, w.output, w.from_degree, w.to_degree) for w in item.what_if)
            sentences = [w.sentence for w in item.what_if]
            assert len(set(sentences)) == len(sentences), (acronym, item.function)
            # two suggestions on one level differ in what the other output does, never in
            # nothing at all
            for (level, output, *_), count in effects.items():
                if count > 1:
                    moved = [w for w in item.what_if if (w.level, w.output) == (level, output)]
                    results = {_full_result(acronym, item, w) for w in moved}
                    assert len(results) == len(moved), (acronym, item.function, level)


def _full_result(acronym: str, item: FunctionRecommendation, what_if) -> tuple[str, str]:
    after = evaluate(apply(sample_facts_of(acronym), item.function, what_if), RULEBOOK)
    (changed,) = [r for r in after.recommendations if r.function == item.function]
    level = changed.levels[what_if.level]
    return level.degree, level.feasible_degree
