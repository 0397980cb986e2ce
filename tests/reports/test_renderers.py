"""What reports contain, and that user text stays text in HTML, PDF and XLSX."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

import pypdf
import pytest
from django.utils import translation
from openpyxl import load_workbook

from assessments.models import Assessment, Evaluation, FunctionAssessment, ReviewComment
from assessments.review_services import assessment_review_start, recommendation_override
from assessments.services import assessment_evaluate
from reports import selectors, services
from reports.files import report_file_open
from reports.renderers.pdf import StaticFilesOnlyFetcher
from reports.renderers.xlsx import cell_safe
from tests import factories
from tests.reports.conftest import FORMULA, SCRIPT

pytestmark = pytest.mark.django_db


def _build(user, *, kind="mission", mission=None, formats=("pdf", "html", "xlsx")):
    job, _ = services.report_job_request(
        kind=kind, by=user, mission=mission, formats=list(formats), dispatch=False
    )
    job = services.report_job_run(job_id=job.pk)
    assert job.state == "succeeded", job.error
    return {fmt: _stored(name) for fmt, name in job.files.items()}


def _stored(name: str) -> Path:
    """A local copy of a stored report file (the report storage may be the database)."""
    with report_file_open(name) as stored:
        content = stored.read()
    path = Path(tempfile.mkdtemp(prefix="report-test-")) / PurePosixPath(name).name
    path.write_bytes(content)
    return path


def _mission_data(assessment) -> selectors.MissionReportData:
    return selectors.mission_report_data(assessment_id=assessment.pk)


def _pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def _text_outside_its_page(path) -> list[tuple[int, float, float, str]]:
    """(page, x, y, text) of every piece of text drawn outside its page's media box."""
    outside = []
    for number, page in enumerate(pypdf.PdfReader(path).pages, start=1):
        box = page.mediabox

        def visit(text, cm, tm, font, size, number=number, box=box):
            if not text.strip():
                return
            # the text matrix's origin, through the current transformation, in page space
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if not (box.left <= x <= box.right and box.bottom <= y <= box.top):
                outside.append((number, round(x), round(y), text[:40]))

        page.extract_text(visitor_text=visit)
    return outside


@pytest.fixture
def portfolio_of_four(hq_reviewer, monuc_assessment):
    """MONUC (its SSR strategic overridden by HQ), BINUB (DDR outside its mandate), UNMEE (an
    observer mission) and UNMIS, each approved and evaluated; UNMIS also has a newer draft."""
    binub = factories.AssessmentFactory(mission=factories.MissionFactory(acronym="BINUB"))
    FunctionAssessment.objects.filter(assessment=binub, function__code="ddr").update(
        in_mandate=False
    )
    unmee = factories.AssessmentFactory(
        mission=factories.MissionFactory(acronym="UNMEE"), presence_type="observer_mission"
    )
    unmis = factories.AssessmentFactory(
        mission=factories.MissionFactory(acronym="UNMIS"), force_posture="open_combat"
    )
    for assessment in (binub, unmee, unmis):
        assessment_evaluate(assessment_id=assessment.pk)
    approved = (monuc_assessment.pk, binub.pk, unmee.pk, unmis.pk)
    Assessment.objects.filter(pk__in=approved).update(status="approved")
    recommendation_override(
        assessment_id=monuc_assessment.pk,
        by=hq_reviewer,
        function_code="ssr",
        level="strategic",
        degree="parallel",
        justification="The army refuses a joint SSR office.",
    )
    factories.AssessmentFactory(mission=unmis.mission, as_of=dt.date(2008, 2, 1))
    return _build(hq_reviewer, kind="portfolio", formats=["pdf", "xlsx"])


@pytest.fixture
def mission_files(hq_reviewer, monuc_assessment):
    return _build(hq_reviewer, mission=monuc_assessment.mission)


def test_a_script_in_a_desired_impact_is_text_in_the_html_report(mission_files):
    html = mission_files["html"].read_text()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<script" not in html


def test_a_script_in_a_desired_impact_is_text_in_the_pdf_report(mission_files):
    text = _pdf_text(mission_files["pdf"])
    assert SCRIPT in text
    assert "Disarm and reintegrate ex-combatants." in text


