"""The edit page helps the planner finish: every error at once, summarised with links, kept
values, required marks and a completeness count (issue #14, item 4)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import PASSWORD
from tests.forms import assessment_form_data


@pytest.fixture
def planner_client(client, binub_planner):
    client.login(username=binub_planner.username, password=PASSWORD)
    return client


def _post(client, assessment, **changes):
    url = reverse("assessment-edit", args=[assessment.pk])
    return client.post(url, assessment_form_data(assessment, **changes))


def _summary(page: str) -> str:
    match = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert match, "no error summary"
    return match.group(0)


@pytest.mark.django_db
def test_an_invalid_select_keeps_the_submitted_value_marked_as_not_accepted(
    planner_client, binub_assessment
):
    response = _post(planner_client, binub_assessment, **{"context-phase": "war"})

    assert response.status_code == 400
    page = response.content.decode()
    select = re.search(r'<select name="context-phase".*?</select>', page, re.S).group(0)
    # the posted value is the selected option: saving again cannot store the first option
    assert re.findall(r'<option value="([^"]*)"[^>]*selected', select) == ["war"]
    assert "“war” (not accepted: choose another value)" in select


@pytest.mark.django_db
def test_an_as_of_date_before_1948_is_refused_naming_the_field(planner_client, binub_assessment):
    response = _post(planner_client, binub_assessment, **{"context-as_of": "1900-01-01"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "As of: 1900-01-01 is too early; the date must be 1948-01-01 or later." in page
    assert 'min="1948-01-01"' in page
    binub_assessment.refresh_from_db()
    assert binub_assessment.version == 1


@pytest.mark.django_db
def test_context_and_function_errors_come_in_one_round_in_a_linked_summary(
    planner_client, binub_assessment
):
    # given a hybrid operation without a regional partner (a contradiction in the context)
    # and an unknown funding source for DDR (a bad value in a function)
    response = _post(
        planner_client,
        binub_assessment,
        **{
            "context-presence_type": "hybrid",
            "context-regional_partner": "none",
            "ddr-funding_source": "gold",
        },
    )

    assert response.status_code == 400
    summary = _summary(response.content.decode())
    # then both are listed at once, each linked to its field
    assert 'href="#id_context-presence_type"' in summary
    assert 'href="#id_context-regional_partner"' in summary
    assert 'href="#id_ddr-funding_source"' in summary
    assert "regional organisation" in summary


@pytest.mark.django_db
def test_a_refused_submit_also_names_the_missing_desired_impacts(planner_client, binub_assessment):
    ddr = binub_assessment.function_assessments.get(function__code="ddr")
    ddr.in_mandate, ddr.desired_impact = True, ""
    ddr.save()

    response = _post(
        planner_client, binub_assessment, **{"context-phase": "war", "action": "submit"}
    )

    summary = _summary(response.content.decode())
    assert 'href="#id_context-phase"' in summary
    assert 'href="#id_ddr-desired_impact"' in summary
    assert "The desired impact is required to submit." in summary


@pytest.mark.django_db
def test_each_error_is_the_element_its_field_is_described_by(planner_client, binub_assessment):
    response = _post(
        planner_client,
        binub_assessment,
        **{"context-as_of": "1900-01-01", "context-drawdown_within_months": "-4"},
    )

    page = response.content.decode()
    for name in ("context-as_of", "context-drawdown_within_months"):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
        described_by = re.search(r'aria-describedby="([^"]*)"', tag).group(1).split()
        assert f"id_{name}_error" in described_by
        assert f'id="id_{name}_error"' in page
        assert 'aria-invalid="true"' in tag


@pytest.mark.django_db
def test_the_context_link_is_flagged_and_required_fields_are_marked(
    planner_client, binub_assessment
):
    response = _post(planner_client, binub_assessment, **{"context-phase": "war"})

    page = response.content.decode()
    assert re.search(r'<a href="#section-context" class="has-error">Context <span', page)
    assert "(1 error)" in page
    label = re.search(r'<label for="id_context-phase">.*?</label>', page, re.S).group(0)
    assert 'class="required-mark"' in label


@pytest.mark.django_db
def test_the_page_counts_the_functions_of_the_mandate_with_a_desired_impact(
    planner_client, binub_assessment
):
    rows = list(binub_assessment.function_assessments.order_by("function__position"))
    for index, row in enumerate(rows):
        row.in_mandate = index < 3
        row.desired_impact = "Reached" if index < 2 else ""
        row.save()

    response = planner_client.get(reverse("assessment-edit", args=[binub_assessment.pk]))

    page = response.content.decode()
    assert "2 of 3 functions in the mandate have a desired impact" in page
    # the function still to do is open, the done and out-of-mandate ones folded
    assert re.search(rf'<details class="[^"]*" id="function-{rows[2].function.code}" open>', page)
    assert re.search(rf'<details class="[^"]*" id="function-{rows[0].function.code}">', page)
