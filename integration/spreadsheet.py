"""Text bound for a spreadsheet cell (CSV, XLSX), made safe to open."""

from __future__ import annotations

# A cell starting with one of these is a formula to Excel and LibreOffice (CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def cell_safe(value: object) -> str:
    """`value` as cell text that no spreadsheet evaluates: a formula trigger gets an apostrophe."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text
