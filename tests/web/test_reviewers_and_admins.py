"""What reviewers and admins read: the matrix on the review page with an override beside each
cell, the 403 page in the site's layout with the reason, and the favicon."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Assessment
from tests.factories import PASSWORD


@pytest.fixture
def submitted(binub_assessment):
    services.assessment_evaluate(assessment_id=binub_assessment.pk)
    Assessment.objects.filter(pk=binub_assessment.pk).update(status="submitted")
    return binub_assessment


@pytest.mark.django_db
def test_the_review_page_shows_the_matrix_with_an_override_beside_each_cell(
    client, hq_reviewer, submitted
):
    client.login(username=hq_reviewer.username, password=PASSWORD)
    page = client.get(reverse("assessment-detail", args=[submitted.pk])).content.decode()
    assert 'id="recommendation-matrix"' in page
    override = reverse("assessment-override", args=[submitted.pk, "ddr", "programmatic"])
    assert f'<a class="cell-override no-print" href="{override}">' in page
    # each cell's details are on the recommendations page
    details = reverse("assessment-recommendations", args=[submitted.pk])
    assert f'href="{details}#cell-ddr-programmatic"' in page


@pytest.mark.django_db
def test_a_planner_reads_the_matrix_without_override_links(client, binub_planner, submitted):
    client.login(username=binub_planner.username, password=PASSWORD)
    page = client.get(reverse("assessment-detail", args=[submitted.pk])).content.decode()
    assert 'id="recommendation-matrix"' in page
    assert "cell-override" not in page


@pytest.mark.django_db
def test_the_403_page_gives_the_servers_reason_in_the_site_layout(client, binub_planner, submitted):
    client.login(username=binub_planner.username, password=PASSWORD)
    url = reverse("assessment-override", args=[submitted.pk, "ddr", "programmatic"])
    response = client.get(url)
    assert response.status_code == 403
    page = response.content.decode()
    assert "Only HQ reviewers review assessments." in page
    assert 'class="site-header"' in page
    assert "You are signed in as binub-planner." in page


@pytest.mark.django_db
def test_the_favicon_is_a_static_file_every_page_names(client, binub_planner):
    # browsers that ask /favicon.ico, signed in or not, are sent to the static icon
    response = client.get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (301, "/static/favicon.svg")
    client.login(username=binub_planner.username, password=PASSWORD)
    page = client.get(reverse("home")).content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
