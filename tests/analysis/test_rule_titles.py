"""Rule titles and roles in a cell's trace (assessments/selectors/rule_titles.py): no database."""

from __future__ import annotations

from django.utils import translation

from assessments.selectors import rule_titles
from integration import engine
from integration.engine.samples import binub_context
from integration.engine.texts_en import ENGINE_STEPS

RULEBOOK = engine.default_rulebook()


def test_every_engine_step_has_a_title_in_english_and_in_french():
    for step in ENGINE_STEPS:
        with translation.override("en"):
            english = rule_titles.rule_title(step, RULEBOOK)
        with translation.override("fr"):
            french = rule_titles.rule_title(step, RULEBOOK)
        assert english != step, step
        assert french != english, step


def test_every_rule_of_the_default_rulebook_reads_as_a_title_not_an_id():
    with translation.override("fr"):
        titles = {rule.id: rule_titles.rule_title(rule.id, RULEBOOK) for rule in RULEBOOK.rules}
    assert not [rule_id for rule_id, title in titles.items() if rule_id in title]
    assert titles["p1-common-strategic-plan"] == "Appelle une intégration complète"


def test_a_trace_is_split_into_decided_lowered_lead_and_set_aside_whatever_the_language():
    trace = [
        {"id": "p1-common-strategic-plan", "principle": "P1", "explanation": "One plan."},
        {"id": "engine.feasibility.programmatic-le-strategic", "principle": "P1"},
        {"id": "p6-lead-joint-in-peacebuilding", "principle": "P6", "explanation": "Jointly."},
        {
            "id": "p5-lead-joint",
            "principle": "P5",
            "explanation": "Écartée au profit de p6-lead-joint-in-peacebuilding : Conjointement.",
        },
    ]
    with translation.override("fr"):
        explained = rule_titles.rules_explained(trace, RULEBOOK)
    assert [rule["role"] for rule in explained] == ["decided", "lowered", "lead", "set_aside"]
    aside = explained[3]
    assert aside["explanation"] == "Conjointement."
    assert aside["by_id"] == "p6-lead-joint-in-peacebuilding"
    assert aside["by_principle"] == "P6"
    assert aside["by_title"].startswith("Désigne le chef de file")


def test_the_engines_own_french_set_aside_marks_are_recognised():
    # French traces put a no-break space before the colon of "Écartée au profit de …\u00a0: "
    facts = engine.facts_from_dict(
        {
            "context": binub_context(),
            "functions": [{"function": "ssr", "unct_programmes": True}],
        }
    )
    (ssr,) = engine.evaluate(facts, RULEBOOK, language="fr").recommendations
    trace = [
        {"id": rule.id, "principle": rule.principle, "explanation": rule.explanation}
        for rule in ssr.levels["strategic"].rules
    ]
    assert any("\u00a0: " in rule["explanation"] for rule in trace)
    with translation.override("fr"):
        explained = rule_titles.rules_explained(trace, RULEBOOK)
    aside = [rule for rule in explained if rule["role"] == "set_aside"]
    assert {rule["id"] for rule in aside} == {"p5-lead-mission", "p12-join-unct-programmes"}
    assert all(rule["by_id"] == "p6-lead-joint-in-peacebuilding" for rule in aside)
    assert not any(rule["explanation"].startswith("Écartée") for rule in aside)
