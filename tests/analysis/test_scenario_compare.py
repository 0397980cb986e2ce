"""The scenario comparison page and "Try it" on a lever (issue 13): MONUC without agency service
agreements beside a scenario with them, what moved, in English and French, at a query count
that does not grow with the scenarios compared."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from assessments import scenario_services
from assessments.scenario_models import Scenario
from tests.analysis.conftest import evaluated_assessment_create
from tests.analysis.test_levers import MONUC

pytestmark = pytest.mark.django_db

AGREEMENTS = "If agency service agreements were permitted"


@pytest.fixture
def monuc(binub, binub_planner):
    """MONUC in 2007 (no agency service agreements), evaluated, as a BINUB draft."""
    return evaluated_assessment_create(mission=binub, **MONUC)


def _scenario(assessment, by, name: str, **context) -> Scenario:
    return scenario_services.scenario_create(
        assessment_id=assessment.pk, by=by, name=name, note="", changes={"context": context}
    )


def _compare(client, assessment, *scenarios) -> str:
    query = "&".join(f"s={scenario.pk}" for scenario in scenarios)
    response = client.get(reverse("scenario-compare", args=[assessment.pk]) + f"?{query}")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _row(page: str, heading: str) -> list[str]:
    """The cells (baseline first) of the comparison's row headed `heading`."""
    row = page.split(f'<th scope="row">{heading}</th>')[1].split("</tr>")[0]
    return row.split("<td")[1:]


def test_with_agency_service_agreements_the_administration_barrier_disappears(
    login, viewer, binub_planner, monuc
):
    scenario = _scenario(monuc, binub_planner, "Agreements", agency_service_agreements=True)

    page = _compare(login(viewer), monuc, scenario)

    # the columns: the baseline and the scenario, under the published rulebook named once
    assert '<th scope="col">Assessment (baseline)</th><th scope="col">Agreements</th>' in page
    assert "under the current published rulebook, version 2008.1" in page
    # DDR's administrative level: feasible rises from parallel, the barrier disappears
    baseline, moved = _row(page, "DDR · Administrative")
    assert "feasible: Parallel" in baseline
    assert "Administration barrier" in baseline
    assert moved.startswith(' class="changed"')
    assert "▲</span> feasible rises</span> from Parallel" in moved
    assert "feasible: Partial" in moved
    assert moved.count("Administration barrier disappears") == 1  # named once per category
    # a cell that does not move is not marked
    baseline, same = _row(page, "Political process · Programmatic")
    assert "changed" not in same
    assert "rises" not in same
    # the scenario's change, under its column's name
    assert '<th scope="row">Agency service agreements permitted</th><td>no</td>' in page


def test_a_scenario_that_removes_agreements_shows_the_barrier_appearing_and_feasible_falling(
    login, viewer, binub_planner, binub
):
    with_them = evaluated_assessment_create(
        mission=binub, **(MONUC | {"agency_service_agreements": True})
    )
    scenario = _scenario(with_them, binub_planner, "Without", agency_service_agreements=False)

    page = _compare(login(viewer), with_them, scenario)

    _baseline, moved = _row(page, "DDR · Administrative")
    assert "▼</span> feasible falls</span> from Partial" in moved
    assert "Administration barrier appears" in moved


def test_the_page_reads_in_french(client, login, viewer, binub_planner, monuc):
    scenario = _scenario(monuc, binub_planner, "Accords", agency_service_agreements=True)
    login(viewer)
    client.post(reverse("set_language"), {"language": "fr"})

    page = _compare(client, monuc, scenario)

    assert '<html lang="fr">' in page
    assert "Évaluation (référence)" in page
    assert "Obstacle levé\u00a0: Administration" in page
    assert "réalisable en hausse" in page


def test_the_compared_scenarios_are_chosen_by_checkbox_up_to_three(
    login, viewer, binub_planner, monuc
):
    scenarios = [
        _scenario(monuc, binub_planner, f"S{n}", common_services=bool(n % 2)) for n in range(4)
    ]
    client = login(viewer)

    page = _compare(client, monuc, *scenarios)

    heads = page.split("<thead>")[1].split("</thead>")[0]
    assert [f'<th scope="col">S{n}</th>' in heads for n in range(4)] == [True, True, True, False]
    assert "compares up to 3 scenarios" in page
    assert page.count('name="s" value=') == 4
    assert page.count(" checked> S") == 3
    # without a choice, the first three
    default = _compare(client, monuc)
    assert '<th scope="col">S2</th>' in default
    assert '<th scope="col">S3</th>' not in default


def test_the_comparison_costs_the_same_queries_for_one_and_three_scenarios(
    login, viewer, binub_planner, monuc, django_assert_num_queries
):
    client = login(viewer)
    scenarios = [
        _scenario(monuc, binub_planner, f"S{n}", common_services=bool(n % 2)) for n in range(3)
    ]
    for compared in (scenarios[:1], scenarios):
        # 1 session, 2 user, 3 assessment + mission + evaluation + rulebook, 4 its function
        # rows + functions, 5 its scenarios, 6 the function rows the comparison reads (facts),
        # 7 the published rulebook, 8 "may this user write scenarios?" (editable_by)
        with django_assert_num_queries(8):
            page = _compare(client, monuc, *compared)
        assert page.count('<th scope="col">S') == len(compared)


def test_planners_try_a_lever_and_see_it_beside_the_assessment(client, login, binub_planner, monuc):
    login(binub_planner)
    recommendations = client.get(reverse("assessment-recommendations", args=[monuc.pk]))
    page = html.unescape(recommendations.content.decode())
    lever = next(item for item in page.split('<li class="lever">') if f"<h3>{AGREEMENTS}, " in item)
    index = lever.split('name="lever" value="')[1].split('"')[0]
    url = reverse("scenario-from-lever", args=[monuc.pk])

    response = client.post(url, {"lever": index, "condition": AGREEMENTS})

    scenario = Scenario.objects.get(assessment=monuc)
    assert scenario.name == AGREEMENTS
    assert scenario.changes["context"] == {"agency_service_agreements": True}
    assert scenario.created_by == binub_planner
    compare = reverse("scenario-compare", args=[monuc.pk]) + f"?s={scenario.pk}"
    assert response["Location"] == compare
    assert f'<th scope="col">{AGREEMENTS}</th>' in _compare(client, monuc, scenario)
    # trying it again opens the same scenario
    again = client.post(url, {"lever": index, "condition": AGREEMENTS})
    assert again["Location"] == compare
    assert Scenario.objects.filter(assessment=monuc).count() == 1


def test_a_lever_that_changed_since_the_page_was_shown_is_not_tried(
    client, login, binub_planner, monuc
):
    login(binub_planner)
    url = reverse("scenario-from-lever", args=[monuc.pk])
    for data in ({"lever": "0", "condition": "If something else"}, {"lever": "99"}, {}):
        response = client.post(url, data)
        assert response["Location"] == reverse("assessment-recommendations", args=[monuc.pk])
    assert not Scenario.objects.exists()
    assert client.get(url).status_code == 405


def test_only_planners_of_a_draft_see_try_it(
    client, login, binub_planner, unmis_planner, viewer, hq_reviewer, monuc
):
    url = reverse("assessment-recommendations", args=[monuc.pk])
    for user, shown in (
        (binub_planner, True),
        (unmis_planner, False),
        (viewer, False),
        (hq_reviewer, False),
    ):
        login(user)
        assert ("Try it" in client.get(url).content.decode()) is shown, user.username
        client.logout()
