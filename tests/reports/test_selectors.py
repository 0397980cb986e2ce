"""Report data reads: their query counts do not grow with the number of missions or functions."""

from __future__ import annotations

import datetime as dt

import pytest

from assessments.models import Assessment, Override
from assessments.services import assessment_evaluate
from missions.models import Function
from reports import selectors
from tests import factories

pytestmark = pytest.mark.django_db


def _evaluated_missions(count: int) -> None:
    """`count` missions with an approved, evaluated assessment, each with an HQ override; every
    other one also has a newer submitted assessment."""
    for number in range(count):
        mission = factories.MissionFactory(acronym=f"M{number}")
        assessment = factories.AssessmentFactory(
            mission=mission,
            status=Assessment.Status.APPROVED,
            pooled_fund=number % 2 == 0,  # some with barriers, some without
        )
        assessment_evaluate(assessment_id=assessment.pk)
        Override.objects.create(
            assessment=assessment,
            function=Function.objects.get(code="ddr"),
            level="strategic",
            degree="parallel",
            justification="HQ knows the donors' position.",
        )
        if number % 2:
            factories.AssessmentFactory(
                mission=mission, as_of=dt.date(2008, 1, 1), status=Assessment.Status.SUBMITTED
            )


@pytest.mark.parametrize("missions", [1, 6])
def test_the_portfolio_data_takes_six_queries_at_1_and_n_missions(
    hq_reviewer, missions, django_assert_num_queries
):
    # given evaluated missions, and one mission without any assessment
    _evaluated_missions(missions)
    factories.MissionFactory(acronym="NONE")
    # 1. missions, with their latest approved and latest assessments (subqueries)
    # 2. the approved assessments, with their current evaluation and its rulebook
    # 3. their HQ overrides
    # 4. the function catalogue
    # 5. the recommendations of those evaluations
    # 6. the assessments waiting for review, with their missions
    # (the levers are ranked from the evaluations and rulebooks of 2: no query of their own)
    with django_assert_num_queries(6):
        data = selectors.portfolio_report_data(user=hq_reviewer)
    assert len(data.profiles) == missions + 1
    assert all(p.assessment.status == "approved" for p in data.profiles if p.assessment)
    assert sum(1 for p in data.profiles if p.newer) == missions // 2


def test_the_portfolio_shows_the_latest_approved_assessment_with_overrides_and_names_a_newer_one(
    hq_reviewer,
):
    # given BINUB approved in 2007 (DDR strategic overridden to parallel by HQ), then returned
    # in 2008, and UNMIS with only a submitted assessment
    _evaluated_missions(2)  # M0 (approved only), M1 (approved, then a newer submitted one)
    unmis = factories.MissionFactory(acronym="UNMIS")
    submitted = factories.AssessmentFactory(mission=unmis, status=Assessment.Status.SUBMITTED)
    assessment_evaluate(assessment_id=submitted.pk)

    data = selectors.portfolio_report_data(user=hq_reviewer)

    profiles = {p.mission.acronym: p for p in data.profiles}
    m1 = profiles["M1"]
    assert m1.assessment.as_of == dt.date(2007, 4, 26)
    assert m1.assessment.status == "approved"
    assert (m1.newer.as_of, m1.newer.status) == (dt.date(2008, 1, 1), "submitted")
    ddr = data.functions.index(Function.objects.get(code="ddr"))
    assert m1.cells[ddr][0].override == "parallel"
    assert m1.cells[ddr][1].override is None
    # a mission whose only assessment waits for review has no profile, only its status
    assert profiles["UNMIS"].assessment is None
    assert profiles["UNMIS"].newer.status == "submitted"
    assert profiles["M0"].newer is None


@pytest.mark.parametrize(("previous", "queries"), [(False, 7), (True, 8)])
def test_the_mission_data_takes_a_fixed_number_of_queries(
    monuc_assessment, previous, queries, django_assert_num_queries
):
    # given MONUC's assessment and, in one case, a newer one to compare it with
    assessment = monuc_assessment
    if previous:
        assessment = factories.AssessmentFactory(
            mission=monuc_assessment.mission, as_of=monuc_assessment.as_of.replace(year=2008)
        )
        assessment_evaluate(assessment_id=assessment.pk)
    # 1. the assessment, its mission, current evaluation and rulebook
    # 2. its function rows, with their functions
    # 3. the evaluation's recommendations, with their functions
    # 4. overrides, with functions and authors
    # 5. the previous assessment of the mission
    # 6. reviewer comments, with authors
    # 7. (with a previous assessment) its recommendations, for what changed
    # 8. its scenarios, for the annex (none here: nothing to compare)
    with django_assert_num_queries(queries):
        data = selectors.mission_report_data(assessment_id=assessment.pk)
    assert len(data.functions) == 12