def test_a_hyperlink_formula_in_a_desired_impact_is_inert_in_the_xlsx_report(mission_files):
    workbook = load_workbook(mission_files["xlsx"])
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    payload = [cell for cell in cells if isinstance(cell.value, str) and "HYPERLINK" in cell.value]
    # the payload is there, as a string that begins with an apostrophe
    assert payload
    for cell in payload:
        assert cell.data_type == "s"
        assert cell.value == "'" + FORMULA
    # and no cell of the workbook is a formula, down to the XML
    assert not [cell for cell in cells if cell.data_type == "f"]
    with zipfile.ZipFile(mission_files["xlsx"]) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        assert not any(b"<f>" in archive.read(name) for name in sheets)


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_cells_that_could_start_a_formula_are_prefixed(text):
    assert cell_safe(text) == "'" + text


@pytest.mark.parametrize("value", ["DDR", "a = b", 3, -2, True])
def test_other_cells_are_left_alone(value):
    assert cell_safe(value) == value


def test_the_mission_report_has_every_section(mission_files):
    text = _pdf_text(mission_files["pdf"])
    for expected in (
        "Context",
        "Recommendation matrix",
        "Rationale per function",
        "Barrier register",
        "Humanitarian arrangement",
        "What changed since the previous assessment",
        "Review",
        "Options considered",
        "Rulebook default 2008.1",
        "P1 ",  # principle citations
    ):
        assert expected in text, expected
    workbook = load_workbook(mission_files["xlsx"])
    assert workbook.sheetnames == [
        "Summary",
        "Gaps",
        "Context",
        "Matrix",
        "Rationale",
        "Barriers",
        "Humanitarian arrangement",
        "Changes",
        "Review",
        "Options considered",
    ]


def test_the_mission_report_shows_changes_comments_and_overrides(hq_reviewer, monuc_assessment):
    # given a newer assessment with another phase, a comment and an override
    newer = factories.AssessmentFactory(
        mission=monuc_assessment.mission,
        as_of=monuc_assessment.as_of.replace(year=2008),
        phase="transition",
        status=Assessment.Status.SUBMITTED,
    )
    FunctionAssessment.objects.filter(assessment=newer, function__code="ddr").update(
        desired_impact="Reintegrate"
    )
    assessment_evaluate(assessment_id=newer.pk)
    newer = assessment_review_start(assessment_id=newer.pk, by=hq_reviewer, expected_version=1)
    recommendation_override(
        assessment_id=newer.pk,
        by=hq_reviewer,
        function_code="ddr",
        level="strategic",
        degree="partial",
        justification="The peace agreement leaves DDR to the parties.",
    )
    ReviewComment.objects.create(
        assessment=newer, author=hq_reviewer, kind="comment", body="Check the DDR budget line."
    )
    # when its report is built
    files = _build(hq_reviewer, mission=monuc_assessment.mission, formats=["html"])
    html = files["html"].read_text()
    # then it compares with the 2007 assessment and shows the override
    assert "Compared with the assessment as of 2007-04-26" in html
    assert "Transition" in html
    assert "The peace agreement leaves DDR to the parties." in html
    assert "Check the DDR budget line." in html


def test_the_portfolio_report_covers_every_mission_and_the_review_queue(
    hq_reviewer, monuc_assessment
):
    # given a second mission whose assessment waits for review, one without assessment, and
    # MONUC's approved assessment with nothing computed
    waiting = factories.AssessmentFactory(
        mission=factories.MissionFactory(acronym="BINUB"), status=Assessment.Status.SUBMITTED
    )
    factories.MissionFactory(acronym="UNMEE")
    Assessment.objects.filter(pk=monuc_assessment.pk).update(
        status="approved", current_evaluation=None
    )
    # when the portfolio report is built
    files = _build(hq_reviewer, kind="portfolio", formats=["pdf", "xlsx"])
    # then every mission is there; the assessment nobody evaluated is shown so, and the report
    # stored no evaluation for it (reports read)
    waiting.refresh_from_db()
    assert waiting.current_evaluation_id is None
    assert not Evaluation.objects.filter(assessment=waiting).exists()
    text = _pdf_text(files["pdf"])
    for expected in (
        "MONUC",
        "BINUB",
        "UNMEE",
        "No assessment yet",
        "No approved assessment yet",
        "waiting for review",
        "Not evaluated yet",
    ):
        assert expected in text, expected
    workbook = load_workbook(files["xlsx"])
    assert workbook.sheetnames == [
        "Profiles",
        "Distribution",
        "Barriers",
        "Levers",
        "Waiting for review",
    ]
    profiles = [row[0] for row in workbook["Profiles"].iter_rows(min_row=2, values_only=True)]
    assert profiles == ["BINUB", "MONUC", "UNMEE"]
    queue = list(workbook["Waiting for review"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in queue] == ["BINUB"]


def test_the_pdf_fetcher_reads_the_report_stylesheet():
    fetcher = StaticFilesOnlyFetcher()
    response = fetcher.fetch("https://report.invalid/static/reports/report.css")
    assert b"@page" in response.read()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.org/static/reports/report.css",
        "https://report.invalid/static/../../../../etc/passwd",
        "https://report.invalid/static/%2e%2e/%2e%2e/models.py",
        "https://report.invalid/static/reports/missing.css",
        "https://report.invalid/etc/passwd",
        "data:text/css,body{}",
    ],
)
def test_the_pdf_fetcher_refuses_everything_else(url):
    with pytest.raises(ValueError, match=r"Refused|disallowed"):
        StaticFilesOnlyFetcher().fetch(url)


