"""The pages' one mapping of domain errors: the status the error declares, its message."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from assessments.exceptions import AssessmentNotEditable, StaleAssessment
from integration.middleware import DomainErrorMiddleware
from reports.exceptions import ReportNotPossible

pytestmark = pytest.mark.django_db


def _answer(error: Exception, user) -> HttpResponse | None:
    request = RequestFactory().get("/assessments/1/")
    request.user = user
    return DomainErrorMiddleware(lambda request: HttpResponse()).process_exception(request, error)


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (AssessmentNotEditable("Assessment 1 is approved."), 409),
        (StaleAssessment(1, 2, 3), 412),
        (ReportNotPossible("MONUC has no assessment yet."), 400),
    ],
)
def test_a_domain_error_escaping_a_page_answers_its_status_and_message(error, status, viewer):
    response = _answer(error, viewer)
    assert response.status_code == status
    assert str(error).encode() in response.content
    assert b"Request refused" in response.content


def test_other_errors_are_left_to_django(viewer):
    assert _answer(RuntimeError("boom"), viewer) is None
    assert _answer(ValueError("bad"), viewer) is None
