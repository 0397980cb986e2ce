"""Helpers for the analysis pages: assessments with stored recommendations."""

from __future__ import annotations

import datetime as dt

import pytest

from assessments import services
from tests import factories
from tests.factories import PASSWORD

XSS = "<script>alert('x')</script>"


def evaluated_assessment_create(*, mission, functions: int = 12, **facts):
    """An assessment of `mission` whose first `functions` catalogue functions are in the mandate,
    with its recommendations computed and stored."""
    assessment = factories.AssessmentFactory(mission=mission, **facts)
    rows = assessment.function_assessments.order_by("function__position")
    excluded = [row.pk for row in rows[functions:]]
    assessment.function_assessments.filter(pk__in=excluded).update(in_mandate=False)
    services.assessment_evaluate(assessment_id=assessment.pk)
    assessment.refresh_from_db()
    return assessment


@pytest.fixture
def evaluated(binub):
    """BINUB's assessment of 2007-04-26, evaluated (12 functions)."""
    return evaluated_assessment_create(mission=binub)


@pytest.fixture
def login(client):
    def _login(user):
        client.login(username=user.username, password=PASSWORD)
        return client

    return _login


def day(n: int) -> dt.date:
    return dt.date(2007, 1, 1) + dt.timedelta(days=n)
