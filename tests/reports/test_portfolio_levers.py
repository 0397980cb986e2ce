"""The portfolio report's levers: the remedies ranked over the approved profiles it shows, the
strongest in the PDF, all of them in the XLSX, in the reader's language."""

from __future__ import annotations

import dataclasses
import re

import pypdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from assessments.models import Assessment
from assessments.selectors.portfolio_levers import PortfolioLevers, PortfolioRemedy
from reports import selectors, services
from reports.renderers.html import report_html_render
from tests import factories
from tests.analysis.conftest import evaluated_assessment_create
from tests.reports.test_renderers import _stored

pytestmark = pytest.mark.django_db

# MONUC in 2007 (§VII Structural reforms): no agency service agreements nor common services.
WITHOUT_AGREEMENTS = {
    "conflict_level": "high",
    "force_posture": "deterrent",
    "phase": "peacekeeping",
    "pooled_fund": False,
    "agency_service_agreements": False,
    "common_services": False,
}
FIFTH_COMMITTEE = "p9-no-administrative-link"


def _approved(acronym: str, **facts) -> Assessment:
    mission = factories.MissionFactory(acronym=acronym)
    assessment = evaluated_assessment_create(mission=mission, **facts)
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.APPROVED)
    return assessment


def _portfolio(user, *, language: str = "en") -> dict:
    job, _ = services.report_job_request(
        kind="portfolio",
        by=user,
        formats=["pdf", "xlsx"],
        parameters={"language": language},
        dispatch=False,
    )
    job = services.report_job_run(job_id=job.pk)
    assert job.state == "succeeded", job.error
    return {fmt: _stored(name) for fmt, name in job.files.items()}


def _pdf_text(path) -> str:
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    return " ".join(text.split())


def _levers_section(text: str, title: str, next_title: str) -> str:
    return text.split(title)[1].split(next_title)[0]


@pytest.fixture
def three_missions(hq_reviewer):
    """BINUB and MONUC approved without agency service agreements; UNMEE approved with them;
    UNMIS without them too, but only in a draft (its answers are not the report's to show)."""
    _approved("BINUB", **WITHOUT_AGREEMENTS)
    _approved("MONUC", **WITHOUT_AGREEMENTS)
    _approved("UNMEE")
    evaluated_assessment_create(
        mission=factories.MissionFactory(acronym="UNMIS"), **WITHOUT_AGREEMENTS
    )


def test_the_portfolio_ranks_the_remedies_of_its_approved_profiles(hq_reviewer, three_missions):
    data = selectors.portfolio_report_data(user=hq_reviewer)

    remedies = {r.rule: r for r in data.levers.remedies}
    fifth = remedies[FIFTH_COMMITTEE]
    # the draft-only UNMIS is not counted, as the report shows no draft's answers
    assert fifth.missions_listed == ["BINUB", "MONUC"]
    assert data.levers.missions == 3
    counts = [len(r.missions) for r in data.levers.remedies]
    assert counts == sorted(counts, reverse=True)


def test_the_pdf_lists_the_levers_with_who_carries_them_and_what_they_unblock(
    hq_reviewer, three_missions
):
    files = _portfolio(hq_reviewer)

    text = _pdf_text(files["pdf"])
    section = _levers_section(text, "Levers across the portfolio", "Latest approved profile")
    assert "over 3 missions' latest approved profiles" in section
    assert "Who carries it" in section
    assert "Member States in the Fifth Committee" in section
    assert "2: BINUB, MONUC" in section
    assert "UNMIS" not in section


def test_the_xlsx_levers_sheet_holds_one_value_per_cell_with_filters(hq_reviewer, three_missions):
    files = _portfolio(hq_reviewer)

    workbook = load_workbook(files["xlsx"])
    assert workbook.sheetnames == [
        "Profiles",
        "Distribution",
        "Barriers",
        "Levers",
        "Waiting for review",
    ]
    sheet = workbook["Levers"]
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[:7] == (
        "Rank",
        "Category",
        "Remedy (source §VII)",
        "Who carries it",
        "Missions unblocked",
        "Functions unblocked",
        "Levels unblocked",
    )
    assert [row[0] for row in rows] == list(range(1, len(rows) + 1))
    fifth = next(row for row in rows if "Fifth Committee" in row[2])
    assert fifth[4] == 2
    assert fifth[6] >= fifth[5] >= 2  # numbers, so that they sort and filter as numbers
    assert fifth[7] == "BINUB, MONUC"
    assert "Agency service agreements permitted: no → yes" in fifth[8].split("\n")
    last = sheet.cell(row=1, column=len(header)).column_letter
    assert sheet.auto_filter.ref == f"A1:{last}{len(rows) + 1}"


def test_the_levers_read_in_french(hq_reviewer, three_missions):
    files = _portfolio(hq_reviewer, language="fr")

    text = _pdf_text(files["pdf"])
    section = _levers_section(
        text, "Leviers sur l'ensemble des missions", "Dernier profil approuvé"
    )
    assert "États Membres à la Cinquième Commission" in section  # who carries it
    assert "Member States" not in section
    sheet = load_workbook(files["xlsx"])["Leviers"]
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[3] == "Qui la porte"
    assert any("Cinquième Commission" in row[2] for row in rows)
    assert not any("Fifth Committee" in str(cell) for row in rows for cell in row)


def test_the_pdf_lists_the_strongest_fifteen_and_says_the_xlsx_has_them_all(hq_reviewer):
    # given a portfolio whose profiles rank twenty remedies
    _approved("MONUC", **WITHOUT_AGREEMENTS)
    data = selectors.portfolio_report_data(user=hq_reviewer)
    remedies = [
        PortfolioRemedy(
            rule=f"rule-{n}", category="administration", remedy=f"Remedy {n:02}.", carriers=[]
        )
        for n in range(20)
    ]
    data = dataclasses.replace(data, levers=PortfolioLevers(remedies=remedies, missions=1))
    # when the report's HTML is rendered
    html = report_html_render(
        kind="portfolio",
        context={
            "data": data,
            "charts": [],
            "generated_at": timezone.now(),
            "requested_by": "hq",
        },
    )
    # then the first fifteen are listed, and the reader is told where the others are
    table = re.search(r'<table class="levers">.*?</table>', html, re.DOTALL).group()
    assert re.findall(r"Remedy (\d\d)\.", table) == [f"{n:02}" for n in range(15)]
    assert "The 15 strongest of 20; the XLSX report lists them all." in html


def test_building_the_portfolio_report_makes_as_many_queries_for_1_and_4_missions(hq_reviewer):
    def queries() -> int:
        job, _ = services.report_job_request(
            kind="portfolio", by=hq_reviewer, formats=["pdf", "xlsx"], dispatch=False
        )
        with CaptureQueriesContext(connection) as captured:
            job = services.report_job_run(job_id=job.pk)
        assert job.state == "succeeded", job.error
        return len(captured)

    _approved("MONUC", **WITHOUT_AGREEMENTS)
    one = queries()
    for acronym in ("BINUB", "UNMEE", "UNMIS"):
        _approved(acronym, **WITHOUT_AGREEMENTS)
    assert queries() == one
