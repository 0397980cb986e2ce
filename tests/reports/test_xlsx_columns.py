"""One value per XLSX cell: the degree the desired impact needs sits in a column of its own
beside the degree today's context allows, and the portfolio gives HQ's overrides a column."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from assessments.models import Assessment, FunctionAssessment, Recommendation, ReviewComment
from assessments.review_services import recommendation_override
from assessments.services import assessment_evaluate
from assessments.templatetags.function_labels import function_label
from integration.templatetags.vocab import label
from tests import factories
from tests.reports.test_arrangement import OPEN_COMBAT
from tests.reports.test_renderers import _build

pytestmark = pytest.mark.django_db

SSR_STRATEGIC = f"{function_label('ssr')} · Strategic"
DDR_STRATEGIC = f"{function_label('ddr')} · Strategic"


def _engine_degrees(assessment, function_code: str, level: str) -> tuple[str, str]:
    """(feasible, needed) as the workbook shows them, read from the stored recommendation."""
    rec = Recommendation.objects.get(
        evaluation=Assessment.objects.get(pk=assessment.pk).current_evaluation,
        function__code=function_code,
        level=level,
    )
    return label(rec.feasible_degree, "DEGREES"), label(rec.degree, "DEGREES")


def _rows_by_first_cell(sheet) -> tuple[list, dict]:
    header, *rows = sheet.iter_rows(values_only=True)
    return list(header), {row[0]: row for row in rows}


def test_the_portfolio_profile_gives_feasible_needed_and_hq_override_a_column_each(
    hq_reviewer, monuc_assessment
):
    # given MONUC approved with its SSR strategic overridden by HQ, and BINUB approved with DDR
    # outside its mandate
    binub = factories.AssessmentFactory(mission=factories.MissionFactory(acronym="BINUB"))
    FunctionAssessment.objects.filter(assessment=binub, function__code="ddr").update(
        in_mandate=False
    )
    assessment_evaluate(assessment_id=binub.pk)
    Assessment.objects.filter(pk__in=[monuc_assessment.pk, binub.pk]).update(status="approved")
    recommendation_override(
        assessment_id=monuc_assessment.pk,
        by=hq_reviewer,
        function_code="ssr",
        level="strategic",
        degree="parallel",
        justification="The army refuses a joint SSR office.",
    )
    # when the portfolio workbook is built
    files = _build(hq_reviewer, kind="portfolio", formats=["xlsx"])
    header, rows = _rows_by_first_cell(load_workbook(files["xlsx"])["Profiles"])
    # then each function at each level has three columns side by side
    at = header.index(f"{SSR_STRATEGIC}: feasible today")
    assert header[at : at + 3] == [
        f"{SSR_STRATEGIC}: feasible today",
        f"{SSR_STRATEGIC}: needed",
        f"{SSR_STRATEGIC}: HQ override",
    ]
    # MONUC's cells hold the engine's degrees and HQ's, one value each
    feasible, needed = _engine_degrees(monuc_assessment, "ssr", "strategic")
    assert rows["MONUC"][at : at + 3] == (feasible, needed, "Parallel")
    # BINUB's SSR strategic has no override: its override cell is empty
    assert rows["BINUB"][at + 2] is None
    # BINUB's DDR is outside its mandate: said once, the other two cells empty
    ddr = header.index(f"{DDR_STRATEGIC}: feasible today")
    assert rows["BINUB"][ddr : ddr + 3] == ("outside the mandate", None, None)


def test_a_changed_recommendation_shows_feasible_and_needed_degrees_in_cells_of_their_own(
    hq_reviewer, monuc_assessment
):
    # given MONUC at peace, then a newer assessment with forces in open combat
    newer = factories.AssessmentFactory(
        mission=monuc_assessment.mission,
        as_of=monuc_assessment.as_of.replace(year=2008),
        **OPEN_COMBAT,
    )
    assessment_evaluate(assessment_id=newer.pk)
    # when the newer one's workbook is built
    files = _build(hq_reviewer, mission=newer.mission, formats=["xlsx"])
    header, *rows = load_workbook(files["xlsx"])["Changes"].iter_rows(values_only=True)
    # then before and now each have a feasible and a needed column
    assert header == ("What", "Item", "Before", "Needed before", "Now", "Needed now")
    changed = [row for row in rows if row[0] == "Recommendation"]
    assert changed
    for _what, item, *cells in changed:
        function_name, level_name = item.split(" · ")
        function_code, level = _codes(monuc_assessment, function_name, level_name)
        before = _engine_degrees(monuc_assessment, function_code, level)
        now = _engine_degrees(newer, function_code, level)
        assert tuple(cells) == (*before, *now), item
    # no cell combines two degrees
    assert not any("needs" in str(cell) for row in changed for cell in row)


def _codes(assessment, function_name: str, level_name: str) -> tuple[str, str]:
    """The function code and level of a "Function · Level" item."""
    rec = next(
        rec
        for rec in Recommendation.objects.filter(
            evaluation=Assessment.objects.get(pk=assessment.pk).current_evaluation
        ).select_related("function")
        if function_label(rec.function) == function_name
        and label(rec.level, "LEVELS") == level_name
    )
    return rec.function.code, rec.level


def test_an_override_in_the_review_sheet_gives_the_degree_hq_decided_a_cell_of_its_own(
    hq_reviewer, monuc_assessment
):
    # given MONUC's approved assessment with its DDR strategic overridden and a comment
    Assessment.objects.filter(pk=monuc_assessment.pk).update(status="approved")
    recommendation_override(
        assessment_id=monuc_assessment.pk,
        by=hq_reviewer,
        function_code="ddr",
        level="strategic",
        degree="parallel",
        justification="The parties keep DDR to themselves.",
    )
    ReviewComment.objects.create(
        assessment=monuc_assessment, author=hq_reviewer, kind="comment", body="Check the budget."
    )
    # when its workbook is built
    files = _build(hq_reviewer, mission=monuc_assessment.mission, formats=["xlsx"])
    header, *rows = load_workbook(files["xlsx"])["Review"].iter_rows(values_only=True)
    # then the subject names the function and level, the degree HQ decided sits beside it
    assert header == ("Kind", "By", "At", "Subject", "Degree decided by HQ", "Text")
    override = next(row for row in rows if row[0] == "Override")
    assert override[3:] == (DDR_STRATEGIC, "Parallel", "The parties keep DDR to themselves.")
    comment = next(row for row in rows if row[0] != "Override")
    assert comment[3:] == (None, None, "Check the budget.")
