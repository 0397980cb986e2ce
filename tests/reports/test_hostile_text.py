"""Characters XML cannot hold, left in rows from before pages and the API refused them, never
break or corrupt a report."""

from __future__ import annotations

import zipfile
from io import BytesIO
from xml.etree import ElementTree

import pypdf
import pytest
from openpyxl import load_workbook

from assessments.models import FunctionAssessment, ReviewComment
from reports import services
from reports.files import report_file_open
from reports.renderers.xlsx import cell_safe

pytestmark = pytest.mark.django_db


def _stored(name: str) -> bytes:
    with report_file_open(name) as stored:
        return stored.read()


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Disarm\u0001 now", "Disarm now"),
        ("Review \uffff this", "Review  this"),
        ("\u0001=HYPERLINK(1)", "'=HYPERLINK(1)"),  # stripped first, then made inert
        ("tab\tand\nnewline", "tab\tand\nnewline"),
    ],
)
def test_cell_safe_drops_what_xml_cannot_hold(text, kept):
    assert cell_safe(text) == kept


def test_a_mission_report_with_control_characters_in_old_data_succeeds_well_formed(
    hq_reviewer, monuc_assessment
):
    # given a desired impact with U+0001 and a review comment with U+FFFF, written before pages
    # and the API refused them (an update skips the model's validators, as old rows did)
    FunctionAssessment.objects.filter(assessment=monuc_assessment, function__code="ddr").update(
        desired_impact="Disarm\u0001 and reintegrate"
    )
    comment = ReviewComment.objects.create(
        assessment=monuc_assessment, author=hq_reviewer, kind="comment", body="placeholder"
    )
    ReviewComment.objects.filter(pk=comment.pk).update(body="Check the budget\uffff line.")
    # when its report is built in every format
    job, _ = services.report_job_request(
        kind="mission",
        by=hq_reviewer,
        mission=monuc_assessment.mission,
        formats=["pdf", "html", "xlsx"],
        dispatch=False,
    )
    job = services.report_job_run(job_id=job.pk)
    # then it succeeded at its first attempt
    assert (job.state, job.attempts) == ("succeeded", 1), job.error
    # and every XML part of the workbook is well-formed, the text kept without the characters
    xlsx = _stored(job.files["xlsx"])
    with zipfile.ZipFile(BytesIO(xlsx)) as archive:
        for part in archive.namelist():
            if part.endswith(".xml"):
                # raises if not well-formed (our own file: no entity tricks to fear)
                ElementTree.fromstring(archive.read(part))  # noqa: S314
    cells = [
        str(c)
        for ws in load_workbook(BytesIO(xlsx))
        for r in ws.iter_rows(values_only=True)
        for c in r
        if c
    ]
    assert "Disarm and reintegrate" in cells
    assert "Check the budget line." in cells
    # and the HTML and PDF carry the texts too
    page = _stored(job.files["html"]).decode()
    assert "Disarm and reintegrate" in page
    assert "\u0001" not in page
    assert "\uffff" not in page
    pdf = pypdf.PdfReader(BytesIO(_stored(job.files["pdf"])))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert "Check the budget line." in text
