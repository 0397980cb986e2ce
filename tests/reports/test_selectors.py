"""Report data reads: their query counts do not grow with the number of missions or functions."""

from __future__ import annotations

import pytest

from assessments.services import assessment_evaluate
from reports import selectors
from tests import factories

pytestmark = pytest.mark.django_db


def _evaluated_missions(count: int) -> None:
    for number in range(count):
        assessment = factories.AssessmentFactory(
            mission=factories.MissionFactory(acronym=f"M{number}"),
            pooled_fund=number % 2 == 0,  # some with barriers, some without
        )
        assessment_evaluate(assessment_id=assessment.pk)


@pytest.mark.parametrize("missions", [1, 6])
def test_the_portfolio_data_takes_five_queries_at_1_and_n_missions(
    hq_reviewer, missions, django_assert_num_queries
):
    # given evaluated missions, and one mission without any assessment
    _evaluated_missions(missions)
    factories.MissionFactory(acronym="NONE")
    # 1. missions, with the id of their latest assessment (a subquery)
    # 2. those assessments, with their current evaluation and its rulebook
    # 3. the function catalogue
    # 4. the recommendations of those evaluations
    # 5. the assessments waiting for review, with their missions
    with django_assert_num_queries(5):
        data = selectors.portfolio_report_data(user=hq_reviewer)
    assert len(data.profiles) == missions + 1


@pytest.mark.parametrize(("previous", "queries"), [(False, 6), (True, 7)])
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
    with django_assert_num_queries(queries):
        data = selectors.mission_report_data(assessment_id=assessment.pk)
    assert len(data.functions) == 12
