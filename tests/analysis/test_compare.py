"""Compare: an assessment against the mission's previous one, and missions side by side."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from assessments import review_services, services
from missions.models import Function
from tests import factories
from tests.analysis.conftest import XSS, day, evaluated_assessment_create

pytestmark = pytest.mark.django_db


def _compare(client, assessment, **params) -> str:
    response = client.get(reverse("assessment-compare", args=[assessment.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


def _row(page: str, table_id: str, label: str) -> str:
    table = page.split(f'id="{table_id}"')[1].split("</table>")[0]
    for row in table.split("<tr")[1:]:
        if label in row.split("</th>")[0]:
            return row
    raise AssertionError(f"no row {label!r} in {table_id}")


def test_an_assessment_is_compared_with_the_missions_previous_one(login, viewer, binub):
    # given two BINUB assessments: the phase moved to transition and DDR's imperatives conflict
    older = evaluated_assessment_create(mission=binub, as_of=day(0))
    newer = factories.AssessmentFactory(mission=binub, as_of=day(90), phase="transition")
    newer.function_assessments.filter(function__code="ddr").update(
        conflicting_imperatives=True, desired_impact="Ex-combatants reintegrated"
    )
    services.assessment_evaluate(assessment_id=newer.pk)
    # when the newer one is compared (with no `with`: the previous one)
    page = _compare(login(viewer), newer)
    # then changed facts and recommendations are highlighted and marked, the rest are not
    assert older.as_of.strftime("%Y-%m-%d") in page
    phase = _row(page, "compare-context", "Phase")
    assert 'class="changed"' in phase
    assert "<del>Peacebuilding</del>" in phase
    assert "<ins>Transition</ins>" in phase
    assert 'class="changed"' not in _row(page, "compare-context", "Presence type")
    ddr = _row(page, "compare-recommendations", "DDR")
    assert 'class="changed"' in ddr
    assert "changed</span>" in ddr
    assert "Ex-combatants reintegrated" in page
    assert "context fact changed" in page


def test_the_same_dimensions_in_another_order_are_not_a_change(login, viewer, binub):
    # given two BINUB assessments whose DDR dimensions are the same set, stored in other orders
    evaluated_assessment_create(mission=binub, as_of=day(0))
    newer = factories.AssessmentFactory(mission=binub, as_of=day(90))
    ddr = newer.function_assessments.get(function__code="ddr")
    ddr.dimensions = list(reversed(ddr.dimensions))
    ddr.save()
    services.assessment_evaluate(assessment_id=newer.pk)
    # when the newer one is compared with it
    page = _compare(login(viewer), newer)
    # then no function fact is shown as changed
    assert "Function facts that changed" not in page


def test_the_first_assessment_has_nothing_to_compare_with(login, viewer, evaluated):
    page = _compare(login(viewer), evaluated)

    assert "nothing earlier to compare it with" in page


def test_any_visible_assessment_can_be_chosen_to_compare_with(login, viewer, binub):
    first = evaluated_assessment_create(mission=binub, as_of=day(0), conflict_level="high")
    evaluated_assessment_create(mission=binub, as_of=day(30))
    third = evaluated_assessment_create(mission=binub, as_of=day(60))
    client = login(viewer)

    page = _compare(client, third, **{"with": first.pk})

    assert 'class="changed"' in _row(page, "compare-context", "Conflict level")
    url = reverse("assessment-compare", args=[third.pk])
    assert client.get(url, {"with": "x"}).status_code == 404
    assert client.get(url, {"with": 999999}).status_code == 404


def test_compared_free_text_is_escaped(login, viewer, binub):
    older = evaluated_assessment_create(mission=binub, as_of=day(0))
    newer = factories.AssessmentFactory(mission=binub, as_of=day(10))
    newer.function_assessments.filter(function__code="ssr").update(desired_impact=XSS)
    binub.name = XSS
    binub.save()

    page = _compare(login(viewer), newer, **{"with": older.pk})

    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_compare_costs_the_same_queries_for_one_and_twelve_functions(
    login, viewer, binub, django_assert_num_queries
):
    client = login(viewer)
    for functions in (1, 12):
        older = evaluated_assessment_create(
            mission=binub, as_of=day(functions), functions=functions
        )
        newer = evaluated_assessment_create(
            mission=binub, as_of=day(functions + 1), functions=functions, phase="transition"
        )
        # 1 session, 2 user, 3 the assessment (+ mission, current evaluation, rulebook),
        # 4 the previous one, 5 both assessments' function rows + functions,
        # 6 both evaluations' recommendations + functions, 7 the mission's other assessments
        with django_assert_num_queries(7):
            page = _compare(client, newer)
        assert older.as_of.strftime("%Y-%m-%d") in page


# --- missions side by side -------------------------------------------------------------------


def _missions(client, *acronyms) -> str:
    response = client.get(reverse("missions-compare"), {"mission": list(acronyms)})
    assert response.status_code == 200
    return response.content.decode()


def test_two_missions_show_side_by_side_with_their_differences_marked(login, viewer, binub, unmis):
    evaluated_assessment_create(mission=binub, as_of=day(0))
    evaluated_assessment_create(
        mission=unmis, as_of=day(0), force_posture="deterrent", agency_service_agreements=False
    )

    page = _missions(login(viewer), "BINUB", "UNMIS")

    header = page.split('id="compare-missions-context"')[1].split("</thead>")[0]
    assert header.index("BINUB") < header.index("UNMIS")
    posture = _row(page, "compare-missions-context", "Force posture")
    assert 'class="changed"' in posture
    assert "differs" in posture
    assert "Deterrent posture" in posture
    assert 'class="changed"' not in _row(page, "compare-missions-context", "Phase")
    recommendations = page.split('id="compare-missions-recommendations"')[1]
    assert recommendations.count('<th scope="row">') == 12


def test_without_a_choice_the_first_two_missions_with_recommendations_are_compared(
    login, viewer, binub, unmis
):
    factories.MissionFactory(acronym="AAA")  # no assessment: not chosen by default
    evaluated_assessment_create(mission=binub)
    evaluated_assessment_create(mission=unmis)

    response = login(viewer).get(reverse("missions-compare"))

    header = response.content.decode().split('id="compare-missions-context"')[1]
    header = header.split("</thead>")[0]
    assert "BINUB" in header
    assert "UNMIS" in header
    assert "AAA" not in header


def test_a_mission_without_recommendations_shows_as_such(login, viewer, binub, unmis):
    evaluated_assessment_create(mission=binub)
    factories.AssessmentFactory(mission=unmis)  # a draft never computed

    page = _missions(login(viewer), "BINUB", "UNMIS")

    assert "no recommendations yet" in page
    assert "not assessed" in page


def test_compare_missions_shows_each_approved_assessment_and_names_a_newer_one(
    login, viewer, binub, unmis
):
    # given BINUB approved in 2007 then submitted anew (with another posture) in 2008, and
    # UNMIS with only a submitted assessment
    approved = evaluated_assessment_create(mission=binub, as_of=day(0))
    type(approved).objects.filter(pk=approved.pk).update(status="approved")
    newer = evaluated_assessment_create(mission=binub, as_of=day(300), force_posture="deterrent")
    type(newer).objects.filter(pk=newer.pk).update(status="submitted")
    waiting = evaluated_assessment_create(mission=unmis, as_of=day(0))
    type(waiting).objects.filter(pk=waiting.pk).update(status="submitted")

    page = _missions(login(viewer), "BINUB", "UNMIS")

    # then BINUB is compared at its approved assessment, the newer one named with its status
    header = page.split('id="compare-missions-context"')[1].split("</thead>")[0]
    binub_column, unmis_column = header.split('<th scope="col">')[2:4]
    assert '2007-01-01</a> <span class="status status-approved">Approved</span>' in binub_column
    assert "Newer, not approved:" in binub_column
    assert '2007-10-28</a> <span class="status status-submitted">Submitted</span>' in binub_column
    assert "Deterrent posture" not in _row(page, "compare-missions-context", "Force posture")
    # and UNMIS, with nothing approved, at its submitted one, saying so
    assert '<span class="status status-submitted">Submitted</span>' in unmis_column
    assert "Newer, not approved:" not in unmis_column


def test_compare_missions_costs_the_same_queries_for_one_and_many_missions(
    login, viewer, django_assert_num_queries
):
    client = login(viewer)
    acronyms = []
    for n, count in ((0, 1), (1, 5)):
        for m in range(count):
            mission = factories.MissionFactory(acronym=f"M{n}{m}")
            acronyms.append(mission.acronym)
            for k in range(n + 1):  # and more assessments per mission the second time
                evaluated_assessment_create(mission=mission, as_of=day(k))
        # 1 session, 2 user, 3 visible missions with their latest evaluated assessment id,
        # 4 those assessments, 5 their recommendations + functions, 6 their overrides
        with django_assert_num_queries(6):
            page = _missions(client, *acronyms)
        assert all(acronym in page for acronym in acronyms)


def test_names_on_the_missions_comparison_are_escaped(login, viewer, binub, unmis):
    evaluated_assessment_create(mission=binub)
    evaluated_assessment_create(mission=unmis)
    # catalogue functions are shown by their translated catalogue name; one outside the
    # catalogue shows its stored name, which must be escaped
    Function.objects.filter(code="ddr").update(code="local_ddr", name=XSS)

    page = _missions(login(viewer), "BINUB", "UNMIS")

    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_compare_missions_cells_say_what_to_plan_for_as_the_matrix_does(
    login, viewer, hq_reviewer, binub, unmis
):
    # given BINUB with no agency service agreements (its administration out of reach) and
    # UNMIS whose DDR administration HQ overrode
    constrained = evaluated_assessment_create(mission=binub, agency_service_agreements=False)
    overridden = evaluated_assessment_create(mission=unmis)
    type(overridden).objects.filter(pk=overridden.pk).update(status="submitted")
    review_services.recommendation_override(
        assessment_id=overridden.pk,
        by=hq_reviewer,
        function_code="ddr",
        level="administrative",
        degree="parallel",
        justification="Field office closes next month.",
    )
    recommendation = constrained.current_evaluation.recommendations.get(
        function__code="ddr", level="administrative"
    )
    assert recommendation.feasible_degree != recommendation.degree  # the case this test needs

    page = _missions(login(viewer), "BINUB", "UNMIS")

    row = _row(page, "compare-missions-recommendations", "DDR")
    binub_cell, unmis_cell = row.split("<td>")[1:3]
    administrative = binub_cell.split('data-level="administrative"')[1].split("</li>")[0]
    text = " ".join(re.sub(r"<[^>]+>", "", administrative.split(">", 1)[1]).split())
    feasible = recommendation.get_feasible_degree_display()
    needed = recommendation.get_degree_display()
    # the degree to plan for first, the one needed after it: no "feasible: …" to decode
    assert text.startswith(f"Administrative: Plan for ◐ {feasible} ▼")
    assert f"({needed} needed)" in text
    assert "feasible:" not in page
    # HQ's override is what UNMIS plans for, the engine's answer beside it
    administrative = unmis_cell.split('data-level="administrative"')[1].split("</li>")[0]
    assert administrative.startswith(' data-plan="parallel"')
    assert "HQ override: Parallel (engine:" in administrative
