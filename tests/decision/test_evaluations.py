"""Stored recommendations: computed on submit or on demand, replayable, versioned."""

from __future__ import annotations

import pytest
from django.db.models import F

from assessments import reevaluation, services
from assessments.evaluation_storage import EvaluationInput, evaluations_store
from assessments.exceptions import (
    AssessmentError,
    AssessmentIncomplete,
    AssessmentMandateEmpty,
    StaleAssessment,
)
from assessments.models import Assessment, Evaluation, HistoryEntry, Recommendation
from assessments.selectors import assessment_facts_get
from integration import engine
from integration.models import Rulebook
from integration.services import (
    rulebook_create,
    rulebook_engine_get,
    rulebook_publish,
    rulebook_published_get,
)
from tests.decision.test_rulebooks import STRICTER


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
    # given an assessment whose context puts barriers in the way (no pooled fund, no donors)
    Assessment.objects.filter(pk=binub_assessment.pk).update(
        pooled_fund=False, donors_in_planning=False
    )
    evaluation = services.assessment_evaluate(assessment_id=binub_assessment.pk, by=binub_planner)
    # given only the stored snapshot and rulebook version
    compiled = rulebook_engine_get(rulebook=evaluation.rulebook)
    replayed = engine.decision_to_dict(
        engine.evaluate(engine.facts_from_dict(evaluation.facts), compiled)
    )
    # then the replay gives the stored rows, barriers included
    stored = {
        (r.function.code, r.level): (r.degree, r.feasible_degree, r.lead, r.rules, r.barriers)
        for r in Recommendation.objects.filter(evaluation=evaluation).select_related("function")
    }
    assert stored == {
        (item["function"], level): (
            answer["degree"],
            answer["feasible_degree"],
            item["lead"],
            answer["rules"],
            [barrier for barrier in item["barriers"] if barrier["level"] == level],
        )
        for item in replayed["recommendations"]
        for level, answer in item["levels"].items()
    }
    assert any(row[4] for row in stored.values())  # the snapshot has barriers to compare


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
    rule = engine.FiredRule(id="r", principle="P1", explanation=text)
    barrier = engine.Barrier(
        category="funding", level="programmatic", explanation=text, remedy=text
    )
    levels = {
        level: engine.LevelDecision(degree="partial", feasible_degree="parallel", rules=(rule,))
        for level in ("strategic", "programmatic", "administrative")
    }
    decision = engine.Decision(
        applicable=True,
        reason=None,
        rulebook_name="test",
        rulebook_version="1",
        recommendations=(
            engine.FunctionRecommendation(
                function="ddr", lead="joint", levels=levels, barriers=(barrier,)
            ),
        ),
    )
    rulebook, _compiled = rulebook_published_get()
    # when it is stored
    (evaluation,) = evaluations_store(
        items=[
            EvaluationInput(
                binub_assessment.pk, binub_assessment.version, {"context": {}}, decision
            )
        ],
        rulebook=rulebook,
        trigger=Evaluation.Trigger.REEVALUATE,
    )
    # then it reads back unchanged
    row = Recommendation.objects.get(evaluation=evaluation, level="programmatic")
    assert row.rules[0]["explanation"] == text
    assert row.barriers[0]["remedy"] == text
    binub_assessment.refresh_from_db()
    assert binub_assessment.current_evaluation_id == evaluation.pk


@pytest.mark.django_db
def test_submit_refuses_an_assessment_with_no_function_in_the_mandate(
    binub_assessment, binub_planner
):
    binub_assessment.function_assessments.update(in_mandate=False)
    with pytest.raises(AssessmentMandateEmpty) as caught:
        services.assessment_submit(
            assessment_id=binub_assessment.pk, by=binub_planner, expected_version=1
        )
    # the error names the field at fault and what to do
    assert caught.value.path == "functions"
    assert "has no function in the mandate" in str(caught.value)
    assert isinstance(caught.value, AssessmentError)
    binub_assessment.refresh_from_db()
    assert (binub_assessment.status, binub_assessment.version) == ("draft", 1)
    assert binub_assessment.evaluations.count() == 0


@pytest.mark.django_db
def test_computing_recommendations_refuses_an_assessment_with_no_function_in_the_mandate(
    binub_assessment,
):
    binub_assessment.function_assessments.update(in_mandate=False)
    with pytest.raises(AssessmentMandateEmpty):
        services.assessment_evaluate(assessment_id=binub_assessment.pk)
    assert binub_assessment.evaluations.count() == 0


@pytest.mark.django_db
def test_storing_under_a_version_that_moved_keeps_the_current_evaluation(binub_assessment):
    # given an evaluated assessment, and facts read at its version 1
    first = services.assessment_evaluate(assessment_id=binub_assessment.pk)
    facts = assessment_facts_get(assessment_id=binub_assessment.pk)
    rulebook, compiled = rulebook_published_get()
    decision = services.decision_compute(facts=facts, rulebook=compiled)
    # when someone saves before the answer is stored
    Assessment.objects.filter(pk=binub_assessment.pk).update(version=F("version") + 1)
    stored = evaluations_store(
        items=[EvaluationInput(binub_assessment.pk, 1, facts, decision)],
        rulebook=rulebook,
        trigger=Evaluation.Trigger.REEVALUATE,
    )
    # then nothing is stored, and the current evaluation stays
    assert stored == []
    binub_assessment.refresh_from_db()
    assert binub_assessment.current_evaluation_id == first.pk
    assert list(Evaluation.objects.values_list("pk", flat=True)) == [first.pk]
    assert Recommendation.objects.exclude(evaluation=first).count() == 0


