"""Stored recommendations: computed on submit or on demand, replayable, versioned."""

from __future__ import annotations

import pytest

from assessments import services
from assessments.exceptions import AssessmentIncomplete, StaleAssessment
from assessments.models import Assessment, Evaluation, HistoryEntry, Recommendation
from integration import engine
from integration.models import Rulebook
from integration.services import rulebook_engine_get, rulebook_published_get


@pytest.mark.django_db
def test_a_fresh_install_publishes_the_repository_default_rulebook():
    rulebook, compiled = rulebook_published_get()
    assert rulebook.status == Rulebook.Status.PUBLISHED
    assert rulebook.version == compiled.version
    assert rulebook.checksum == compiled.checksum
    assert Rulebook.objects.filter(status=Rulebook.Status.PUBLISHED).count() == 1


@pytest.mark.django_db
def test_submit_computes_and_stores_recommendations_per_function_and_level(
    binub_assessment, binub_planner
):
    # when a complete draft is submitted
    submitted = services.assessment_submit(
        assessment_id=binub_assessment.pk, by=binub_planner, expected_version=1
    )
    # then it is submitted, one version further, with 12 functions × 3 levels stored
    assert submitted.status == Assessment.Status.SUBMITTED
    assert submitted.version == 2
    evaluation = submitted.current_evaluation
    assert evaluation.trigger == Evaluation.Trigger.SUBMIT
    assert evaluation.applicable is True
    assert evaluation.recommendations.count() == 36
    assert evaluation.rulebook.status == Rulebook.Status.PUBLISHED
    every_level_has_a_rule = all(r.rules for r in evaluation.recommendations.all())
    assert every_level_has_a_rule
    assert HistoryEntry.objects.filter(
        assessment=binub_assessment, action=HistoryEntry.Action.SUBMITTED
    ).exists()


@pytest.mark.django_db
def test_a_stored_answer_replays_byte_for_byte_from_its_snapshot(binub_assessment, binub_planner):
    evaluation = services.assessment_evaluate(assessment_id=binub_assessment.pk, by=binub_planner)
    # given only the stored snapshot and rulebook version
    compiled = rulebook_engine_get(rulebook=evaluation.rulebook)
    replayed = engine.decision_to_dict(
        engine.evaluate(engine.facts_from_dict(evaluation.facts), compiled)
    )
    # then the replay gives the stored rows
    stored = {
        (r.function.code, r.level): (r.degree, r.feasible_degree, r.lead, r.rules)
        for r in Recommendation.objects.filter(evaluation=evaluation).select_related("function")
    }
    assert stored == {
        (item["function"], level): (
            answer["degree"],
            answer["feasible_degree"],
            item["lead"],
            answer["rules"],
        )
        for item in replayed["recommendations"]
        for level, answer in item["levels"].items()
    }


@pytest.mark.django_db
def test_submit_needs_the_desired_impact_of_every_function_in_the_mandate(
    binub_assessment, binub_planner
):
    binub_assessment.function_assessments.filter(function__code="ddr").update(desired_impact=" ")
    binub_assessment.function_assessments.filter(function__code="ssr").update(
        desired_impact="", in_mandate=False
    )
    with pytest.raises(AssessmentIncomplete) as caught:
        services.assessment_submit(
            assessment_id=binub_assessment.pk, by=binub_planner, expected_version=1
        )
    assert set(caught.value.missing) == {"ddr"}
    binub_assessment.refresh_from_db()
    assert binub_assessment.status == Assessment.Status.DRAFT
    assert binub_assessment.evaluations.count() == 0


@pytest.mark.django_db
def test_submit_on_a_stale_version_changes_nothing(binub_assessment, binub_planner):
    with pytest.raises(StaleAssessment):
        services.assessment_submit(
            assessment_id=binub_assessment.pk, by=binub_planner, expected_version=7
        )
    binub_assessment.refresh_from_db()
    assert (binub_assessment.status, binub_assessment.version) == ("draft", 1)


@pytest.mark.django_db
def test_functions_outside_the_mandate_get_no_recommendation(binub_assessment, binub_planner):
    binub_assessment.function_assessments.filter(function__code="elections").update(
        in_mandate=False
    )
    evaluation = services.assessment_evaluate(assessment_id=binub_assessment.pk, by=binub_planner)
    codes = set(evaluation.recommendations.values_list("function__code", flat=True))
    assert "elections" not in codes
    assert len(codes) == 11


@pytest.mark.django_db
def test_an_observer_mission_is_stored_as_not_applicable(binub_assessment, binub_planner):
    Assessment.objects.filter(pk=binub_assessment.pk).update(presence_type="observer_mission")
    evaluation = services.assessment_evaluate(assessment_id=binub_assessment.pk, by=binub_planner)
    assert evaluation.applicable is False
    assert evaluation.reason
    assert evaluation.recommendations.count() == 0


@pytest.mark.django_db
def test_stored_rules_and_barriers_keep_every_character(binub_assessment):
    # given a decision whose texts hold what bulk loading must escape
    text = 'Quote " backslash \\ tab \t newline \n unicode §VII — é ✓ and \\n literally'
    decision = {
        "applicable": True,
        "recommendations": [
            {
                "function": "ddr",
                "lead": "joint",
                "levels": {
                    level: {
                        "degree": "partial",
                        "feasible_degree": "parallel",
                        "rules": [{"id": "r", "principle": "P1", "explanation": text}],
                    }
                    for level in ("strategic", "programmatic", "administrative")
                },
                "barriers": [
                    {
                        "category": "funding",
                        "level": "programmatic",
                        "explanation": text,
                        "remedy": text,
                    }
                ],
            }
        ],
    }
    rulebook, _compiled = rulebook_published_get()
    # when it is stored
    (evaluation,) = services.evaluations_store(
        items=[(binub_assessment, {"context": {}}, decision)],
        rulebook=rulebook,
        trigger=Evaluation.Trigger.REEVALUATE,
    )
    # then it reads back unchanged
    row = Recommendation.objects.get(evaluation=evaluation, level="programmatic")
    assert row.rules[0]["explanation"] == text
    assert row.barriers[0]["remedy"] == text
    binub_assessment.refresh_from_db()
    assert binub_assessment.current_evaluation_id == evaluation.pk
