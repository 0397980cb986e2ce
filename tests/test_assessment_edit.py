"""Editing an assessment: drafts save, errors keep what was typed, nothing is overwritten."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import Assessment
from tests.factories import PASSWORD
from tests.forms import assessment_form_data


@pytest.fixture
def planner_client(client, binub_planner):
    client.login(username=binub_planner.username, password=PASSWORD)
    return client


@pytest.mark.django_db
def test_planner_saves_a_draft_and_the_version_moves(planner_client, binub_assessment):
    url = reverse("assessment-edit", args=[binub_assessment.pk])
    data = assessment_form_data(
        binub_assessment,
        **{"context-phase": "transition", "ddr-desired_impact": "Ex-combatants reintegrated"},
    )

    response = planner_client.post(url, data)

    assert response.status_code == 302
    binub_assessment.refresh_from_db()
    assert binub_assessment.phase == "transition"
    assert binub_assessment.version == 2
    ddr = binub_assessment.function_assessments.get(function__code="ddr")
    assert ddr.desired_impact == "Ex-combatants reintegrated"


@pytest.mark.django_db
def test_an_invalid_fact_shows_its_error_and_keeps_what_was_typed(planner_client, binub_assessment):
    url = reverse("assessment-edit", args=[binub_assessment.pk])
    data = assessment_form_data(
        binub_assessment,
        **{"context-phase": "war", "ddr-desired_impact": "Typed text that must survive"},
    )

    response = planner_client.post(url, data)

    assert response.status_code == 400
    page = response.content.decode()
    assert (
        "Phase: “war” is not one of conflict_prevention, peacemaking, peace_enforcement,"
        " peacekeeping, stabilization, peacebuilding, transition." in page
    )
    assert "Typed text that must survive" in page
    binub_assessment.refresh_from_db()
    assert binub_assessment.version == 1
    assert binub_assessment.phase == "peacebuilding"


@pytest.mark.django_db
def test_second_editor_gets_a_conflict_page_and_nothing_is_overwritten(
    planner_client, binub_assessment
):
    # given two editors who both opened version 1
    url = reverse("assessment-edit", args=[binub_assessment.pk])
    first = assessment_form_data(binub_assessment, **{"context-phase": "transition"})
    second = assessment_form_data(
        binub_assessment,
        **{"context-conflict_level": "high", "ddr-desired_impact": "Second editor's words"},
    )
    # when the first saves, then the second saves
    assert planner_client.post(url, first).status_code == 302
    response = planner_client.post(url, second)
    # then the second sees a conflict page with both versions, and the first's save stands
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this assessment" in page
    assert "Second editor&#x27;s words" in page
    assert "transition" in page
    binub_assessment.refresh_from_db()
    assert binub_assessment.phase == "transition"
    assert binub_assessment.conflict_level == "low"
    assert binub_assessment.version == 2
    # and saving again from the conflict page (now against version 2) merges explicitly
    merged = dict(second) | {"context-version": 2, "context-phase": "transition"}
    assert planner_client.post(url, merged).status_code == 302
    binub_assessment.refresh_from_db()
    assert (binub_assessment.phase, binub_assessment.conflict_level) == ("transition", "high")
    assert binub_assessment.version == 3


@pytest.mark.django_db
def test_a_new_assessment_is_prefilled_from_the_previous_one(planner_client, binub_assessment):
    binub_assessment.force_posture = "deterrent"
    binub_assessment.save()

    planner_client.post(reverse("assessment-start", args=["BINUB"]))

    new = Assessment.objects.filter(mission=binub_assessment.mission).latest("id")
    assert new.pk != binub_assessment.pk
    assert new.force_posture == "deterrent"
    assert new.status == "draft"
    assert new.function_assessments.count() == 12
    ddr = new.function_assessments.get(function__code="ddr")
    assert ddr.desired_impact == "Desired impact of ddr"
