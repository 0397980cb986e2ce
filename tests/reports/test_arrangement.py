"""The humanitarian arrangement in reports (domain.md §4, P7): the mission report (HTML, PDF,
XLSX) names the OCHA model, why, what it set aside, the barriers in its way and the risks to
review with the HCT; the portfolio names each mission's model."""

from __future__ import annotations

import html
import re

import pypdf
import pytest
from openpyxl import load_workbook

from assessments.models import Assessment, Evaluation
from assessments.services import assessment_evaluate
from reports import services
from tests import factories
from tests.reports.conftest import FORMULA, SCRIPT
from tests.reports.test_renderers import _build, _stored

pytestmark = pytest.mark.django_db

OPEN_COMBAT = {"force_posture": "open_combat", "conflict_level": "high", "phase": "peacekeeping"}


def _pdf_words(path) -> str:
    return " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(path).pages).split())


@pytest.fixture
def in_open_combat(monuc_assessment):
    """MONUC's assessment with forces in open combat and a triple-hatted HC, evaluated."""
    Assessment.objects.filter(pk=monuc_assessment.pk).update(**OPEN_COMBAT)
    assessment_evaluate(assessment_id=monuc_assessment.pk)
    monuc_assessment.refresh_from_db()
    return monuc_assessment


def test_the_mission_pdf_names_the_model_why_and_the_risks(hq_reviewer, in_open_combat):
    files = _build(hq_reviewer, mission=in_open_combat.mission, formats=["pdf"])
    text = _pdf_words(files["pdf"])
    # the summary names the model, and its section says why
    summary = text.split("Context")[0]
    assert "Humanitarian arrangement: Two feet out: the HC and OCHA outside" in summary
    section = text.split("Recommended model: Two feet out: the HC and OCHA outside")[1]
    section = section.split("Charts")[0]
    assert "Decided by P7 UN or coalition forces are in open combat" in section
    assert "Set aside P7 Set aside in favour of p7-arrangement-two-feet-out-open-combat" in section
    assert "Risk to review with the HCT P7 The Humanitarian Coordinator is triple-hatted" in section
    # rule ids may break across lines at their hyphens
    squeezed = section.replace("- ", "-")
    for rule in ("two-feet-out-open-combat", "one-foot-in"):
        assert f"(p7-arrangement-{rule})" in squeezed
    assert "(p7-risk-triple-hatted-hc-beside-fighting-force)" in squeezed


def test_the_mission_html_shows_the_barrier_in_the_arrangements_way(hq_reviewer, monuc):
    # given a MONUC whose HC is not triple-hatted, with nothing calling to keep the HC out
    assessment = factories.AssessmentFactory(mission=monuc, hc_triple_hatted=False)
    assessment_evaluate(assessment_id=assessment.pk)
    files = _build(hq_reviewer, mission=monuc, formats=["html"])
    page = html.unescape(files["html"].read_text())
    section = page.split('id="arrangement-heading"')[1].split("</section>")[0]
    assert "One foot in: the HC in mission leadership, OCHA outside" in section
    assert "The Humanitarian Coordinator does not sit in mission leadership" in section
    assert "Bring the Humanitarian Coordinator into mission leadership" in section


def test_the_mission_xlsx_has_the_model_in_its_summary_and_a_sheet_of_reasons(
    hq_reviewer, in_open_combat
):
    files = _build(hq_reviewer, mission=in_open_combat.mission, formats=["xlsx"])
    workbook = load_workbook(files["xlsx"])
    summary = dict(workbook["Summary"].iter_rows(min_row=2, values_only=True))
    assert summary["Humanitarian arrangement"] == "Two feet out: the HC and OCHA outside"
    rows = list(workbook["Humanitarian arrangement"].iter_rows(min_row=2, values_only=True))
    assert rows[0] == (
        "Recommended model", None, None, "Two feet out: the HC and OCHA outside", None
    )  # fmt: skip
    assert rows[1][:3] == ("Decided by", "P7", "p7-arrangement-two-feet-out-open-combat")
    assert rows[1][3].startswith("UN or coalition forces are in open combat")
    kinds = [row[0] for row in rows]
    assert "Set aside" in kinds
    assert "Risk to review with the HCT" in kinds