def test_a_pdf_with_an_outside_image_renders_without_fetching_it(tmp_path, caplog):
    # given markup that names a local file and a remote address (as injected markup would)
    from weasyprint import HTML

    secret = tmp_path / "secret.svg"
    secret.write_text('<svg xmlns="http://www.w3.org/2000/svg"><text>SECRET</text></svg>')
    html = f'<p>report</p><img src="file://{secret}"><img src="http://127.0.0.1:1/x.png">'
    # when it is rendered with the reports' fetcher
    pdf = HTML(
        string=html, base_url="https://report.invalid/", url_fetcher=StaticFilesOnlyFetcher()
    ).write_pdf()
    # then neither was read
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "report" in text
    assert "SECRET" not in text


def test_charts_escape_their_labels():
    from reports.charts import stacked_bars_svg

    svg = stacked_bars_svg(
        chart_id="x",
        title="<script>t</script>",
        rows=[("<b>DDR</b>", {"full": 2, "partial": 1})],
        segments=[("full", "Full"), ("partial", "Partial"), ("parallel", "Parallel")],
    )
    assert "<script>" not in svg
    assert "&lt;b&gt;DDR&lt;/b&gt;" in svg
    assert svg.count("<rect") == 2 + 3  # two segments, three legend keys


def test_chart_segments_read_without_colour_on_the_reports_tints():
    from reports.charts import DEGREE_FILLS, stacked_bars_svg
    from tests.test_degree_contrast import contrast

    svg = stacked_bars_svg(
        chart_id="x",
        title="Feasible degree",
        rows=[("DDR", {"full": 3, "partial": 3, "parallel": 2})],
        segments=[("full", "Full"), ("partial", "Partial"), ("parallel", "Parallel")],
    )
    # each count says its degree by the legend's shape, not by its colour alone (issue 14, 9)
    for shown in (">● 3</text>", ">◐ 3</text>", ">○ 2</text>", ">● Full</text>", ">○ Parallel<"):
        assert shown in svg
    # dark text on the web's tints: no white on ochre (3.4:1) any more
    assert 'fill="#ffffff"' not in svg
    assert all(contrast("#1b1b1b", fill) >= 7 for fill in DEGREE_FILLS.values())


def test_admins_can_list_report_jobs(client, admin_user, hq_reviewer, monuc):
    from django.urls import reverse

    services.report_job_request(kind="portfolio", by=hq_reviewer, formats=["pdf"], dispatch=False)
    client.login(username=admin_user.username, password=factories.PASSWORD)
    assert client.get(reverse("admin:reports_reportjob_changelist")).status_code == 200


def test_every_text_of_every_pdf_page_lies_inside_the_page(mission_files, portfolio_of_four):
    # (charts in a flex row once drew the portfolio's third chart below the page's bottom)
    assert _text_outside_its_page(mission_files["pdf"]) == []
    assert _text_outside_its_page(portfolio_of_four["pdf"]) == []
    text = _pdf_text(portfolio_of_four["pdf"])
    for level in ("Strategic", "Programmatic", "Administrative"):
        assert f"Feasible degree across missions: {level} level" in text


