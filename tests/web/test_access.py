"""Every workflow page against every role: who reads, who edits, who reviews.

Planners edit only their own mission's assessments; viewers and HQ reviewers read; only HQ
reviewers (and admins) review and override; anonymous users are sent to the login page.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from assessments import services
from assessments.models import Assessment, Override
from tests import factories
from tests.factories import PASSWORD
from tests.forms import assessment_form_data

ROLES = ("anonymous", "binub_planner", "unmis_planner", "viewer", "hq_reviewer", "admin_user")
READ = dict.fromkeys(ROLES[1:], 200)
PLANNERS = {"binub_planner", "admin_user"}
REVIEWERS = {"hq_reviewer", "admin_user"}


def _expect(allowed: set[str], ok: int) -> dict[str, int]:
    return {role: ok if role in allowed else 403 for role in ROLES[1:]}


# (name, method, url builder, data builder, expected status per signed-in role)
PAGES = [
    (
        "detail",
        "get",
        lambda draft, submitted: reverse("assessment-detail", args=[draft.pk]),
        None,
        READ,
    ),
    (
        "history",
        "get",
        lambda draft, submitted: reverse("assessment-history", args=[draft.pk]),
        None,
        READ,
    ),
    ("review queue", "get", lambda draft, submitted: reverse("review-queue"), None, READ),
    (
        "start",
        "post",
        lambda draft, submitted: reverse("assessment-start", args=["BINUB"]),
        lambda draft: {},
        _expect(PLANNERS, 302),
    ),
    (
        "edit page",
        "get",
        lambda draft, submitted: reverse("assessment-edit", args=[draft.pk]),
        None,
        _expect(PLANNERS, 200),
    ),
    (
        "edit save",
        "post",
        lambda draft, submitted: reverse("assessment-edit", args=[draft.pk]),
        lambda draft: assessment_form_data(draft, **{"context-phase": "transition"}),
        _expect(PLANNERS, 302),
    ),
    (
        "review start",
        "post",
        lambda draft, submitted: reverse("assessment-review", args=[submitted.pk, "start"]),
        lambda draft: {"version": 2},
        _expect(REVIEWERS, 302),
    ),
    (
        "approve",
        "post",
        lambda draft, submitted: reverse("assessment-review", args=[submitted.pk, "approve"]),
        lambda draft: {"version": 2, "comment": ""},
        _expect(REVIEWERS, 302),
    ),
    (
        "return",
        "post",
        lambda draft, submitted: reverse("assessment-review", args=[submitted.pk, "return"]),
        lambda draft: {"version": 2, "comment": "Please justify."},
        _expect(REVIEWERS, 302),
    ),
    (
        "override page",
        "get",
        lambda draft, submitted: reverse(
            "assessment-override", args=[submitted.pk, "ddr", "strategic"]
        ),
        None,
        _expect(REVIEWERS, 200),
    ),
    (
        "override save",
        "post",
        lambda draft, submitted: reverse(
            "assessment-override", args=[submitted.pk, "ddr", "strategic"]
        ),
        lambda draft: {"degree": "parallel", "justification": "Council decision."},
        _expect(REVIEWERS, 302),
    ),
]


@pytest.fixture
def draft_and_submitted(binub, binub_planner):
    draft = factories.AssessmentFactory(mission=binub, created_by=binub_planner)
    submitted = factories.AssessmentFactory(mission=binub, created_by=binub_planner)
    services.assessment_submit(assessment_id=submitted.pk, by=binub_planner, expected_version=1)
    submitted.refresh_from_db()
    return draft, submitted


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("page", "method", "url", "data", "expected"), PAGES, ids=[page[0] for page in PAGES]
)
def test_each_workflow_page_answers_each_role_as_its_rights_say(
    client,
    request,
    draft_and_submitted,
    unmis_planner,
    viewer,
    hq_reviewer,
    admin_user,
    role,
    page,
    method,
    url,
    data,
    expected,
):
    # given a user of this role (or nobody), a BINUB draft and a submitted BINUB assessment
    draft, submitted = draft_and_submitted
    if role != "anonymous":
        user = request.getfixturevalue(role)
        assert client.login(username=user.username, password=PASSWORD)
    before = (
        Assessment.objects.filter(mission__acronym="BINUB").count(),
        Assessment.objects.get(pk=draft.pk).version,
        Assessment.objects.get(pk=submitted.pk).version,
        Override.objects.count(),
    )
    # when they use the page
    target = url(draft, submitted)
    response = client.get(target) if method == "get" else client.post(target, data(draft))
    # then the answer is what the role allows, and a refusal changes nothing
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        refused = True
    else:
        assert response.status_code == expected[role], (page, role)
        refused = response.status_code == 403
    if refused:
        after = (
            Assessment.objects.filter(mission__acronym="BINUB").count(),
            Assessment.objects.get(pk=draft.pk).version,
            Assessment.objects.get(pk=submitted.pk).version,
            Override.objects.count(),
        )
        assert after == before


@pytest.mark.django_db
def test_every_form_on_the_workflow_pages_carries_a_csrf_token(
    client, binub_planner, hq_reviewer, draft_and_submitted
):
    draft, submitted = draft_and_submitted
    client.login(username=binub_planner.username, password=PASSWORD)
    pages = [
        reverse("mission-detail", args=["BINUB"]),
        reverse("assessment-edit", args=[draft.pk]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert html.count('method="post"') == html.count('name="csrfmiddlewaretoken"'), url
    client.logout()
    client.login(username=hq_reviewer.username, password=PASSWORD)
    for url in (
        reverse("assessment-detail", args=[submitted.pk]),
        reverse("assessment-override", args=[submitted.pk, "ddr", "strategic"]),
    ):
        html = client.get(url).content.decode()
        assert html.count('method="post"') == html.count('name="csrfmiddlewaretoken"'), url


@pytest.mark.django_db
def test_a_post_without_a_csrf_token_is_refused(binub_planner, binub_assessment):
    client = Client(enforce_csrf_checks=True)
    client.login(username=binub_planner.username, password=PASSWORD)
    url = reverse("assessment-edit", args=[binub_assessment.pk])
    response = client.post(
        url, assessment_form_data(binub_assessment, **{"context-phase": "transition"})
    )
    assert response.status_code == 403
    binub_assessment.refresh_from_db()
    assert binub_assessment.version == 1