def test_in_french_the_report_gives_the_arrangement_in_french(hq_reviewer, in_open_combat):
    job, _ = services.report_job_request(
        kind="mission",
        by=hq_reviewer,
        mission=in_open_combat.mission,
        formats=["pdf", "xlsx"],
        parameters={"language": "fr"},
        dispatch=False,
    )
    job = services.report_job_run(job_id=job.pk)
    text = _pdf_words(_stored(job.files["pdf"]))
    assert "Dispositif humanitaire" in text
    assert "Décidé par" in text
    assert "Deux pieds dehors : le CH et le BCAH à l'extérieur" in text
    assert "Les forces des Nations Unies ou de la coalition sont engagées dans un combat" in text
    assert "UN or coalition forces are in open combat" not in text
    workbook = load_workbook(_stored(job.files["xlsx"]))
    assert "Dispositif humanitaire" in workbook.sheetnames


def test_stored_arrangement_texts_stay_text_in_html_and_inert_in_xlsx(hq_reviewer, in_open_combat):
    evaluation = Evaluation.objects.get(pk=in_open_combat.current_evaluation_id)
    stored = evaluation.humanitarian_arrangement
    stored["rules"][0]["explanation"] = SCRIPT
    stored["risks"][0]["explanation"] = FORMULA
    Evaluation.objects.filter(pk=evaluation.pk).update(humanitarian_arrangement=stored)
    files = _build(hq_reviewer, mission=in_open_combat.mission, formats=["html", "xlsx"])
    page = files["html"].read_text()
    section = page.split('id="arrangement-heading"')[1].split("</section>")[0]
    assert "<script>" not in section
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in section
    sheet = load_workbook(files["xlsx"])["Humanitarian arrangement"]
    texts = [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "'" + FORMULA in texts
    assert SCRIPT in texts  # a cell is no page: the script is text there


def test_the_portfolio_names_each_missions_arrangement(hq_reviewer, monuc_assessment):
    # given MONUC at peace with a triple-hatted HC (two feet in) and UNMIS in open combat (two
    # feet out), both approved
    unmis = factories.AssessmentFactory(
        mission=factories.MissionFactory(acronym="UNMIS"), **OPEN_COMBAT
    )
    assessment_evaluate(assessment_id=unmis.pk)
    Assessment.objects.filter(pk__in=[monuc_assessment.pk, unmis.pk]).update(status="approved")
    files = _build(hq_reviewer, kind="portfolio", formats=["pdf", "xlsx"])
    profiles = _pdf_words(files["pdf"]).split("Latest approved profile of every mission")[1]
    assert "Humanitarian arrangement" in profiles
    assert "Two feet out: the HC and OCHA outside" in profiles.split("UNMIS")[1]
    assert (
        "Two feet in: the HC and OCHA inside the integrated presence"
        in (profiles.split("MONUC")[1].split("UNMIS")[0])
    )
    workbook = load_workbook(files["xlsx"])
    header, *rows = workbook["Profiles"].iter_rows(values_only=True)
    column = header.index("Humanitarian arrangement")
    by_mission = {row[0]: row[column] for row in rows}
    assert by_mission == {
        "MONUC": "Two feet in: the HC and OCHA inside the integrated presence",
        "UNMIS": "Two feet out: the HC and OCHA outside",
    }


def test_a_changed_arrangement_is_listed_with_what_changed(hq_reviewer, monuc_assessment):
    # given MONUC at peace (two feet in), then a newer assessment with forces in open combat
    newer = factories.AssessmentFactory(
        mission=monuc_assessment.mission,
        as_of=monuc_assessment.as_of.replace(year=2008),
        **OPEN_COMBAT,
    )
    assessment_evaluate(assessment_id=newer.pk)
    # when the newer one's report is built
    files = _build(hq_reviewer, mission=newer.mission, formats=["html", "xlsx"])
    # then what changed names the arrangement before and now
    page = " ".join(re.sub(r"<[^>]+>", "", html.unescape(files["html"].read_text())).split())
    changes = page.split("What changed since the previous assessment")[1]
    assert (
        "Humanitarian arrangement: Two feet in: the HC and OCHA inside the integrated presence → "
        "Two feet out: the HC and OCHA outside" in changes
    )
    rows = list(load_workbook(files["xlsx"])["Changes"].iter_rows(min_row=2, values_only=True))
    assert (
        "Humanitarian arrangement",
        None,
        "Two feet in: the HC and OCHA inside the integrated presence",
        None,
        "Two feet out: the HC and OCHA outside",
        None,
    ) in rows