def test_the_mission_report_opens_with_a_one_page_summary_for_hq(hq_reviewer, monuc_assessment):
    # given a MONUC assessment with a function outside the mandate and an override
    FunctionAssessment.objects.filter(
        assessment=monuc_assessment, function__code="quick_impact_projects"
    ).update(in_mandate=False)
    assessment_evaluate(assessment_id=monuc_assessment.pk)
    Assessment.objects.filter(pk=monuc_assessment.pk).update(status="under_review")
    recommendation_override(
        assessment_id=monuc_assessment.pk,
        by=hq_reviewer,
        function_code="ddr",
        level="strategic",
        degree="partial",
        justification="DDR is left to the parties.",
    )
    # when its PDF is built
    files = _build(hq_reviewer, mission=monuc_assessment.mission, formats=["pdf"])
    pages = [page.extract_text() for page in pypdf.PdfReader(files["pdf"]).pages]
    # then the first page is the summary, whole, and the context starts the second
    # The test MONUC records no common strategic framework (a fact the forms do not take yet),
    # so ten strategic gaps push the overrides onto the summary's second page.
    summary = pages[0] + pages[1]
    for expected in (
        "Summary",
        "Where today's context allows less than the desired impact calls for",
        "Top barriers",
        "DDR · Strategic → Partial",
        "DDR is left to the parties.",
        "Functions outside the mandate",
        "Quick impact projects",
    ):
        assert expected in summary, expected
    assert any(page.lstrip().startswith("Context") for page in pages[1:3])


def test_the_mission_report_names_the_principles_it_cites(mission_files):
    text = " ".join(_pdf_text(mission_files["pdf"]).split())
    assert "P1 Strategic primacy" in text
    assert "P3 Partial as system-wide default" in text
    workbook = load_workbook(mission_files["xlsx"])
    rationale = list(workbook["Rationale"].iter_rows(min_row=2, values_only=True))
    assert ("P3", "Partial as system-wide default") in {(row[3], row[4]) for row in rationale}


def test_the_barrier_register_lists_each_barrier_once_with_the_functions_it_affects(
    hq_reviewer, monuc_assessment
):
    data = _mission_data(monuc_assessment)
    barriers = [b for _category, group in data.barrier_register for b in group]
    keys = [(b.category, b.remedy, b.explanation) for b in barriers]
    assert len(keys) == len(set(keys))
    # MONUC may not use agency service agreements: one barrier, worded for both functions
    no_asa = next(b for b in barriers if "premises and staff for" in b.explanation)
    # (under 2008.1 only DDR calls for integrated administration: SSR is partial, P2)
    assert [(str(a.function.name), a.levels) for a in no_asa.affects] == [
        ("DDR", ["administrative"]),
    ]
    assert "integrated budgets, premises and staff for DDR are out of reach" in (no_asa.explanation)
    html = _build(hq_reviewer, mission=monuc_assessment.mission, formats=["html"])["html"]
    # once in the register, once in DDR's own barriers (no second register line)
    assert html.read_text().count("premises and staff for DDR are") == 2


def test_the_register_merges_a_barrier_across_functions_named_in_lower_case(monuc_assessment):
    # the engine writes "for rule of law" inside a sentence, not "for Rule of law"
    data = _mission_data(monuc_assessment)
    barriers = [b for _category, group in data.barrier_register for b in group]
    joint = [b for b in barriers if "one common strategic framework" in b.explanation]
    assert len(joint) == 1
    (entry,) = joint
    affected = [a.function.code for a in entry.affects]
    assert {"peace_governance", "rule_of_law", "ddr", "ssr"} <= set(affected)
    assert "peace and governance" in entry.explanation
    assert "rule of law" in entry.explanation
    assert "Rule of law" not in entry.explanation


