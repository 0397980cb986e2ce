"""The report formats: the one place that says what a format is.

Models, services, builders, downloads, the API and the `report` command read this registry;
adding a format means one entry here, a renderer, and its translations.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# A renderer turns a report's context (data, charts, job, generated_at, requested_by) into the
# file's bytes, for one report kind ("mission" or "portfolio").
Renderer = Callable[[str, dict[str, Any]], bytes]


def _pdf(kind: str, context: dict[str, Any]) -> bytes:
    # Imported here: WeasyPrint loads Pango at import, which web processes need not pay for.
    from reports.renderers.pdf import report_pdf_render

    return report_pdf_render(kind=kind, context=context)


def _html(kind: str, context: dict[str, Any]) -> bytes:
    from reports.renderers.html import report_html_render

    return report_html_render(kind=kind, context=context).encode("utf-8")


def _xlsx(kind: str, context: dict[str, Any]) -> bytes:
    from reports.renderers.xlsx import XLSX_RENDERERS

    return XLSX_RENDERERS[kind](context=context)


@dataclass(frozen=True)
class ReportFormat:
    """One downloadable format: its code, label, HTTP content type, the report kinds it
    exists for, its file extension and the function that renders it."""

    code: str
    label: str
    content_type: str
    kinds: tuple[str, ...]
    extension: str
    render: Renderer


# In the order formats are listed, requested and written.
FORMATS: dict[str, ReportFormat] = {
    f.code: f
    for f in (
        ReportFormat("pdf", "PDF", "application/pdf", ("mission", "portfolio"), "pdf", _pdf),
        ReportFormat("html", "HTML", "text/html; charset=utf-8", ("mission",), "html", _html),
        ReportFormat(
            "xlsx",
            "XLSX",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ("mission", "portfolio"),
            "xlsx",
            _xlsx,
        ),
    )
}
FORMAT_CHOICES = [(f.code, f.label) for f in FORMATS.values()]


def formats_for(kind: str) -> tuple[str, ...]:
    """The codes of the formats a report kind comes in, in registry order."""
    return tuple(code for code, fmt in FORMATS.items() if kind in fmt.kinds)


def report_format_get(code: str) -> ReportFormat | None:
    return FORMATS.get(code)