@pytest.mark.django_db
def test_a_save_during_reevaluation_leaves_that_assessment_as_it_was(binub_assessment, monkeypatch):
    # given an evaluated assessment and a stricter rulebook published
    first = services.assessment_evaluate(assessment_id=binub_assessment.pk)
    stricter = rulebook_publish(rulebook_id=rulebook_create(content=STRICTER).pk)
    # when a planner saves the assessment after re-evaluation read its facts, before it stores
    decide = reevaluation.decision_compute

    def decide_then_save(*, facts, rulebook):
        decision = decide(facts=facts, rulebook=rulebook)
        Assessment.objects.filter(pk=binub_assessment.pk).update(version=F("version") + 1)
        return decision

    monkeypatch.setattr(reevaluation, "decision_compute", decide_then_save)
    result = reevaluation.assessments_reevaluate(rulebook=stricter, dry_run=False)
    # then its stale answer is neither current nor kept, and the run says so
    assert result.skipped == [binub_assessment.pk]
    assert result.changes == []
    binub_assessment.refresh_from_db()
    assert binub_assessment.current_evaluation_id == first.pk
    assert Evaluation.objects.count() == 1


@pytest.mark.django_db
def test_a_submit_during_reevaluation_keeps_the_submitted_answer_current(
    binub_assessment, binub_planner, monkeypatch
):
    # given an evaluated draft, and re-evaluation under the published rulebook
    services.assessment_evaluate(assessment_id=binub_assessment.pk)
    rulebook, _compiled = rulebook_published_get()
    decide = reevaluation.decision_compute
    submitted = {}

    def decide_then_submit(*, facts, rulebook):
        decision = decide(facts=facts, rulebook=rulebook)
        # the planner changes a fact and submits between the read and the store
        Assessment.objects.filter(pk=binub_assessment.pk).update(pooled_fund=False)
        submitted["assessment"] = services.assessment_submit(
            assessment_id=binub_assessment.pk, by=binub_planner, expected_version=1
        )
        return decision

    monkeypatch.setattr(reevaluation, "decision_compute", decide_then_submit)
    result = reevaluation.assessments_reevaluate(rulebook=rulebook, dry_run=False)
    # then the submitted evaluation, computed from the new facts, stays current
    assert result.skipped == [binub_assessment.pk]
    binub_assessment.refresh_from_db()
    current = binub_assessment.current_evaluation
    assert current.trigger == Evaluation.Trigger.SUBMIT
    assert current.facts["context"]["pooled_fund"] is False
    assert binub_assessment.evaluations.count() == 2  # the first, and the submitted one


def _stored_rows(evaluation: Evaluation) -> list[tuple]:
    return sorted(
        (r.function.code, r.level, r.lead, r.degree, r.feasible_degree, r.rules, r.barriers)
        for r in evaluation.recommendations.select_related("function")
    )


@pytest.mark.django_db(transaction=True)
def test_reevaluation_stores_exactly_the_rows_an_evaluation_stores(binub_assessment):
    # given an assessment with barriers (no agency service agreements, no common services)
    Assessment.objects.filter(pk=binub_assessment.pk).update(
        agency_service_agreements=False, common_services=False
    )
    first = services.assessment_evaluate(assessment_id=binub_assessment.pk)
    # when re-evaluation stores it again under the same rulebook (its own encoding, by COPY
    # on PostgreSQL, from a second thread outside a transaction)
    rulebook, _compiled = rulebook_published_get()
    result = reevaluation.assessments_reevaluate(rulebook=rulebook, dry_run=False)
    # then the new rows say exactly what the first ones said, barriers and remedies included
    binub_assessment.refresh_from_db()
    second = binub_assessment.current_evaluation
    assert result.assessments == 1
    assert second.pk != first.pk
    assert _stored_rows(second) == _stored_rows(first)
    assert any(row[6] for row in _stored_rows(first))
    assert all("remedy" in b for row in _stored_rows(second) for b in row[6])


@pytest.mark.django_db
def test_an_unchanged_rulebook_finds_no_change_where_levels_have_several_barriers(
    binub_assessment,
):
    # given an assessment held back at some levels by barriers of several categories
    Assessment.objects.filter(pk=binub_assessment.pk).update(
        agency_service_agreements=False,
        common_services=False,
        donors_in_planning=False,
        pooled_fund=False,
        force_posture="open_combat",
    )
    first = services.assessment_evaluate(assessment_id=binub_assessment.pk)
    categories = [{b["category"] for b in rec.barriers} for rec in first.recommendations.all()]
    assert any(len(found) > 1 for found in categories)
    # when it is re-evaluated under the same rulebook, the stored answers read back (their
    # barrier categories joined by the database on PostgreSQL) compare equal to the engine's
    rulebook, _compiled = rulebook_published_get()
    result = reevaluation.assessments_reevaluate(rulebook=rulebook, dry_run=True)
    assert result.assessments == 1
    assert result.changes == []
