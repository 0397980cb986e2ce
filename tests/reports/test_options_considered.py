"""The mission report's annex "Options considered": each scenario of the assessment with its
fact changes and the cells it moves against the baseline, in HTML, PDF and XLSX, inert text."""

from __future__ import annotations

import html
import zipfile

import pypdf
import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from assessments.models import Assessment, Scenario
from integration.services import rulebook_default_ensure
from reports import selectors, services
from tests.reports.conftest import FORMULA, SCRIPT
from tests.reports.test_renderers import _stored

pytestmark = pytest.mark.django_db

AGREEMENTS = {"context": {"agency_service_agreements": True}}


@pytest.fixture
def monuc_sample(capsys):
    """MONUC's sample assessment: no agency service agreements, no common services."""
    call_command("load_sample_data")
    capsys.readouterr()
    return Assessment.objects.select_related("mission").get(mission__acronym="MONUC")


def _mission_report(user, assessment, *, language: str = "en") -> dict:
    job, _ = services.report_job_request(
        kind="mission",
        by=user,
        mission=assessment.mission,
        formats=["pdf", "html", "xlsx"],
        parameters={"language": language, "assessment": assessment.pk},
        dispatch=False,
    )
    job = services.report_job_run(job_id=job.pk)
    assert job.state == "succeeded", job.error
    return {fmt: _stored(name) for fmt, name in job.files.items()}


def _annex(page: str, title: str = "Options considered") -> str:
    return html.unescape(page.split(f"<h2>{title}</h2>")[1].split('<p class="small muted">')[0])


def _pdf_text(path) -> str:
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    return " ".join(text.split())


def _rows(path, sheet: str) -> list[tuple]:
    return list(load_workbook(path)[sheet].iter_rows(values_only=True))


def test_monucs_report_shows_the_agency_service_agreements_option_and_the_cells_it_moves(
    hq_reviewer, monuc_sample
):
    # given MONUC's sample assessment and an option where agency service agreements are permitted
    Scenario.objects.create(
        assessment=monuc_sample,
        name="Agency service agreements",
        note="If the Fifth Committee agrees.",
        changes=AGREEMENTS,
    )
    # when its mission report is built
    files = _mission_report(hq_reviewer, monuc_sample)
    # then the annex names the option, its note, the fact it changes and the rulebook
    annex = _annex(files["html"].read_text())
    assert "<h3>Agency service agreements</h3>" in annex
    assert "If the Fifth Committee agrees." in annex
    assert "Agency service agreements permitted</th><td>no</td><td>yes</td>" in annex
    assert f"published rulebook {rulebook_default_ensure().version}" in annex
    # and DDR's administrative level, held at parallel by the missing administrative link,
    # rises to partial with the administration barrier removed
    ddr = annex.split("<tr><td>DDR · Administrative")[1].split("</tr>")[0]
    assert "Parallel → <strong>" in ddr
    assert "Partial</strong>" in ddr
    assert '<span class="muted">removed</span> <strong>Administration</strong>:' in ddr
    # nothing moves at the strategic level, which is not the administration's
    assert "· Strategic" not in annex
    # the PDF reads the same
    pdf = _pdf_text(files["pdf"]).split("Options considered")[-1]
    assert "Agency service agreements permitted no yes" in pdf
    assert "DDR · Administrative" in pdf
    # the sheet holds one change per row: the fact, then each move of each cell
    header, *rows = _rows(files["xlsx"], "Options considered")
    assert header == ("Option", "Rulebook", "What", "Item", "Baseline", "With this option")
    assert rows[0][2:] == ("Note", "If the Fifth Committee agrees.", None, None)
    assert ("Fact", "Agency service agreements permitted", "no", "yes") in [r[2:] for r in rows]
    assert (
        "Agency service agreements",
        rulebook_default_ensure().version,
        "Today's context allows",
        "DDR · Administrative",
        "Parallel",
        "Partial",
    ) in rows
    removed = [r for r in rows if r[2] == "Barrier removed" and r[3] == "DDR · Administrative"]
    assert removed
    assert removed[0][4].startswith("Administration: ")


def test_without_scenarios_the_annex_says_so_in_one_line(hq_reviewer, monuc_sample):
    files = _mission_report(hq_reviewer, monuc_sample)

    annex = _annex(files["html"].read_text())
    assert annex.strip() == "<p>No options were considered: the assessment has no scenarios.</p>"
    # the sheet is its header alone, as every empty section
    assert len(_rows(files["xlsx"], "Options considered")) == 1


def test_the_annex_reads_in_french(hq_reviewer, monuc_sample):
    Scenario.objects.create(assessment=monuc_sample, name="Accords de services", changes=AGREEMENTS)

    files = _mission_report(hq_reviewer, monuc_sample, language="fr")

    annex = _annex(files["html"].read_text(), "Options envisagées")
    assert "<h3>Accords de services</h3>" in annex
    assert "<td>non</td><td>oui</td>" in annex
    assert "DDR · Administratif" in annex
    assert "Administrative" not in annex
    rows = _rows(files["xlsx"], "Options envisagées")
    assert any(r[2] == "Fait" and r[4:] == ("non", "oui") for r in rows)


def test_a_hostile_option_name_and_note_stay_text_in_html_pdf_and_xlsx(hq_reviewer, monuc_sample):
    # given an option named with a script and noted with a formula
    Scenario.objects.create(assessment=monuc_sample, name=SCRIPT, note=FORMULA, changes=AGREEMENTS)
    # when the report is built
    files = _mission_report(hq_reviewer, monuc_sample)
    # then the HTML shows the script as text, the PDF prints it
    page = files["html"].read_text()
    assert SCRIPT not in page
    assert html.escape(SCRIPT) in page.replace("&#x27;", "'")
    assert SCRIPT in _pdf_text(files["pdf"])
    # and the workbook holds both as strings that no spreadsheet runs
    workbook = load_workbook(files["xlsx"])
    cells = [cell for row in workbook["Options considered"].iter_rows() for cell in row]
    assert {cell.value for cell in cells if cell.value and "HYPERLINK" in cell.value} == {
        "'" + FORMULA
    }
    assert SCRIPT in {cell.value for cell in cells}
    assert not [cell for cell in cells if cell.data_type == "f"]
    with zipfile.ZipFile(files["xlsx"]) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        assert not any(b"<f>" in archive.read(name) for name in sheets)


@pytest.mark.parametrize("scenarios", [0, 1, 3])
def test_the_mission_data_with_options_takes_queries_that_do_not_grow_with_them(
    monuc_sample, scenarios, django_assert_num_queries
):
    for number in range(scenarios):
        Scenario.objects.create(assessment=monuc_sample, name=f"S{number}", changes=AGREEMENTS)
    selectors.mission_report_data(assessment_id=monuc_sample.pk)  # the rulebook is cached
    # 1-6. the mission data's own, as in tests/reports/test_selectors.py
    # 7. the scenarios; with any, 8. the function rows for the comparison and 9. the published
    # rulebook's row, whatever their number
    with django_assert_num_queries(9 if scenarios else 7):
        data = selectors.mission_report_data(assessment_id=monuc_sample.pk)
    assert len(data.options.options) == scenarios
