"""API fixtures: a client per role, tokens of each scope, assessments in each review state."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from assessments import review, services
from integration.api.tokens import api_token_create
from integration.services import rulebook_default_ensure

ROLES = (
    "anonymous",
    "planner",
    "other_planner",
    "viewer",
    "hq_reviewer",
    "admin",
    "read_token",
    "write_token",
)


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def read_token(binub_planner):
    return api_token_create(user=binub_planner, name="dashboard", scope="read")


@pytest.fixture
def write_token(binub_planner):
    return api_token_create(user=binub_planner, name="planning tool", scope="write")


@pytest.fixture
def as_role(request, api, binub_planner, unmis_planner, viewer, hq_reviewer, admin_user):
    """as_role(name) -> an APIClient acting as that role (tokens belong to BINUB's planner)."""

    def make(role: str) -> APIClient:
        client = APIClient()
        users = {
            "planner": binub_planner,
            "other_planner": unmis_planner,
            "viewer": viewer,
            "hq_reviewer": hq_reviewer,
            "admin": admin_user,
        }
        if role in users:
            client.force_authenticate(users[role])
        elif role in ("read_token", "write_token"):
            issued = request.getfixturevalue(role)
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
        return client

    return make


@pytest.fixture
def rulebook(db):
    return rulebook_default_ensure()


@pytest.fixture
def submitted_assessment(binub_assessment, binub_planner, rulebook):
    return services.assessment_submit(
        assessment_id=binub_assessment.pk, by=binub_planner, expected_version=1
    )


@pytest.fixture
def approved_assessment(submitted_assessment, hq_reviewer):
    return review.assessment_approve(
        assessment_id=submitted_assessment.pk,
        by=hq_reviewer,
        expected_version=submitted_assessment.version,
    )
