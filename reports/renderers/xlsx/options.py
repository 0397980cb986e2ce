"""The mission workbook's "Options considered" sheet: per scenario, its note, the facts it
changes and each cell it moves against the baseline, one row per change so that the sheet
filters by option, by kind of change and by function and level."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from integration.templatetags.vocab import label
from reports.renderers.xlsx.cells import function_level_text, sheet_write
from reports.selectors.options import CellMove, Option, OptionsConsidered


def _barrier_text(barrier) -> str:
    return f"{label(barrier.category, 'BARRIER_CATEGORIES')}: {barrier.explanation}"


def _move_rows(move: CellMove) -> list[list[str]]:
    """(what, item, before, after) for what moved in one cell."""
    item = function_level_text(move.function.code, move.level)
    rows = [
        [what, item, label(before, vocabulary), label(after, vocabulary)]
        for what, (before, after), vocabulary in (
            (_("The desired impact calls for"), move.degree, "DEGREES"),
            (_("Today's context allows"), move.feasible_degree, "DEGREES"),
            (_("Lead"), move.lead, "LEADS"),
        )
        if before != after
    ]
    rows += [[_("Barrier removed"), item, _barrier_text(b), ""] for b in move.barriers_removed]
    rows += [[_("Barrier added"), item, "", _barrier_text(b)] for b in move.barriers_added]
    return rows


def _option_rows(option: Option) -> list[list[str]]:
    rows = [[_("Note"), option.note, "", ""]] if option.note else []
    rows += [[_("Fact"), c.label, c.current, c.option] for c in option.changes]
    if option.not_compared:
        rows.append([_("Not compared"), option.not_compared, "", ""])
    return rows + [row for move in option.moves for row in _move_rows(move)]


def options_sheet(workbook: Workbook, options: OptionsConsidered) -> None:
    rows: list[list[Any]] = [
        [option.name, options.rulebook_version, *row]
        for option in options.options
        for row in _option_rows(option)
    ]
    sheet_write(
        workbook,
        _("Options considered"),
        [_("Option"), _("Rulebook"), _("What"), _("Item"), _("Baseline"), _("With this option")],
        rows,
    )
