"""The mission workbook's humanitarian arrangement sheet."""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl import Workbook

from assessments.selectors.arrangement import ArrangementView
from integration.templatetags.vocab import label
from reports.renderers.xlsx.cells import sheet_write


def arrangement_label(arrangement: ArrangementView | None) -> str:
    return label(arrangement.arrangement, "HUMANITARIAN_ARRANGEMENTS") if arrangement else ""


def arrangement_sheet(workbook: Workbook, arrangement: ArrangementView) -> None:
    """The model, why, what was set aside, the barriers in its way and the risks to review."""
    rules = [(_("Decided by"), rule) for rule in arrangement.decided_by]
    rules += [(_("Set aside"), rule) for rule in arrangement.set_aside]
    rules += [(_("Risk to review with the HCT"), rule) for rule in arrangement.risks]
    model = [_("Recommended model"), "", "", arrangement_label(arrangement), ""]
    sheet_write(
        workbook,
        _("Humanitarian arrangement"),
        [_("What"), _("Principle or category"), _("Rule"), _("Text"), _("Remedy (source §VII)")],
        [model]
        + [[what, rule["principle"], rule["id"], rule["explanation"], ""] for what, rule in rules]
        + [
            [_("Barrier"), category, "", barrier["explanation"], barrier["remedy"]]
            for barrier in arrangement.barriers
            for category in [label(barrier["category"], "BARRIER_CATEGORIES")]
        ],
    )
