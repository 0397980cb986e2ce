"""The engine writes its explanations, remedies, reasons and what-ifs in French on request, and
the answers never depend on the language."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings

from integration.engine import (
    RulebookError,
    decision_to_dict,
    default_rulebook,
    evaluate,
    facts_from_dict,
    load_rulebook,
)
from integration.engine.texts_en import ENGINE_STEPS, NOT_APPLICABLE_REASONS
from integration.engine.texts_fr import (
    ENGINE_STEPS_FR,
    FUNCTION_NAMES_FR,
    NOT_APPLICABLE_REASONS_FR,
)
from integration.engine.vocabulary import FUNCTIONS

from .strategies import facts
from .test_cases import BINUB, PKO, decide, one

RULEBOOK = default_rulebook()
ENGLISH_WORDS = re.compile(r"\b(the|would|integration of|for|is|are|with|and)\b")


def _texts(payload: dict) -> list[str]:
    found = [payload["reason"]] if not payload["applicable"] else []
    for item in payload["recommendations"]:
        for answer in item["levels"].values():
            found += [rule["explanation"] for rule in answer["rules"]]
        for barrier in item["barriers"]:
            found += [barrier["explanation"], barrier["remedy"]]
        found += [what_if["sentence"] for what_if in item["what_if"]]
    return found


def _without_texts(payload: dict) -> dict:
    """The answers of a decision, its prose left out."""
    if not payload["applicable"]:
        return {"applicable": False, "rulebook": payload["rulebook"]}
    return {
        "rulebook": payload["rulebook"],
        "recommendations": [
            {
                "function": item["function"],
                "lead": item["lead"],
                "levels": {
                    level: (a["degree"], a["feasible_degree"], [r["id"] for r in a["rules"]])
                    for level, a in item["levels"].items()
                },
                "barriers": [(b["category"], b["level"]) for b in item["barriers"]],
                "what_if": [
                    (w["fact"], w["to"], w["level"], w["output"], w["to_degree"])
                    for w in item["what_if"]
                ],
            }
            for item in payload["recommendations"]
        ],
    }


def test_the_default_rulebook_has_every_text_in_french() -> None:
    assert all(rule.explanation_fr for rule in RULEBOOK.rules)
    barriers = [rule for rule in RULEBOOK.rules if rule.effect.type == "barrier"]
    assert barriers
    assert all("§VII" in rule.effect.remedy_fr for rule in barriers)
    assert set(ENGINE_STEPS_FR) == set(ENGINE_STEPS)
    assert all(ENGINE_STEPS_FR.values())
    assert set(NOT_APPLICABLE_REASONS_FR) == set(NOT_APPLICABLE_REASONS)
    assert set(FUNCTION_NAMES_FR) == {spec.code for spec in FUNCTIONS}


@settings(max_examples=80, deadline=None)
@given(facts(applicable=None, max_functions=12))
def test_french_gives_the_same_answers_in_french_words(given_facts) -> None:
    english = decision_to_dict(evaluate(given_facts, RULEBOOK, what_if=True))
    french = decision_to_dict(evaluate(given_facts, RULEBOOK, what_if=True, language="fr"))

    assert _without_texts(french) == _without_texts(english)
    english_texts, french_texts = _texts(english), _texts(french)
    assert len(french_texts) == len(english_texts)
    for text_en, text_fr in zip(english_texts, french_texts, strict=True):
        assert text_fr != text_en
        assert "{" not in text_fr  # filled in
        assert "_" not in text_fr  # with words for values, not codes
        # the planner's own words are quoted as given (« … »), in whatever language
        assert not ENGLISH_WORDS.search(re.sub(r"«[^»]*»", "«»", text_fr)), text_fr
    # and English stays exactly as it was asked for without a language
    assert english == decision_to_dict(evaluate(given_facts, RULEBOOK, what_if=True, language="en"))


def test_the_binub_case_reads_in_french() -> None:
    item = one(
        decide(
            {**BINUB, "agency_service_agreements": False},
            [{"function": "peace_governance"}],
            what_if=True,
            language="fr",
        ),
        "peace_governance",
    )
    rules = [rule.explanation for rule in item.levels["programmatic"].rules]
    assert any("pour la paix et la gouvernance" in text for text in rules)
    (found,) = [w for w in item.what_if if w.fact == "context.agency_service_agreements"]
    assert found.sentence == (
        "Si les accords de services entre organismes étaient autorisés, l'intégration "
        "programmatique réalisable serait partielle (actuellement parallèle)."
    )


def test_a_french_what_if_says_both_degrees_when_both_move() -> None:
    ddr = {"function": "ddr", "dimensions": ["political", "military", "development"]}
    english = one(decide(PKO, [ddr], what_if=True), "ddr")
    french = one(decide(PKO, [ddr], what_if=True, language="fr"), "ddr")
    both = [
        index
        for index, w in enumerate(english.what_if)
        if "called for and feasible" in w.sentence or " and feasible at " in w.sentence
    ]
    assert both, "the case needs a change that moves the degree and the feasible degree"
    for index in both:
        sentence = french.what_if[index].sentence
        assert "requise" in sentence, sentence
        assert "réalisable" in sentence, sentence


def test_not_applicable_reasons_are_french() -> None:
    observer = {**BINUB, "presence_type": "observer_mission"}
    decision = decide(observer, [{"function": "ddr"}], language="fr")
    assert not decision.applicable
    assert "ne s'applique pas" in decision.reason or "pas applicable" in decision.reason


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match='language "de"'):
        decide(BINUB, [{"function": "ddr"}], language="de")


RULEBOOK_TEXT = """
name: t
version: "1"
rules:
  - id: r0
    principle: P3
    source: §IV.2
    when: {all: []}
    effect: {type: floor, levels: [strategic, programmatic, administrative], degree: partial}
    explanation: Partial by default.
    explanation_fr: Partielle par défaut.
  - id: r1
    principle: P9
    source: §VII
    when: {fact: context.common_services, eq: false}
    effect:
      type: barrier
      category: administration
      level: administrative
      cap: parallel
      remedy: Share common services (§VII Administrative and systemic reforms).
      REMEDY_FR
    explanation: No common services for {function_name}.
    EXPLANATION_FR
"""


def _rulebook(remedy_fr: str = "", explanation_fr: str = "") -> str:
    return RULEBOOK_TEXT.replace("REMEDY_FR", remedy_fr).replace("EXPLANATION_FR", explanation_fr)


def test_french_texts_are_checked_like_the_english() -> None:
    with pytest.raises(RulebookError, match=r'rule "r1": remedy_fr must cite §VII'):
        load_rulebook(_rulebook(remedy_fr="remedy_fr: Partager les services communs."))
    with pytest.raises(
        RulebookError, match=r'rule "r1": explanation_fr placeholder "\{fonction\}"'
    ):
        load_rulebook(_rulebook(explanation_fr="explanation_fr: Rien pour {fonction}."))
    with pytest.raises(RulebookError, match=r'rule "r1": explanation_fr, where given'):
        load_rulebook(_rulebook(explanation_fr='explanation_fr: ""'))


def test_a_rule_without_french_falls_back_to_its_english_sentence() -> None:
    given_facts = facts_from_dict(
        {"context": {**BINUB, "common_services": False}, "functions": [{"function": "ddr"}]}
    )
    item = evaluate(given_facts, load_rulebook(_rulebook()), language="fr").recommendations[0]
    (barrier,) = item.barriers
    # English words with English values, never English with French values ("for le DDR")
    assert barrier.explanation == "No common services for DDR."
    assert barrier.remedy.startswith("Share common services")
