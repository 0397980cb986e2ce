"""The portfolio workbook's "Levers" sheet: every remedy the report's approved profiles rank
(the PDF lists the strongest few), one value per cell so that each column sorts and filters."""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl import Workbook

from assessments.selectors.portfolio_levers import PortfolioLevers
from integration.templatetags.vocab import label
from reports.renderers.xlsx.cells import sheet_write


def levers_sheet(workbook: Workbook, levers: PortfolioLevers) -> None:
    header = [
        _("Rank"),
        _("Category"),
        _("Remedy (source §VII)"),
        _("Who carries it"),
        _("Missions unblocked"),
        _("Functions unblocked"),
        _("Levels unblocked"),
        _("Which missions"),
        _("Lifted by"),
    ]
    rows = [
        [
            rank,
            label(remedy.category, "BARRIER_CATEGORIES"),
            remedy.remedy,
            ", ".join(remedy.carriers),
            len(remedy.missions),
            remedy.functions,
            remedy.levels,
            ", ".join(remedy.missions_listed),
            "\n".join(change for change, _missions in remedy.changes_listed),
        ]
        for rank, remedy in enumerate(levers.remedies, start=1)
    ]
    sheet_write(workbook, _("Levers"), header, rows)
