"""One error format for every 4xx answer: status, code, detail, errors keyed by field path."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework import exceptions

from assessments.exceptions import (
    AssessmentIncomplete,
    AssessmentMandateEmpty,
    AssessmentNotEditable,
    ReviewNotAllowed,
    StaleAssessment,
)
from integration import engine
from integration.api.exceptions import api_exception_handler, flatten_error_detail
from integration.exceptions import DomainError, RulebookStateError
from reports.exceptions import (
    IdempotencyKeyReused,
    ReportNotPossible,
    ReportQuotaExceeded,
    ReportRequestInvalid,
)

pytestmark = pytest.mark.django_db


def _is_error(body: dict, status: int) -> bool:
    return set(body) == {"status", "code", "detail", "errors"} and body["status"] == status


def test_every_kind_of_4xx_has_the_one_format(api, as_role, binub_assessment):
    planner = as_role("planner")
    viewer = as_role("viewer")
    url = reverse("api:assessment-detail", args=[binub_assessment.pk])
    answers = {
        400: planner.get(reverse("api:mission-list") + "?phase=war"),
        401: api.get(reverse("api:mission-list")),
        403: viewer.patch(url, {"notes": "x"}, format="json", HTTP_IF_MATCH='"a1.v1"'),
        404: planner.get(reverse("api:mission-detail", args=["NOPE"])),
        405: planner.delete(url),
        412: planner.patch(url, {}, format="json", HTTP_IF_MATCH=f'"a{binub_assessment.pk}.v9"'),
        415: planner.post(reverse("api:evaluate"), "x", content_type="text/plain"),
        428: planner.patch(url, {}, format="json"),
    }
    for status, response in answers.items():
        assert response.status_code == status
        assert _is_error(response.json(), status), (status, response.json())


def test_nested_errors_are_flattened_to_field_paths():
    detail = {
        "context": {"phase": ["bad"]},
        "functions": {0: {"dimensions": {1: ["bad"]}}},
        "non_field_errors": ["whole body"],
    }
    assert flatten_error_detail(detail) == {
        "context.phase": ["bad"],
        "functions[0].dimensions[1]": ["bad"],
        "non_field_errors": ["whole body"],
    }
    assert flatten_error_detail([{"a": ["x"]}, {}]) == {"[0].a": ["x"]}


@pytest.mark.parametrize(
    ("error", "status", "code", "fields"),
    [
        (StaleAssessment(1, 1, 2), 412, "precondition_failed", set()),
        (AssessmentNotEditable("approved"), 409, "conflict", set()),
        (AssessmentIncomplete({"ddr": "DDR: required"}), 400, "invalid",
         {"functions.ddr.desired_impact"}),
        (ReviewNotAllowed("not awaiting review"), 409, "conflict", set()),
        (RulebookStateError("retired"), 409, "conflict", set()),
        (engine.FactError("context.phase", "bad"), 400, "invalid", {"context.phase"}),
        (AssessmentMandateEmpty(1), 400, "invalid", {"functions"}),
        (ReportRequestInvalid("No such mission.", field="mission"), 400, "invalid", {"mission"}),
        (IdempotencyKeyReused("used"), 400, "invalid", {"idempotency_key"}),
        (ReportNotPossible("no assessment"), 400, "invalid", {"non_field_errors"}),
        (exceptions.Throttled(wait=3), 429, "throttled", set()),
    ],
)  # fmt: skip
def test_domain_errors_map_to_http_once(error, status, code, fields):
    response = api_exception_handler(error, {})
    assert response.status_code == status
    assert response.data["code"] == code
    assert set(response.data["errors"]) == fields
    if not fields:
        assert response.data["detail"] == str(error.detail if status == 429 else error)


def test_a_refusal_to_retry_later_is_a_429_saying_when():
    response = api_exception_handler(ReportQuotaExceeded("Too many reports.", retry_after=42), {})
    assert response.status_code == 429
    assert response["Retry-After"] == "42"
    assert response.data["code"] == "throttled"
    assert response.data["detail"].startswith("Too many reports.")


def test_a_new_domain_error_is_answered_as_it_declares_without_touching_the_handler():
    class QuotaSpent(DomainError):
        http_status = 403
        code = "quota_spent"

    response = api_exception_handler(QuotaSpent("No more this week."), {})
    assert response.status_code == 403
    assert response.data == {
        "status": 403,
        "code": "quota_spent",
        "detail": "No more this week.",
        "errors": {},
    }


def test_unexpected_errors_are_left_to_django():
    assert api_exception_handler(RuntimeError("boom"), {}) is None


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nothing-here/",
        "/api/v2/missions/",
        "/api/v1/assessments/not-a-number/",  # ids are digits in the route
        "/api/v1/missions/BINUB/integration-profile/extra/",
    ],
)
def test_an_unknown_api_route_is_a_json_404_in_the_one_format(client, settings, path):
    assert settings.DEBUG is False  # with DEBUG on, Django would show its technical 404 page
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert _is_error(response.json(), 404)
    assert response.json()["code"] == "not_found"


def test_an_unknown_page_outside_the_api_keeps_the_html_404(client):
    response = client.get("/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
