"""The humanitarian arrangement is stored with each evaluation (domain.md §4): on submit, by
re-evaluation's COPY, and filled in for evaluations stored before the column existed."""

from __future__ import annotations

import dataclasses
import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction

from assessments import reevaluation, services
from assessments.evaluation_storage import EvaluationInput, evaluations_store
from assessments.models import Assessment, Evaluation
from assessments.selectors import assessment_facts_get
from integration import engine
from integration.services import rulebook_engine_get, rulebook_published_get

OPEN_COMBAT = {"force_posture": "open_combat", "conflict_level": "high", "phase": "peacekeeping"}
BACKFILL = importlib.import_module(
    "assessments.migrations.0009_evaluation_humanitarian_arrangement"
).backfill


def _replayed(evaluation: Evaluation) -> dict | None:
    compiled = rulebook_engine_get(rulebook=evaluation.rulebook)
    decision = engine.evaluate(engine.facts_from_dict(evaluation.facts), compiled)
    return engine.decision_to_dict(decision).get("humanitarian_arrangement")


@pytest.mark.django_db
def test_submit_stores_the_arrangement_the_engine_decides(binub_assessment, binub_planner):
    Assessment.objects.filter(pk=binub_assessment.pk).update(**OPEN_COMBAT)
    submitted = services.assessment_submit(
        assessment_id=binub_assessment.pk, by=binub_planner, expected_version=1
    )
    stored = submitted.current_evaluation.humanitarian_arrangement
    assert stored["arrangement"] == "two_feet_out"
    assert stored == _replayed(submitted.current_evaluation)


@pytest.mark.django_db(transaction=True)
def test_reevaluation_stores_the_same_arrangement_as_submit(binub_assessment):
    # given an evaluation stored one by one
    Assessment.objects.filter(pk=binub_assessment.pk).update(**OPEN_COMBAT)
    first = services.assessment_evaluate(assessment_id=binub_assessment.pk)
    # when re-evaluation stores it again (by COPY on PostgreSQL)
    rulebook, _compiled = rulebook_published_get()
    reevaluation.assessments_reevaluate(rulebook=rulebook, dry_run=False)
    binub_assessment.refresh_from_db()
    second = binub_assessment.current_evaluation
    # then it keeps the arrangement, every character of its rules and risks
    assert second.pk != first.pk
    assert second.humanitarian_arrangement == first.humanitarian_arrangement
    assert second.humanitarian_arrangement["risks"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("trigger", [Evaluation.Trigger.ON_DEMAND, Evaluation.Trigger.REEVALUATE])
def test_a_decision_without_arrangement_stores_null(binub_assessment, trigger):
    # given the engine's answer under a rulebook that decides no arrangement (as 2007.3)
    rulebook, compiled = rulebook_published_get()
    facts = assessment_facts_get(assessment_id=binub_assessment.pk)
    decision = engine.evaluate(engine.facts_from_dict(facts), compiled)
    decision = dataclasses.replace(decision, humanitarian_arrangement=None)
    # when it is stored one by one, or by re-evaluation's COPY on PostgreSQL
    item = EvaluationInput(binub_assessment.pk, binub_assessment.version, facts, decision)
    (stored,) = evaluations_store(items=[item], rulebook=rulebook, trigger=trigger)
    # then the column is null (SQL NULL, not JSON null: the check constraint reads it so)
    assert Evaluation.objects.get(pk=stored.pk).humanitarian_arrangement is None
    assert Evaluation.objects.filter(pk=stored.pk, humanitarian_arrangement__isnull=True).exists()


@pytest.mark.django_db
def test_a_not_applicable_answer_stores_no_arrangement(binub_assessment):
    # an observer mission is not assessed: nothing is recommended, the arrangement neither
    Assessment.objects.filter(pk=binub_assessment.pk).update(presence_type="observer_mission")
    evaluation = services.assessment_evaluate(assessment_id=binub_assessment.pk)
    assert evaluation.applicable is False
    assert Evaluation.objects.get(pk=evaluation.pk).humanitarian_arrangement is None


@pytest.mark.django_db
def test_the_migration_fills_in_evaluations_stored_before_it(binub_assessment, binub_planner):
    # given evaluations stored before the column existed (null), one of them in open combat
    calm = services.assessment_evaluate(assessment_id=binub_assessment.pk)
    Assessment.objects.filter(pk=binub_assessment.pk).update(**OPEN_COMBAT)
    combat = services.assessment_evaluate(assessment_id=binub_assessment.pk)
    expected = {e.pk: e.humanitarian_arrangement for e in (calm, combat)}
    Evaluation.objects.update(humanitarian_arrangement=None)
    # when the migration's backfill runs
    BACKFILL(apps, None)
    # then each gets the arrangement its own facts and rulebook decide
    stored = dict(Evaluation.objects.values_list("pk", "humanitarian_arrangement"))
    assert stored == expected
    assert {value["arrangement"] for value in stored.values()} == {"two_feet_in", "two_feet_out"}


@pytest.mark.django_db
def test_the_database_refuses_an_arrangement_that_is_not_an_ocha_model(binub_assessment):
    evaluation = services.assessment_evaluate(assessment_id=binub_assessment.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.filter(pk=evaluation.pk).update(
            humanitarian_arrangement={"arrangement": "three_feet_in", "rules": [], "risks": []}
        )
