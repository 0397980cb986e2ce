"""The mission workbook's history: what changed since the last evaluation, and HQ's review."""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl import Workbook

from integration.templatetags.vocab import label
from reports.renderers.xlsx.cells import degrees_text, function_level_text, sheet_write
from reports.selectors.mission import MissionReportData


def changes_sheet(workbook: Workbook, data: MissionReportData) -> None:
    changes = data.changes
    arrangement_changed = (
        [
            [_("Humanitarian arrangement"), ""]
            + [label(code, "HUMANITARIAN_ARRANGEMENTS") or "—" for code in changes.arrangement]
        ]
        if changes.arrangement
        else []
    )
    sheet_write(
        workbook,
        _("Changes"),
        [_("What"), _("Item"), _("Before"), _("Now")],
        [[_("Fact"), fact, before, after] for fact, before, after in changes.facts]
        + arrangement_changed
        + [
            [
                _("Recommendation"),
                function_level_text(change.function, change.level),
                degrees_text(*change.before) if change.before else "",
                degrees_text(*change.after),
            ]
            for change in changes.recommendations
        ],
    )


def review_sheet(workbook: Workbook, data: MissionReportData) -> None:
    """HQ's comments, then its overrides, each with who and when."""
    sheet_write(
        workbook,
        _("Review"),
        [_("Kind"), _("By"), _("At"), _("Subject"), _("Text")],
        [
            [
                comment.get_kind_display(),
                str(comment.author or ""),
                comment.created_at,
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
                f"{function_level_text(override.function, override.level)} → "
                f"{label(override.degree, 'DEGREES')}",
                override.justification,
            ]
            for override in data.overrides
        ],
    )
