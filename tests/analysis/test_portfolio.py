"""The portfolio page: every mission at its latest approved assessment, function by function,
filtered by presence type, phase and where the answers stand, in queries that do not grow with
the missions."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments import review_services
from assessments.models import Assessment
from tests import factories
from tests.analysis.conftest import day, evaluated_assessment_create

PORTFOLIO = reverse("portfolio")


def _approved(mission, **facts) -> Assessment:
    """An evaluated assessment of `mission`, approved (the answer HQ stands by)."""
    assessment = evaluated_assessment_create(mission=mission, **facts)
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.APPROVED)
    return assessment


def _row(html: str, acronym: str) -> str:
    match = re.search(rf'<tr data-mission="{acronym}">.*?</tr>', html, re.DOTALL)
    assert match, (acronym, re.findall(r'data-mission="([^"]+)"', html))
    return match.group()


def _cell(row: str, function: str) -> str:
    match = re.search(rf'<td class="pf-\w+" data-function="{function}".*?</td>', row, re.DOTALL)
    assert match, function
    return match.group()


def _missions(html: str) -> list[str]:
    return re.findall(r'<tr data-mission="([^"]+)">', html)


@pytest.mark.django_db
def test_monucs_row_after_the_sample_data_says_what_to_plan_for_and_links_into_its_matrix(
    login, viewer
):
    call_command("load_sample_data", verbosity=0)
    monuc = Assessment.objects.get(mission__acronym="MONUC", status="approved")

    html = login(viewer).get(PORTFOLIO).content.decode()

    assert _missions(html) == ["BINUB", "MONUC", "UNAMID", "UNMEE", "UNMIS"]
    row = _row(html, "MONUC")
    matrix = reverse("assessment-recommendations", args=[monuc.pk])
    # the acronym opens the matrix; the row names the status, date, presence type and phase
    assert f'<a class="pf-acronym" href="{matrix}">MONUC</a>' in row
    assert 'Approved</span> <span class="pf-date">2007-04-26</span>' in row
    assert "Multidimensional peacekeeping operation · Peacekeeping" in row
    # each cell opens its function in the matrix, with its three levels in words; DDR's context
    # allows less than needed at every level (▼, hatched)
    ddr = _cell(row, "ddr")
    assert f'href="{matrix}#function-ddr"' in ddr
    assert (
        "Strategic: plan for Partial (Full needed). Programmatic: plan for Partial (Full needed)."
        " Administrative: plan for Parallel (Full needed)."
    ) in ddr
    assert ddr.count("constrained") == 3
    assert ddr.count("▼") == 3


@pytest.mark.django_db
def test_a_mission_shows_its_approved_answers_and_names_a_newer_returned_assessment(
    login, viewer, binub
):
    # given BINUB's approved assessment, and a newer one returned to its planners
    approved = _approved(binub, as_of=day(10))
    factories.AssessmentFactory(mission=binub, as_of=day(40), status="returned")
    # when anyone reads the portfolio
    row = _row(login(viewer).get(PORTFOLIO).content.decode(), "BINUB")
    # then the row is the approved one, and the newer one is named with its status
    assert reverse("assessment-recommendations", args=[approved.pk]) in row
    assert 'Approved</span> <span class="pf-date">2007-01-11</span>' in row
    assert "Newer, not approved:" in row
    assert '<span class="status status-returned">Returned</span>' in row


@pytest.mark.django_db
def test_a_mission_with_no_approved_assessment_says_so_and_shows_no_answers(login, viewer, binub):
    evaluated_assessment_create(mission=binub)  # a draft, evaluated

    row = _row(login(viewer).get(PORTFOLIO).content.decode(), "BINUB")

    assert "No approved assessment yet." in row
    assert "pf-cell" not in row
    assert "Latest, not approved:" in row
    assert f'href="{reverse("mission-detail", args=["BINUB"])}"' in row


@pytest.mark.django_db
def test_an_hq_override_wins_as_in_the_matrix(login, viewer, hq_reviewer, binub):
    # given HQ overrode DDR's programmatic degree while reviewing, then approved the assessment
    assessment = evaluated_assessment_create(mission=binub)
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.UNDER_REVIEW)
    review_services.recommendation_override(
        assessment_id=assessment.pk,
        by=hq_reviewer,
        function_code="ddr",
        level="programmatic",
        degree="parallel",
        justification="Separate structures while the armed groups distrust the UN.",
    )
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.APPROVED)
    # when anyone reads the portfolio
    ddr = _cell(_row(login(viewer).get(PORTFOLIO).content.decode(), "BINUB"), "ddr")
    # then the programmatic mark is the override's degree, marked ✎, the engine's named beside
    marks = re.findall(r'<span class="pf-mark ([^"]+)">', ddr)
    assert marks[1] == "degree-parallel overridden"
    assert "✎" in ddr
    assert "Programmatic: plan for Parallel (HQ override; engine: Full)." in ddr


@pytest.mark.django_db
def test_a_function_outside_the_mandate_reads_as_a_dash(login, viewer, binub):
    _approved(binub, functions=2)

    row = _row(login(viewer).get(PORTFOLIO).content.decode(), "BINUB")

    assert "pf-cell" in _cell(row, "political_process")
    elections = _cell(row, "elections")
    assert 'class="pf-out"' in elections
    assert "—" in elections
    assert "Outside the mandate" in elections


@pytest.mark.django_db
def test_filters_by_presence_type_phase_and_newer_assessments(login, viewer, binub, unmis):
    # given BINUB, a political mission in peacebuilding with a newer draft, and UNMIS, a
    # peacekeeping operation, and UNMEE, with no assessment
    _approved(binub, presence_type="political_mission", phase="peacebuilding")
    factories.AssessmentFactory(mission=binub, as_of=day(400))
    _approved(unmis, presence_type="multidimensional_pko", phase="peacekeeping")
    factories.MissionFactory(acronym="UNMEE", presence_type="observer_mission")
    # and UNAMID, with a draft alone
    factories.AssessmentFactory(mission=factories.MissionFactory(acronym="UNAMID"))
    client = login(viewer)

    def shown(**query) -> list[str]:
        return _missions(client.get(PORTFOLIO, query).content.decode())

    assert shown() == ["BINUB", "UNAMID", "UNMEE", "UNMIS"]
    assert shown(presence_type="political_mission") == ["BINUB"]
    # a mission without an approved assessment goes by its own presence type
    assert shown(presence_type="observer_mission") == ["UNMEE"]
    assert shown(phase="peacekeeping") == ["UNMIS"]
    assert shown(phase="peacekeeping", presence_type="political_mission") == []
    assert shown(show="newer") == ["BINUB"]
    assert shown(show="none_approved") == ["UNAMID", "UNMEE"]
    # an unknown value is no filter at all, and the form keeps what was chosen
    assert shown(phase="<script>") == ["BINUB", "UNAMID", "UNMEE", "UNMIS"]
    html = client.get(PORTFOLIO, {"phase": "peacebuilding"}).content.decode()
    assert '<option value="peacebuilding" selected>Peacebuilding</option>' in html
    assert (
        "No mission matches these filters."
        in client.get(PORTFOLIO, {"phase": "transition"}).content.decode()
    )


@pytest.mark.django_db
def test_fifty_missions_a_page_with_the_filters_kept_in_the_page_links(login, viewer):
    factories.MissionFactory.create_batch(51, presence_type="hybrid")
    client = login(viewer)

    first = client.get(PORTFOLIO, {"presence_type": "hybrid"}).content.decode()
    second = client.get(PORTFOLIO, {"presence_type": "hybrid", "page": 2}).content.decode()

    assert len(_missions(first)) == 50
    assert "51 missions. Page 1 of 2." in first
    assert 'href="?presence_type=hybrid&amp;page=2" rel="next"' in first
    assert len(_missions(second)) == 1


@pytest.mark.django_db
def test_the_page_reads_in_french(login, viewer, binub):
    _approved(binub, functions=2)
    client = login(viewer)
    client.post(reverse("set_language"), {"language": "fr"})

    html = client.get(PORTFOLIO).content.decode()

    assert "<h1>Portefeuille</h1>" in html
    assert "Stratégique\u00a0: à prévoir" in html
    assert "Hors du mandat" in html


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(PORTFOLIO)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.django_db
def test_the_header_and_the_home_page_link_to_the_portfolio(login, viewer):
    html = login(viewer).get(reverse("home")).content.decode()

    assert html.count(f'href="{PORTFOLIO}"') == 2


@pytest.mark.django_db
def test_portfolio_queries_do_not_grow_with_missions(
    login, viewer, binub, django_assert_num_queries
):
    _approved(binub, functions=2)
    factories.MissionFactory(acronym="M0")
    client = login(viewer)
    # session, user, the count of missions, the page of missions with their assessments'
    # annotations, the functions, the approved evaluations' recommendations, their overrides
    with django_assert_num_queries(7):
        client.get(PORTFOLIO)
    for n in range(1, 9):
        mission = factories.MissionFactory(acronym=f"M{n}")
        _approved(mission, functions=2)
        factories.AssessmentFactory(mission=mission, as_of=day(400), status="submitted")
    with django_assert_num_queries(7):
        client.get(PORTFOLIO)
