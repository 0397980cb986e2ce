"""The header shows a user only the links they can use (issue 14, item 10), at no query more:
the session user comes with their roles."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

REVIEW_QUEUE = f'href="{reverse("review-queue")}"'
ADMIN = f'href="{reverse("admin:index")}"'


def _header(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode().split("</header>")[0]


def _pages(mission, assessment) -> list[str]:
    return [
        reverse("home"),
        reverse("mission-detail", args=[mission.acronym]),
        reverse("assessment-detail", args=[assessment.pk]),
        reverse("reports"),
    ]


def test_a_planner_sees_no_review_queue_nor_admin_link(client, binub_planner, binub):
    assessment = factories.AssessmentFactory(mission=binub, created_by=binub_planner)
    client.login(username=binub_planner.username, password=PASSWORD)
    for url in _pages(binub, assessment):
        header = _header(client, url)
        assert REVIEW_QUEUE not in header, url
        assert ADMIN not in header, url
        assert f'href="{reverse("missions-compare")}"' in header, url


def test_an_hq_reviewer_sees_the_review_queue_and_an_admin_sees_both(
    client, hq_reviewer, admin_user, binub
):
    assessment = factories.AssessmentFactory(mission=binub)
    client.login(username=hq_reviewer.username, password=PASSWORD)
    for url in _pages(binub, assessment):
        header = _header(client, url)
        assert REVIEW_QUEUE in header, url
        assert ADMIN not in header, url
    client.force_login(admin_user)
    header = _header(client, reverse("home"))
    assert REVIEW_QUEUE in header
    assert ADMIN in header


@pytest.mark.parametrize("role", ["planner", "hq_reviewer"])
def test_the_header_costs_no_query(
    client, role, binub_planner, hq_reviewer, django_assert_num_queries
):
    user = {"planner": binub_planner, "hq_reviewer": hq_reviewer}[role]
    client.login(username=user.username, password=PASSWORD)
    # 1 session, 2 the user with their roles, 3 missions with their latest assessments
    with django_assert_num_queries(3):
        header = _header(client, reverse("home"))
    assert (REVIEW_QUEUE in header) is (role == "hq_reviewer")
