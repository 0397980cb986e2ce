"""The planner's and the HQ reviewer's whole job, through the pages."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import review_services, services
from assessments.forms import ContextForm, FunctionFactsForm
from assessments.help_texts import CHOICE_HELP, FACT_HELP
from assessments.models import Assessment, HistoryEntry, Override, ReviewComment
from tests import factories
from tests.factories import PASSWORD
from tests.forms import assessment_form_data

XSS = "<script>alert('x')</script>"


def _login(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def submitted(binub_assessment, binub_planner):
    return services.assessment_submit(
        assessment_id=binub_assessment.pk, by=binub_planner, expected_version=1
    )


@pytest.mark.django_db
def test_every_fact_and_value_carries_its_help_text(client, binub_planner, binub_assessment):
    page = _login(client, binub_planner).get(reverse("assessment-edit", args=[binub_assessment.pk]))
    html = page.content.decode()
    assert "Are UN (or coalition) forces in open confrontation with spoilers?" in html
    assert "The mission may contract UNCT agencies by agency service agreement" in html
    assert "UN or coalition forces in open confrontation with spoilers" in html  # open_combat
    assert html.count('class="choice-help"') >= 7 + 12  # every choice fact, every function


@pytest.mark.django_db
def test_planner_submits_from_the_form_and_lands_on_the_matrix(
    client, binub_planner, binub_assessment
):
    url = reverse("assessment-edit", args=[binub_assessment.pk])
    data = assessment_form_data(binub_assessment, action="submit")

    response = _login(client, binub_planner).post(url, data)

    assert response.status_code == 302
    assert response["Location"] == reverse("assessment-recommendations", args=[binub_assessment.pk])
    binub_assessment.refresh_from_db()
    assert binub_assessment.status == Assessment.Status.SUBMITTED
    assert binub_assessment.current_evaluation is not None


@pytest.mark.django_db
def test_submitting_without_a_desired_impact_keeps_the_draft_and_marks_the_field(
    client, binub_planner, binub_assessment
):
    # given a planner who typed a new phase but left DDR's desired impact empty
    url = reverse("assessment-edit", args=[binub_assessment.pk])
    data = assessment_form_data(
        binub_assessment,
        action="submit",
        **{"context-phase": "transition", "ddr-desired_impact": ""},
    )
    # when they submit
    response = _login(client, binub_planner).post(url, data)
    # then the draft is saved, not submitted, and the error sits on DDR's desired impact
    assert response.status_code == 400
    html = response.content.decode()
    assert "The desired impact is required to submit." in html
    assert 'id="field-ddr-desired_impact"' in html
    binub_assessment.refresh_from_db()
    assert binub_assessment.status == Assessment.Status.DRAFT
    assert binub_assessment.phase == "transition"
    assert binub_assessment.version == 2


@pytest.mark.django_db
def test_submitting_with_no_function_in_the_mandate_keeps_the_draft_and_says_why(
    client, binub_planner, binub_assessment
):
    # given a planner who unticked every function's "part of the mandate"
    url = reverse("assessment-edit", args=[binub_assessment.pk])
    codes = list(binub_assessment.function_assessments.values_list("function__code", flat=True))
    data = assessment_form_data(
        binub_assessment, action="submit", **{f"{c}-in_mandate": None for c in codes}
    )
    # when they submit
    response = _login(client, binub_planner).post(url, data)
    # then the draft is saved, not submitted, and the page says what is missing
    assert response.status_code == 400
    assert "at least one function is marked as part of the mission" in response.content.decode()
    binub_assessment.refresh_from_db()
    assert binub_assessment.status == Assessment.Status.DRAFT
    assert binub_assessment.version == 2
    assert not binub_assessment.function_assessments.filter(in_mandate=True).exists()


@pytest.mark.django_db
def test_a_draft_saves_with_empty_desired_impacts(client, binub_planner, binub_assessment):
    url = reverse("assessment-edit", args=[binub_assessment.pk])
    data = assessment_form_data(
        binub_assessment, **{"ddr-desired_impact": "", "ssr-desired_impact": ""}
    )
    assert _login(client, binub_planner).post(url, data).status_code == 302
    binub_assessment.refresh_from_db()
    assert binub_assessment.version == 2


@pytest.mark.django_db
def test_reviewer_returns_with_a_comment_and_the_planner_reads_it(
    client, hq_reviewer, binub_planner, submitted
):
    # when the reviewer returns the assessment with a comment
    _login(client, hq_reviewer)
    response = client.post(
        reverse("assessment-review", args=[submitted.pk, "return"]),
        {"version": submitted.version, "comment": "Justify the DDR funding."},
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.RETURNED
    # then the planner sees the comment, and may edit again
    client.logout()
    _login(client, binub_planner)
    html = client.get(reverse("assessment-detail", args=[submitted.pk])).content.decode()
    assert "Justify the DDR funding." in html
    assert "Returned with comment" in html
    edit = client.get(reverse("assessment-edit", args=[submitted.pk]))
    assert edit.status_code == 200


@pytest.mark.django_db
def test_returning_without_a_comment_is_refused_and_changes_nothing(client, hq_reviewer, submitted):
    _login(client, hq_reviewer)
    response = client.post(
        reverse("assessment-review", args=[submitted.pk, "return"]),
        {"version": submitted.version, "comment": "  "},
    )
    assert response.status_code == 400
    assert response.context["review_form"].errors["comment"] == [
        "A comment is required to return an assessment."
    ]
    assert "A comment is required to return an assessment." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.SUBMITTED
    assert not ReviewComment.objects.exists()


@pytest.mark.django_db
def test_a_stale_review_keeps_the_typed_comment(client, hq_reviewer, submitted):
    # given a reviewer who read an older version of the assessment
    _login(client, hq_reviewer)
    response = client.post(
        reverse("assessment-review", args=[submitted.pk, "return"]),
        {"version": submitted.version - 1, "comment": "My long review comment."},
    )
    # then nothing happens, the page says why and the comment is still in the box
    assert response.status_code == 409
    html = response.content.decode()
    assert "changed since you opened it" in html
    assert "My long review comment.</textarea>" in html
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.SUBMITTED


@pytest.mark.django_db
def test_reviewing_an_approved_assessment_again_is_refused(client, hq_reviewer, submitted):
    _login(client, hq_reviewer)
    approve = reverse("assessment-review", args=[submitted.pk, "approve"])
    client.post(approve, {"version": submitted.version, "comment": ""})
    response = client.post(approve, {"version": submitted.version + 1, "comment": ""})
    assert response.status_code == 400
    assert "it is not awaiting review" in response.content.decode()


@pytest.mark.django_db
def test_the_planner_editing_a_returned_assessment_sees_hqs_comments(
    client, hq_reviewer, binub_planner, submitted
):
    _login(client, hq_reviewer)
    client.post(
        reverse("assessment-review", args=[submitted.pk, "return"]),
        {"version": submitted.version, "comment": "Revisit the phase."},
    )
    client.logout()
    html = (
        _login(client, binub_planner)
        .get(reverse("assessment-edit", args=[submitted.pk]))
        .content.decode()
    )
    assert "HQ returned this assessment" in html
    assert "Revisit the phase." in html


@pytest.mark.django_db
def test_reviewer_approves_and_history_says_who_did_what(client, hq_reviewer, submitted):
    _login(client, hq_reviewer)
    client.post(
        reverse("assessment-review", args=[submitted.pk, "approve"]),
        {"version": submitted.version, "comment": ""},
    )
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.APPROVED
    html = client.get(reverse("assessment-history", args=[submitted.pk])).content.decode()
    for action in ("Submitted", "Approved"):
        assert action in html
    assert "hq-reviewer" in html


@pytest.mark.django_db
def test_override_needs_a_justification_and_keeps_the_engines_answer(
    client, hq_reviewer, binub_planner, submitted
):
    url = reverse("assessment-override", args=[submitted.pk, "ddr", "programmatic"])
    _login(client, hq_reviewer)
    page = client.get(url)
    assert page.status_code == 200
    assert "The engine's answer" in page.content.decode()

    refused = client.post(url, {"degree": "full", "justification": ""})
    assert refused.status_code == 400
    assert not Override.objects.exists()

    engine_row = submitted.current_evaluation.recommendations.get(
        function__code="ddr", level="programmatic"
    )
    decided = "parallel" if engine_row.degree != "parallel" else "full"
    client.post(url, {"degree": decided, "justification": "Security Council asked for it."})
    override = Override.objects.get()
    assert (override.function.code, override.level, override.degree) == (
        "ddr",
        "programmatic",
        decided,
    )
    before = engine_row.degree
    engine_row.refresh_from_db()
    assert engine_row.degree == before  # the engine's answer is untouched
    assert HistoryEntry.objects.filter(action=HistoryEntry.Action.OVERRIDDEN).exists()
    # and the planner sees it
    client.logout()
    _login(client, binub_planner)
    html = client.get(reverse("assessment-detail", args=[submitted.pk])).content.decode()
    assert "Security Council asked for it." in html


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["binub_planner", "unmis_planner", "viewer"])
def test_only_hq_reviewers_may_review_or_override(client, request, who, submitted):
    user = request.getfixturevalue(who)
    _login(client, user)
    for decision in ("approve", "return", "start"):
        response = client.post(
            reverse("assessment-review", args=[submitted.pk, decision]),
            {"version": submitted.version, "comment": "x"},
        )
        assert response.status_code == 403, decision
    url = reverse("assessment-override", args=[submitted.pk, "ddr", "programmatic"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"degree": "full", "justification": "x"}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.SUBMITTED
    assert not Override.objects.exists()


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_login_from_review_pages(client, submitted):
    for url in (
        reverse("review-queue"),
        reverse("assessment-history", args=[submitted.pk]),
        reverse("assessment-override", args=[submitted.pk, "ddr", "programmatic"]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    response = client.post(reverse("assessment-review", args=[submitted.pk, "approve"]))
    assert response.status_code == 302


@pytest.mark.django_db
def test_review_queue_lists_waiting_assessments_only(client, hq_reviewer, submitted, unmis):
    factories.AssessmentFactory(mission=unmis, status="draft")
    html = _login(client, hq_reviewer).get(reverse("review-queue")).content.decode()
    assert "BINUB" in html
    assert "UNMIS" not in html


@pytest.mark.django_db
def test_review_queue_still_names_the_submitter_once_review_started(
    client, hq_reviewer, binub_planner, submitted
):
    # given a reviewer who marked the submitted assessment as under review
    review_services.assessment_review_start(
        assessment_id=submitted.pk, by=hq_reviewer, expected_version=submitted.version
    )
    # when the queue is shown
    html = _login(client, hq_reviewer).get(reverse("review-queue")).content.decode()
    # then the planner is the submitter and the wait counts from the submission
    row = html.split('id="review-queue-table"')[1].split("<tbody>")[1].split("</tr>")[0]
    assert f"<td>{binub_planner.username}</td>" in row
    assert f"<td>{hq_reviewer.username}</td>" not in row
    entry = HistoryEntry.objects.get(assessment=submitted, action="submitted")
    assert f"<td>{timezone.localtime(entry.created_at):%Y-%m-%d %H:%M}</td>" in row


@pytest.mark.django_db
def test_review_queue_queries_do_not_grow_with_missions(
    client, hq_reviewer, submitted, django_assert_num_queries
):
    _login(client, hq_reviewer)
    # session, user with their roles, waiting assessments with their missions,
    # their submitters and submission times (subqueries) and override counts
    with django_assert_num_queries(3):
        client.get(reverse("review-queue"))
    for n in range(15):
        mission = factories.MissionFactory(acronym=f"Q{n}")
        factories.AssessmentFactory(mission=mission, status="submitted", functions=False)
    with django_assert_num_queries(3):
        client.get(reverse("review-queue"))


@pytest.mark.django_db
def test_free_text_from_planners_and_reviewers_renders_escaped(
    client, hq_reviewer, binub_planner, submitted
):
    ReviewComment.objects.create(assessment=submitted, author=hq_reviewer, kind="return", body=XSS)
    Override.objects.create(
        assessment=submitted,
        function=submitted.function_assessments.first().function,
        level="strategic",
        degree="partial",
        justification=XSS,
        author=hq_reviewer,
    )
    Assessment.objects.filter(pk=submitted.pk).update(notes=XSS)
    submitted.function_assessments.update(desired_impact=XSS)
    _login(client, binub_planner)
    for url in (
        reverse("assessment-detail", args=[submitted.pk]),
        reverse("assessment-history", args=[submitted.pk]),
    ):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
    html = client.get(reverse("assessment-detail", args=[submitted.pk])).content.decode()
    assert html.count("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;") >= 3


@pytest.mark.django_db
def test_the_edit_form_escapes_typed_text(client, binub_planner, binub_assessment):
    binub_assessment.function_assessments.update(desired_impact=XSS)
    Assessment.objects.filter(pk=binub_assessment.pk).update(notes=XSS)
    html = (
        _login(client, binub_planner)
        .get(reverse("assessment-edit", args=[binub_assessment.pk]))
        .content.decode()
    )
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


def test_every_fact_and_every_value_of_a_choice_has_help_text():
    # Forms without data build without the database: their fields are all we need.
    for form in (ContextForm(), FunctionFactsForm()):
        for name, field in form.fields.items():
            if name == "version":
                continue
            assert name in FACT_HELP, name
            values = [value for value, _label in getattr(field, "choices", ()) if value != ""]
            if values:
                assert set(CHOICE_HELP[name]) == set(values), name


@pytest.mark.django_db
def test_history_names_facts_and_values_in_words(client, binub_planner, binub_assessment):
    # given a planner who changed the phase and DDR's desired impact
    url = reverse("assessment-edit", args=[binub_assessment.pk])
    _login(client, binub_planner)
    data = assessment_form_data(
        binub_assessment, **{"context-phase": "transition", "ddr-desired_impact": "New words"}
    )
    client.post(url, data)
    # when they read the history
    html = client.get(reverse("assessment-history", args=[binub_assessment.pk])).content.decode()
    # then each change reads as label: before → after
    assert "<strong>Phase</strong>: <del>Peacebuilding</del> → <ins>Transition</ins>" in html
    ddr = binub_assessment.function_assessments.get(function__code="ddr").function.name
    assert f"<strong>{ddr} · Desired impact</strong>" in html
    assert "<ins>New words</ins>" in html
    assert "binub-planner" in html


@pytest.mark.django_db
def test_dimensions_posted_in_another_order_are_not_a_change(
    client, binub_planner, binub_assessment
):
    # given the browser posts DDR's dimensions in vocabulary order, not the catalogue's
    ddr = binub_assessment.function_assessments.get(function__code="ddr")
    data = assessment_form_data(binub_assessment, **{"ddr-dimensions": sorted(ddr.dimensions)})
    assert sorted(ddr.dimensions) != ddr.dimensions
    # when the planner saves
    _login(client, binub_planner).post(reverse("assessment-edit", args=[binub_assessment.pk]), data)
    # then the history records no change
    saved = HistoryEntry.objects.get(assessment=binub_assessment, action="saved")
    assert saved.changes == {}


@pytest.mark.django_db
def test_a_mission_with_an_open_draft_links_to_it_instead_of_starting_another(
    client, binub_planner, binub_assessment
):
    _login(client, binub_planner)
    url = reverse("mission-detail", args=["BINUB"])
    # given an open draft, the page links to it and offers no new start
    html = client.get(url).content.decode()
    assert reverse("assessment-edit", args=[binub_assessment.pk]) in html
    assert "Continue the open assessment of" in html
    assert "Start a new assessment" not in html
    # and once it is submitted, a new assessment can be started again
    services.assessment_submit(
        assessment_id=binub_assessment.pk, by=binub_planner, expected_version=1
    )
    html = client.get(url).content.decode()
    assert "Start a new assessment" in html
    assert "Continue the open assessment of" not in html
