"""Two people edit one assessment: the second save merges field by field, never overwrites."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from assessments import services
from assessments.models import Assessment
from tests import factories
from tests.factories import PASSWORD
from tests.forms import assessment_form_data

XSS = "<script>alert('x')</script>"


@pytest.fixture
def second_planner(binub):
    return factories.MembershipFactory(mission=binub, user__username="binub-planner-2").user


def _opened(user, assessment: Assessment) -> tuple[Client, dict]:
    """A browser of `user` with the edit page open: its client and the form's values."""
    client = Client()
    client.login(username=user.username, password=PASSWORD)
    page = client.get(reverse("assessment-edit", args=[assessment.pk]))
    assert page.status_code == 200
    return client, assessment_form_data(assessment) | {"base": page.context["base"]}


def _posted_back(response) -> dict:
    """What the conflict page's form posts when the user saves it unchanged."""
    data = response.context["context_form"].data
    return dict(data.lists())


def _rows(response) -> dict[str, str]:
    return {row.name: row.outcome for row in response.context["conflict_rows"]}


@pytest.mark.django_db
def test_changes_each_editor_made_alone_are_both_kept(
    binub_planner, second_planner, binub_assessment
):
    # given two planners with the same version open
    url = reverse("assessment-edit", args=[binub_assessment.pk])
    first, first_data = _opened(binub_planner, binub_assessment)
    second, second_data = _opened(second_planner, binub_assessment)
    # when the first changes the phase and saves, then the second changes the conflict level
    assert first.post(url, first_data | {"context-phase": "transition"}).status_code == 302
    response = second.post(
        url,
        second_data | {"context-conflict_level": "high", "ddr-desired_impact": "Second's words"},
    )
    # then the second gets the conflict page: both versions shown, nothing saved over
    assert response.status_code == 409
    assert _rows(response) == {
        "context-phase": "theirs",
        "context-conflict_level": "mine",
        "ddr-desired_impact": "mine",
    }
    html = response.content.decode()
    assert "Transition" in html  # the saved phase, by its label
    assert "Second&#x27;s words" in html
    binub_assessment.refresh_from_db()
    assert (binub_assessment.phase, binub_assessment.conflict_level) == ("transition", "low")
    # and saving the merge as shown keeps both changes
    assert second.post(url, _posted_back(response)).status_code == 302
    binub_assessment.refresh_from_db()
    assert (binub_assessment.phase, binub_assessment.conflict_level) == ("transition", "high")
    ddr = binub_assessment.function_assessments.get(function__code="ddr")
    assert ddr.desired_impact == "Second's words"
    assert binub_assessment.version == 3


@pytest.mark.django_db
@pytest.mark.parametrize(("choice", "kept"), [("saved", "transition"), ("mine", "stabilization")])
def test_when_both_change_one_fact_the_second_editor_chooses(
    binub_planner, second_planner, binub_assessment, choice, kept
):
    # given two planners who both change the phase, differently
    url = reverse("assessment-edit", args=[binub_assessment.pk])
    first, first_data = _opened(binub_planner, binub_assessment)
    second, second_data = _opened(second_planner, binub_assessment)
    first.post(url, first_data | {"context-phase": "transition"})
    # when the second saves, then chooses which phase to keep
    response = second.post(url, second_data | {"context-phase": "stabilization"})
    assert response.status_code == 409
    assert _rows(response) == {"context-phase": "both"}
    assert 'name="merge-context-phase"' in response.content.decode()
    assert (
        second.post(url, _posted_back(response) | {"merge-context-phase": choice}).status_code
        == 302
    )
    # then the chosen value is saved
    binub_assessment.refresh_from_db()
    assert binub_assessment.phase == kept
    assert binub_assessment.version == 3


