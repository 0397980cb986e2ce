"""Cells, styles and sheets shared by every workbook. Every text cell goes through `cell_safe`.

Spreadsheet programs run a cell that begins with `=`, `+`, `-` or `@` as a formula (and some
treat a leading tab or carriage return the same way), so a desired impact such as
`=HYPERLINK("http://evil", "click")` would become a live link. openpyxl would even store it as
a formula. A leading apostrophe makes such text an inert string, as OWASP recommends.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from assessments.templatetags.function_labels import function_label
from integration.spreadsheet import FORMULA_TRIGGERS
from integration.templatetags.vocab import label
from integration.text import xml_text_strip


def cell_safe(value: Any) -> Any:
    """A value fit for a cell: characters XML cannot hold are dropped, text that could start a
    formula is prefixed with an apostrophe; aware datetimes become UTC text (Excel has no time
    zones)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    if isinstance(value, bool | int | float | dt.date):
        return value
    text = xml_text_strip(str(value))
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


# Shared by every cell: a workbook in write-only mode streams its rows out as they are appended,
# and a style object made once is registered once (openpyxl hashed a new Alignment per cell).
_HEADER_FONT = Font(bold=True)
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")


def _style_of(sheet, **style: Any):
    """The style array of a cell with these attributes, for `_cell` to share: assigning a style
    object to a cell hashes it against the workbook's registry, 40,000 times for a portfolio."""
    cell = WriteOnlyCell(sheet)
    for name, shared in style.items():
        setattr(cell, name, shared)
    return cell._style


def _cell(sheet, value: Any, style, **attributes: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, dt.date):
        # openpyxl gave it a date format: keep it, add the attributes the one way
        for name, shared in attributes.items():
            setattr(cell, name, shared)
    else:
        cell._style = style  # never changed once made: every cell of a kind shares it
    return cell


def _widths_set(sheet, header: list[Any], body: list[list[Any]]) -> None:
    """Each column as wide as its longest text, 8 to 60 characters."""
    for index in range(len(header)):
        width = max(
            (len(str(row[index])) for row in (header, *body) if index < len(row) and row[index]),
            default=8,
        )
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(max(width, 8), 60) + 2


def sheet_write(workbook: Workbook, title: str, header: list[str], rows: list[list[Any]]) -> None:
    """One sheet: a bold header row frozen above the rows, with filters on every column, every
    cell wrapped and top-aligned, each column as wide as its longest text (8 to 60 characters).
    An empty section is its header alone: a data row reading "none" would sort and filter as
    data."""
    sheet = workbook.create_sheet(title=title[:31])
    header = [cell_safe(text) for text in header]
    body = [[cell_safe(value) for value in row] for row in rows]
    # Write-only: widths and the frozen pane are set before the first row is written.
    _widths_set(sheet, header, body)
    sheet.freeze_panes = "A2"
    if body and header:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(body) + 1}"
    bold, wrapped = _style_of(sheet, font=_HEADER_FONT), _style_of(sheet, alignment=_WRAP_TOP)
    sheet.append([_cell(sheet, text, bold, font=_HEADER_FONT) for text in header])
    for row in body:
        sheet.append([_cell(sheet, value, wrapped, alignment=_WRAP_TOP) for value in row])


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def function_level_text(function: str, level: str) -> str:
    """ "DDR · Strategic"."""
    return f"{function_label(function)} · {label(level, 'LEVELS')}"
