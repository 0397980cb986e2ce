"""What the scenario pages say when they refuse: contradictions and other errors in words, in
the reader's language, each led by its fact (issue 13)."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from assessments import scenario_services
from assessments.models import Assessment
from assessments.scenario_models import Scenario
from tests.analysis.conftest import scenario_form_data

pytestmark = pytest.mark.django_db


def test_a_contradiction_and_a_taken_name_are_refused_on_their_fields(
    client, login, binub_planner, draft
):
    # given a draft whose DDR is funded from the pooled fund
    draft.function_assessments.filter(function__code="ddr").update(funding_source="pooled")
    login(binub_planner)
    # when a scenario takes the name of another and drops the pooled fund
    data = scenario_form_data(draft, context__name="Service agreements", context__pooled_fund=False)
    response = client.post(reverse("scenario-create", args=[draft.pk]), data)

    # then both are refused, each beside its field and in the summary
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    summary = page.split('id="error-summary"')[1].split("</div>")[0]
    assert '<a href="#id_context-name">Name: ' in summary
    assert "already has a scenario of this name" in summary
    assert '<a href="#id_context-pooled_fund">' in summary or (
        '<a href="#id_ddr-funding_source">' in summary
    )
    assert Scenario.objects.filter(assessment=draft).count() == 1


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Funding source contradicts pooled fund: a function cannot be funded"),
        ("fr", "Source de financement contredit fonds commun\u00a0: une fonction"),
    ],
)
def test_a_contradiction_reads_in_words_in_the_readers_language(
    client, login, binub_planner, draft, language, expected
):
    # given a draft whose DDR is funded from the pooled fund
    draft.function_assessments.filter(function__code="ddr").update(funding_source="pooled")
    login(binub_planner)
    # when a scenario drops the pooled fund
    data = scenario_form_data(draft, context__name="No pooled fund", context__pooled_fund=False)
    response = client.post(
        reverse("scenario-create", args=[draft.pk]), data, HTTP_ACCEPT_LANGUAGE=language
    )

    # then both fields say so as the edit page does: labels, not engine paths or reprs
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    summary = page.split('id="error-summary"')[1].split("</div>")[0]
    assert summary.count(expected) == 2
    assert "functions[" not in page
    assert "'pooled'" not in page
    assert not Scenario.objects.filter(name="No pooled fund").exists()


def test_a_scenario_the_facts_now_contradict_says_which_facts_on_the_comparison(
    client, login, viewer, binub_planner, draft
):
    # given a scenario funding DDR from the pooled fund, saved while the mission had one
    Assessment.objects.filter(pk=draft.pk).update(pooled_fund=True)
    scenario = scenario_services.scenario_create(
        assessment_id=draft.pk,
        by=binub_planner,
        name="Pooled DDR",
        note="",
        changes={"functions": {"ddr": {"funding_source": "pooled"}}},
    )
    # when the assessment drops its pooled fund, then a reader compares
    Assessment.objects.filter(pk=draft.pk).update(pooled_fund=False)
    login(viewer)
    url = reverse("scenario-compare", args=[draft.pk]) + f"?s={scenario.pk}"
    page = html.unescape(client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode())

    # then the notice names both facts in words, in French
    notice = page.split("ne correspond plus aux faits")[1].split("</p>")[0]
    assert "Source de financement contredit fonds commun\u00a0: une fonction" in notice
    assert "functions[" not in notice
    assert "'pooled'" not in notice


def test_the_french_error_summary_puts_a_no_break_space_before_each_colon(
    client, login, binub_planner, draft
):
    login(binub_planner)
    data = scenario_form_data(draft, context__name="")
    response = client.post(
        reverse("scenario-create", args=[draft.pk]), data, HTTP_ACCEPT_LANGUAGE="fr"
    )

    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    summary = page.split('id="error-summary"')[1].split("</div>")[0]
    assert '<a href="#id_context-name">Nom\u00a0: Ce champ est obligatoire.</a>' in summary


def test_applying_a_scenario_the_facts_now_contradict_says_so_once_in_words(
    client, login, binub_planner, draft
):
    # given a scenario funding DDR from the pooled fund, saved while the mission had one
    Assessment.objects.filter(pk=draft.pk).update(pooled_fund=True)
    scenario = scenario_services.scenario_create(
        assessment_id=draft.pk,
        by=binub_planner,
        name="Pooled DDR",
        note="",
        changes={"functions": {"ddr": {"funding_source": "pooled"}}},
    )
    # when the assessment drops its pooled fund, then the planner applies the scenario
    Assessment.objects.filter(pk=draft.pk).update(pooled_fund=False)
    login(binub_planner)
    response = client.post(
        reverse("scenario-apply", args=[draft.pk, scenario.pk]),
        {"version": "1", "scenario_version": "1"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    # then the message names both facts in words, once, without the services' paths
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert page.count("Source de financement contredit fonds commun\u00a0: une fonction") == 1
    assert "context.pooled_fund" not in page
    assert "functions.ddr" not in page
