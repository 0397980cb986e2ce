"""The mission workbook's history: what changed since the last evaluation, and HQ's review."""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl import Workbook

from integration.templatetags.vocab import label
from reports.renderers.xlsx.cells import function_level_text, sheet_write
from reports.selectors.mission import MissionReportData


def _degrees(degrees: tuple[str, str] | None) -> tuple[str, str]:
    """A (needed, feasible) pair as two cells, feasible first: what today's context allows,
    then what the desired impact needs."""
    if degrees is None:
        return ("", "")
    degree, feasible = degrees
    return (label(feasible, "DEGREES"), label(degree, "DEGREES"))


def changes_sheet(workbook: Workbook, data: MissionReportData) -> None:
    """Facts, the arrangement and recommendations that differ from the previous assessment; a
    recommendation's needed degree in a column of its own beside the feasible one, so each
    cell sorts and filters as one value."""
    changes = data.changes
    arrangement_changed = (
        [
            [_("Humanitarian arrangement"), ""]
            + [
                value
                for code in changes.arrangement
                for value in (label(code, "HUMANITARIAN_ARRANGEMENTS") or "—", "")
            ]
        ]
        if changes.arrangement
        else []
    )
    sheet_write(
        workbook,
        _("Changes"),
        [_("What"), _("Item"), _("Before"), _("Needed before"), _("Now"), _("Needed now")],
        [[_("Fact"), fact, before, "", after, ""] for fact, before, after in changes.facts]
        + arrangement_changed
        + [
            [
                _("Recommendation"),
                function_level_text(change.function, change.level),
                *_degrees(change.before),
                *_degrees(change.after),
            ]
            for change in changes.recommendations
        ],
    )


def review_sheet(workbook: Workbook, data: MissionReportData) -> None:
    """HQ's comments, then its overrides, each with who and when; an override's function and
    level in one cell and the degree HQ decided in its own, so each sorts and filters."""
    sheet_write(
        workbook,
        _("Review"),
        [_("Kind"), _("By"), _("At"), _("Subject"), _("Degree decided by HQ"), _("Text")],
        [
            [
                comment.get_kind_display(),
                str(comment.author or ""),
                comment.created_at,
                "",
                "",
                comment.body,
            ]
            for comment in data.comments
        ]
        + [
            [
                _("Override"),
                str(override.author or ""),
                override.created_at,
                function_level_text(override.function, override.level),
                label(override.degree, "DEGREES"),
                override.justification,
            ]
            for override in data.overrides
        ],
    )
