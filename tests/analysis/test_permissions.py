"""Who may use the analysis pages: everyone signed in reads; only the mission's planners compute."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import Evaluation

pytestmark = pytest.mark.django_db


def _read_urls(assessment) -> list[str]:
    return [
        reverse("assessment-recommendations", args=[assessment.pk]),
        reverse("assessment-compare", args=[assessment.pk]),
        reverse("missions-compare"),
        reverse("mission-timeline", args=[assessment.mission.acronym]),
    ]


def test_anonymous_users_are_sent_to_login_from_every_analysis_page(client, binub_assessment):
    compute = reverse("assessment-recommendations-compute", args=[binub_assessment.pk])
    for method, url in [("get", url) for url in _read_urls(binub_assessment)] + [("post", compute)]:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url
    assert not Evaluation.objects.exists()


def test_planners_of_other_missions_viewers_and_hq_reviewers_read_every_analysis_page(
    client, login, unmis_planner, viewer, hq_reviewer, binub_assessment
):
    for user in (unmis_planner, viewer, hq_reviewer):
        login(user)
        for url in _read_urls(binub_assessment):
            assert client.get(url).status_code == 200, (user.username, url)
        client.logout()


def test_only_the_missions_planners_may_compute_recommendations(
    client, login, unmis_planner, viewer, hq_reviewer, binub_planner, binub_assessment
):
    url = reverse("assessment-recommendations-compute", args=[binub_assessment.pk])
    # given users who read BINUB but do not plan for it
    for user in (unmis_planner, viewer, hq_reviewer):
        login(user)
        # when they post to compute, then they are refused and nothing is stored
        assert client.post(url).status_code == 403, user.username
        client.logout()
    assert not Evaluation.objects.exists()
    # and a BINUB planner may; a GET never computes
    login(binub_planner)
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert Evaluation.objects.filter(assessment=binub_assessment).count() == 1


def test_unknown_assessments_and_missions_are_404(login, viewer):
    client = login(viewer)
    assert client.get(reverse("assessment-recommendations", args=[999999])).status_code == 404
    assert client.get(reverse("assessment-compare", args=[999999])).status_code == 404
    assert client.get(reverse("mission-timeline", args=["NOPE"])).status_code == 404
    url = reverse("assessment-recommendations-compute", args=[999999])
    assert client.post(url).status_code == 404
