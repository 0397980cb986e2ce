"""HTML reports: Django templates with autoescaping, so user text (a desired impact holding
`<script>`) is shown as text. The downloadable file inlines its stylesheet and needs nothing
else; the PDF renderer links the stylesheet through its restricted URL fetcher instead."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

from integration.text import xml_text_strip

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
STYLESHEET = "reports/report.css"

TEMPLATES = {"mission": "reports/mission_report.html", "portfolio": "reports/portfolio_report.html"}


@cache
def _stylesheet() -> str:
    return (STATIC_DIR / STYLESHEET).read_text(encoding="utf-8")


def report_html_render(*, kind: str, context: dict[str, Any], stylesheet_url: str = "") -> str:
    """The report as one HTML document; with `stylesheet_url` (the PDF) the stylesheet is
    linked, otherwise inlined. Characters XML cannot hold are dropped (integration/text.py)."""
    # Dropped from the whole document: user text reaches it through many fields.
    return xml_text_strip(
        render_to_string(
            TEMPLATES[kind],
            {
                **context,
                "for_pdf": bool(stylesheet_url),
                "stylesheet_url": stylesheet_url,
                "inline_css": "" if stylesheet_url else _stylesheet(),
            },
        )
    )