@pytest.mark.django_db
def test_a_merge_saved_after_a_third_save_gets_the_conflict_page_again(
    binub_planner, second_planner, binub_assessment
):
    url = reverse("assessment-edit", args=[binub_assessment.pk])
    first, first_data = _opened(binub_planner, binub_assessment)
    second, second_data = _opened(second_planner, binub_assessment)
    first.post(url, first_data | {"context-phase": "transition"})
    conflict = second.post(url, second_data | {"context-conflict_level": "high"})
    # given the first saves once more while the second is merging
    binub_assessment.refresh_from_db()
    first.post(
        url, assessment_form_data(binub_assessment, **{"context-force_posture": "deterrent"})
    )
    # when the second saves the merge
    again = second.post(url, _posted_back(conflict))
    # then nothing is overwritten: a new conflict page, with the newest change kept
    assert again.status_code == 409
    assert _rows(again)["context-force_posture"] == "theirs"
    binub_assessment.refresh_from_db()
    assert (binub_assessment.conflict_level, binub_assessment.force_posture) == ("low", "deterrent")


@pytest.mark.django_db
def test_the_conflict_page_escapes_both_versions(binub_planner, second_planner, binub_assessment):
    url = reverse("assessment-edit", args=[binub_assessment.pk])
    first, first_data = _opened(binub_planner, binub_assessment)
    second, second_data = _opened(second_planner, binub_assessment)
    first.post(url, first_data | {"context-notes": XSS + " first", "ddr-desired_impact": XSS})
    response = second.post(url, second_data | {"context-notes": XSS + " second"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; first" in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; second" in html


@pytest.mark.django_db
def test_a_save_after_someone_submitted_is_refused_without_loss(
    binub_planner, second_planner, binub_assessment
):
    # given the first planner submits while the second is editing
    url = reverse("assessment-edit", args=[binub_assessment.pk])
    first, first_data = _opened(binub_planner, binub_assessment)
    second, second_data = _opened(second_planner, binub_assessment)
    assert first.post(url, first_data | {"action": "submit"}).status_code == 302
    # when the second saves
    response = second.post(url, second_data | {"context-phase": "transition"}, follow=True)
    # then they land on the read-only assessment with an explanation, and the submission stands
    assert "read-only" in response.content.decode()
    binub_assessment.refresh_from_db()
    assert binub_assessment.status == Assessment.Status.SUBMITTED
    assert binub_assessment.phase == "peacebuilding"


def _another_save_after_ours(monkeypatch, saved_by, **changes):
    """Make the view's save be followed, before its submit, by `saved_by`'s save of `changes`."""
    real_update = services.assessment_update

    def update_then_another_save(**kwargs):
        saved = real_update(**kwargs)
        if saved_by is None:  # someone submits instead
            services.assessment_submit(
                assessment_id=saved.pk, by=kwargs["by"], expected_version=saved.version
            )
            return saved
        real_update(
            assessment_id=saved.pk,
            by=saved_by,
            expected_version=saved.version,
            context=changes,
            functions={},
        )
        return saved

    monkeypatch.setattr(services, "assessment_update", update_then_another_save)


def _submittable(assessment: Assessment, **changes) -> dict:
    impacts = {
        f"{row.function.code}-desired_impact": "Impact"
        for row in assessment.function_assessments.select_related("function")
    }
    return assessment_form_data(assessment, **impacts, **changes) | {"action": "submit"}


@pytest.mark.django_db
def test_a_save_between_our_save_and_submit_gives_the_conflict_page(
    client, binub_planner, second_planner, binub_assessment, monkeypatch
):
    # given a planner who saves and submits, and a second planner who saves in between
    client.login(username=binub_planner.username, password=PASSWORD)
    _another_save_after_ours(monkeypatch, second_planner, phase="transition")
    # when the first planner's save-and-submit runs
    response = client.post(
        reverse("assessment-edit", args=[binub_assessment.pk]), _submittable(binub_assessment)
    )
    # then the conflict page is shown, not a server error, and nothing is submitted
    assert response.status_code == 409
    assert "submit again" in response.content.decode()
    binub_assessment.refresh_from_db()
    assert binub_assessment.status == Assessment.Status.DRAFT
    assert binub_assessment.phase == "transition"


@pytest.mark.django_db
def test_a_submit_between_our_save_and_submit_gives_the_read_only_notice(
    client, binub_planner, binub_assessment, monkeypatch
):
    client.login(username=binub_planner.username, password=PASSWORD)
    _another_save_after_ours(monkeypatch, None)

    response = client.post(
        reverse("assessment-edit", args=[binub_assessment.pk]), _submittable(binub_assessment)
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("assessment-detail", args=[binub_assessment.pk])