def test_in_french_the_mission_report_gives_the_engine_texts_in_french(
    hq_reviewer, monuc_assessment
):
    with translation.override("fr"):
        data = _mission_data(monuc_assessment)
    barriers = [b for _category, group in data.barrier_register for b in group]
    # merged across functions as in English, the names with their French article
    no_asa = next(b for b in barriers if "des locaux et des personnels intégrés" in b.explanation)
    assert "intégrés pour le DDR sont donc hors de" in (no_asa.explanation)
    assert "§VII Réformes structurelles" in no_asa.remedy
    rules = [r["explanation"] for f in data.functions for lv in f.levels for r in lv.rules]
    assert any("pour le DDR" in text for text in rules)
    assert not any(" for DDR" in text for text in rules)

    job, _ = services.report_job_request(
        kind="mission",
        by=hq_reviewer,
        mission=monuc_assessment.mission,
        formats=["html", "xlsx"],
        parameters={"language": "fr"},
        dispatch=False,
    )
    job = services.report_job_run(job_id=job.pk)
    page = html.unescape(_stored(job.files["html"]).read_text())
    assert "des locaux et des personnels intégrés pour le DDR sont donc" in page
    assert "premises and staff for" not in page
    workbook = load_workbook(_stored(job.files["xlsx"]))
    cells = [c for ws in workbook for row in ws.iter_rows(values_only=True) for c in row if c]
    assert any("pour le DDR" in str(c) for c in cells)
    assert not any("premises and staff for" in str(c) for c in cells)
    # function names and degree badges in French too: no English name, no letter badge
    assert '<th scope="row">Processus politique</th>' in page
    assert "Political process" not in page
    assert "Chef de file" in page
    assert '<span class="deg deg-full" title="Complète">●</span>' in page
    assert ">F<" not in page
    assert "Processus politique" in cells


def test_the_portfolio_profile_shows_the_gap_and_marks_functions_outside_the_mandate(
    portfolio_of_four,
):
    text = _pdf_text(portfolio_of_four["pdf"])
    assert "outside the mandate (no recommendation)" in text
    # the legend of "● ▼ ◐", the web's shapes and arrow
    assert "the desired impact calls for full; today's context allows partial" in text
    profiles = text.split("Latest approved profile of every mission")[1]
    # each function's three levels on one line, a gap as "●▼◐" (the legend spaces its "● ▼ ◐")
    assert re.search(r"[●◐○]▼[●◐○]", profiles)
    assert "HQ (" in profiles  # MONUC's overridden SSR strategic, the engine's answer in brackets
    workbook = load_workbook(portfolio_of_four["xlsx"])
    binub = next(r for r in workbook["Profiles"].iter_rows(values_only=True) if r[0] == "BINUB")
    assert "outside the mandate" in binub


def test_the_portfolio_shows_hq_overrides_and_names_a_newer_unapproved_assessment(
    portfolio_of_four,
):
    text = " ".join(_pdf_text(portfolio_of_four["pdf"]).split())
    assert "marks an HQ reviewer's override" in text  # the legend
    profiles = text.split("Latest approved profile of every mission")[1]
    assert "Newer, not approved: 2008-02-01 Draft" in profiles
    workbook = load_workbook(portfolio_of_four["xlsx"])
    rows = {r[0]: r for r in workbook["Profiles"].iter_rows(min_row=2, values_only=True)}
    header = next(workbook["Profiles"].iter_rows(max_row=1, values_only=True))
    override = header.index("SSR · Strategic: HQ override")
    assert rows["MONUC"][override] == "Parallel"
    assert rows["UNMIS"][2] == "Approved; newer, not approved: 2008-02-01 Draft"
    assert rows["BINUB"][2] == "Approved"


def test_the_portfolio_says_once_why_integration_policy_does_not_apply(portfolio_of_four):
    text = " ".join(_pdf_text(portfolio_of_four["pdf"]).split())
    assert text.count("Integration policy does not apply") == 1


def test_the_portfolio_lists_each_barrier_category_once_with_its_remedies(portfolio_of_four):
    workbook = load_workbook(portfolio_of_four["xlsx"])
    categories = [row[0] for row in workbook["Barriers"].iter_rows(min_row=2, values_only=True)]
    assert categories
    assert len(categories) == len(set(categories))


def test_empty_xlsx_sheets_hold_their_header_alone_and_full_ones_filter(mission_files):
    workbook = load_workbook(mission_files["xlsx"])
    # a first assessment, without comments or overrides: no data row reading "none"
    for name in ("Changes", "Review"):
        assert workbook[name].max_row == 1, name
        assert not workbook[name].auto_filter.ref, name
    # a sheet with rows filters on every column of its header
    matrix = workbook["Matrix"]
    last = matrix.cell(row=1, column=matrix.max_column).column_letter
    assert matrix.auto_filter.ref == f"A1:{last}{matrix.max_row}"
