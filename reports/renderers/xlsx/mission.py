"""The mission report as a workbook: one sheet per section, one function per sheet."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from assessments.templatetags.function_labels import function_label
from integration.templatetags.vocab import label
from reports.renderers.xlsx.arrangement import arrangement_label, arrangement_sheet
from reports.renderers.xlsx.cells import sheet_write, workbook_bytes
from reports.renderers.xlsx.mission_history import changes_sheet, review_sheet
from reports.renderers.xlsx.options import options_sheet
from reports.selectors.barriers import Barrier
from reports.selectors.mission import MissionReportData

LEVELS = ["strategic", "programmatic", "administrative"]


def _summary_sheet(workbook: Workbook, data: MissionReportData, context: dict[str, Any]) -> None:
    assessment, evaluation, rulebook = data.assessment, data.evaluation, data.rulebook
    sheet_write(
        workbook,
        _("Summary"),
        [_("Item"), _("Value")],
        [
            [_("Mission"), f"{data.mission.acronym}: {data.mission.name}"],
            [_("Country"), data.mission.country],
            [_("Assessment as of"), assessment.as_of],
            [_("Status"), assessment.get_status_display()],
            [_("Rulebook"), f"{rulebook.name} {rulebook.version}" if rulebook else ""],
            [_("Humanitarian arrangement"), arrangement_label(data.arrangement)],
            [_("Evaluated at"), evaluation.created_at if evaluation else ""],
            [_("Integration policy applies"), evaluation.applicable if evaluation else ""],
            [_("Reason"), data.reason if evaluation else _("not evaluated yet")],
            [
                _("Functions outside the mandate"),
                ", ".join(function_label(f) for f in data.outside_mandate) or _("none"),
            ],
            [_("Levels where today's context allows less than needed"), len(data.gaps)],
            [_("Overrides"), len(data.overrides)],
            [_("Generated at"), context["generated_at"]],
            [_("Requested by"), context["requested_by"]],
        ],
    )


def _gaps_sheet(workbook: Workbook, data: MissionReportData) -> None:
    sheet_write(
        workbook,
        _("Gaps"),
        [
            _("Function"),
            _("Level"),
            _("The desired impact calls for"),
            _("Today's context allows"),
            _("Barriers"),
        ],
        [
            [
                function_label(gap.function),
                label(gap.level, "LEVELS"),
                label(gap.degree, "DEGREES"),
                label(gap.feasible_degree, "DEGREES"),
                ", ".join(label(c, "BARRIER_CATEGORIES") for c in gap.categories),
            ]
            for gap in data.gaps
        ],
    )


def _matrix_sheet(workbook: Workbook, data: MissionReportData) -> None:
    sheet_write(
        workbook,
        _("Matrix"),
        [_("Function"), _("Lead")]
        + [
            f"{label(level, 'LEVELS')}: {title}"
            for level in LEVELS
            for title in (_("degree"), _("feasible today"), _("override"))
        ],
        [
            [function_label(item.function), label(item.lead, "LEADS")]
            + [
                value
                for level in item.levels
                for value in (
                    label(level.degree, "DEGREES"),
                    label(level.feasible_degree, "DEGREES"),
                    label(level.override.degree, "DEGREES") if level.override else "",
                )
            ]
            for item in data.functions
        ],
    )


def _rationale_sheet(workbook: Workbook, data: MissionReportData) -> None:
    principles = dict(data.principles)
    sheet_write(
        workbook,
        _("Rationale"),
        [
            _("Function"),
            _("Desired impact"),
            _("Level"),
            _("Principle"),
            _("Principle name"),
            _("Rule"),
            _("Why"),
        ],
        [
            [
                function_label(item.function),
                item.desired_impact,
                label(level.level, "LEVELS"),
                rule.get("principle", ""),
                principles.get(rule.get("principle", ""), ""),
                rule.get("id", ""),
                rule.get("explanation", ""),
            ]
            for item in data.functions
            for level in item.levels
            for rule in level.rules
        ],
    )


def _affected(barrier: Barrier) -> str:
    """A merged barrier's functions by level: "Administrative: DDR, SSR; Programmatic: SSR"."""
    return "; ".join(
        f"{', '.join(label(level, 'LEVELS') for level in levels)}: "
        f"{', '.join(function_label(f) for f in functions)}"
        for levels, functions in barrier.by_levels
    )


def _barriers_sheet(workbook: Workbook, data: MissionReportData) -> None:
    sheet_write(
        workbook,
        _("Barriers"),
        [_("Category"), _("Affects"), _("Barrier"), _("Remedy (source §VII)")],
        [
            [
                label(category, "BARRIER_CATEGORIES"),
                _affected(barrier),
                barrier.explanation,
                barrier.remedy,
            ]
            for category, barriers in data.barrier_register
            for barrier in barriers
        ],
    )


def mission_xlsx_render(*, context: dict[str, Any]) -> bytes:
    """The mission report as a workbook: one sheet per section."""
    data: MissionReportData = context["data"]
    workbook = Workbook(write_only=True)
    _summary_sheet(workbook, data, context)
    _gaps_sheet(workbook, data)
    sheet_write(workbook, _("Context"), [_("Fact"), _("Value")], [list(r) for r in data.context])
    _matrix_sheet(workbook, data)
    _rationale_sheet(workbook, data)
    _barriers_sheet(workbook, data)
    if data.arrangement is not None:
        arrangement_sheet(workbook, data.arrangement)
    changes_sheet(workbook, data)
    review_sheet(workbook, data)
    options_sheet(workbook, data.options)
    return workbook_bytes(workbook)
