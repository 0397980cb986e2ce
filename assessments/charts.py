"""Server-side SVG charts: pure functions from plain values to safe markup.

No JavaScript and no stylesheet needed: every colour, dash and marker is an attribute, so the
same markup works on a page, on paper and inside a PDF report. Every piece of text goes through
`escape`, so a `<script>` in a mission or function name shows as text.

Colour is never the only signal: series differ by dash pattern and marker shape as well, and a
hollow marker flags a point with a note (on the timeline: the feasible degree is lower).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# (stroke colour, dash pattern, marker shape) per series; colours keep ≥ 4.5:1 on white.
SERIES_STYLES = (
    ("#0b5394", "", "circle"),
    ("#8a4b00", "7 4", "square"),
    ("#5b2a86", "2 3", "triangle"),
    ("#1b6e3a", "10 3 2 3", "diamond"),
)
FONT = "system-ui, sans-serif"
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


@dataclass(frozen=True, slots=True)
class ChartPoint:
    """A point on a category axis: `value` indexes `y_labels`; `note` becomes its tooltip."""

    value: int
    hollow: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class ChartSeries:
    """One line; None where there is no value (the line breaks there)."""

    label: str
    points: Sequence[ChartPoint | None]


def _num(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _marker(shape: str, x: float, y: float, colour: str, hollow: bool, tip: str) -> str:
    fill = "#ffffff" if hollow else colour
    paint = f'fill="{fill}" stroke="{colour}" stroke-width="2"'
    title = f"<title>{escape(tip)}</title>" if tip else ""
    if shape == "square":
        return (
            f'<rect x="{_num(x - 4)}" y="{_num(y - 4)}" width="8" height="8" {paint}>{title}</rect>'
        )
    if shape in ("triangle", "diamond"):
        if shape == "triangle":
            corners = ((x, y - 5), (x + 5, y + 4), (x - 5, y + 4))
        else:
            corners = ((x, y - 5.5), (x + 5.5, y), (x, y + 5.5), (x - 5.5, y))
        points = " ".join(f"{_num(px)},{_num(py)}" for px, py in corners)
        return f'<polygon points="{points}" {paint}>{title}</polygon>'
    return f'<circle cx="{_num(x)}" cy="{_num(y)}" r="4.5" {paint}>{title}</circle>'


def line_chart_svg(
    *,
    chart_id: str,
    title: str,
    description: str,
    x_labels: Sequence[str],
    y_labels: Sequence[str],
    series: Sequence[ChartSeries],
    width: int = 560,
    height: int = 170,
) -> SafeString:
    """A line chart over ordered categories (x: e.g. assessment dates; y: e.g. degrees).

    Series that share a value are drawn a few pixels apart so none hides another.
    """
    safe_id = _ID_UNSAFE.sub("-", chart_id)
    left, right, top, bottom = 92, 16, 14, 42
    # Points sit `inset` inside the grid so the first and last date labels are not clipped.
    inset = 40
    plot_w, plot_h = width - left - right, height - top - bottom
    count = len(x_labels)

    def x_at(index: int) -> float:
        if count <= 1:
            return left + plot_w / 2
        return left + inset + index * (plot_w - 2 * inset) / (count - 1)

    def y_at(value: int) -> float:
        steps = max(len(y_labels) - 1, 1)
        return top + (len(y_labels) - 1 - value) * plot_h / steps

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{safe_id}" role="img" '
        f'aria-labelledby="{safe_id}-title {safe_id}-desc" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" font-family="{FONT}" font-size="12">',
        f'<title id="{safe_id}-title">{escape(title)}</title>',
        f'<desc id="{safe_id}-desc">{escape(description)}</desc>',
    ]
    for value, label in enumerate(y_labels):
        y = y_at(value)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{_num(y)}" y2="{_num(y)}" '
            f'stroke="#d0d0d0" stroke-width="1"/>'
            f'<text x="{left - 8}" y="{_num(y + 4)}" text-anchor="end" fill="#1b1b1b">'
            f"{escape(label)}</text>"
        )
    every = max(1, math.ceil(count / 8))  # at most ~8 labels, so they never overlap
    for index, label in enumerate(x_labels):
        if index % every and index != count - 1:
            continue
        parts.append(
            f'<text x="{_num(x_at(index))}" y="{height - 10}" text-anchor="middle" '
            f'fill="#1b1b1b">{escape(label)}</text>'
        )
    middle = (len(series) - 1) / 2
    for number, line in enumerate(series):
        colour, dash, shape = SERIES_STYLES[number % len(SERIES_STYLES)]
        offset = (number - middle) * 5
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        points = [
            (x_at(i), y_at(p.value) + offset, p) for i, p in enumerate(line.points) if p is not None
        ]
        segment: list[str] = []
        segments: list[list[str]] = []
        for index, point in enumerate(line.points):
            if point is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            segment.append(f"{_num(x_at(index))},{_num(y_at(point.value) + offset)}")
        if segment:
            segments.append(segment)
        parts.append(f'<g class="series"><title>{escape(line.label)}</title>')
        parts.extend(
            f'<polyline points="{" ".join(s)}" fill="none" stroke="{colour}" '
            f'stroke-width="2"{dash_attr}/>'
            for s in segments
            if len(s) > 1
        )
        for x, y, point in points:
            label = y_labels[point.value] if 0 <= point.value < len(y_labels) else ""
            tip = f"{line.label}: {label}" + (f" ({point.note})" if point.note else "")
            parts.append(_marker(shape, x, y, colour, point.hollow, tip))
        parts.append("</g>")
    parts.append("</svg>")
    # Every interpolated text above went through escape(); numbers and constants are ours.
    return mark_safe("".join(parts))  # noqa: S308


def line_legend_svg(*, labels: Sequence[str], hollow_label: str = "") -> SafeString:
    """A legend for line_chart_svg: each series' colour, dash and marker, then the hollow mark."""
    # Room for each label at ~7.5 px a character (12 px system font), after a 46 px sample.
    widths = [46 + int(len(label) * 7.5) + 24 for label in labels]
    starts = [sum(widths[:number]) for number in range(len(labels))]
    hollow_at = sum(widths)
    width = hollow_at + (46 + int(len(hollow_label) * 7.5) if hollow_label else 0)
    height = 24
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-legend" viewBox="0 0 {width} '
        f'{height}" width="{width}" height="{height}" font-family="{FONT}" font-size="12" '
        f'aria-hidden="true" focusable="false">'
    ]
    for number, label in enumerate(labels):
        colour, dash, shape = SERIES_STYLES[number % len(SERIES_STYLES)]
        x = starts[number]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{x + 2}" x2="{x + 38}" y1="12" y2="12" stroke="{colour}" '
            f'stroke-width="2"{dash_attr}/>'
            + _marker(shape, x + 20, 12, colour, False, "")
            + f'<text x="{x + 46}" y="16" fill="#1b1b1b">{escape(label)}</text>'
        )
    if hollow_label:
        x = hollow_at
        parts.append(
            _marker("circle", x + 20, 12, "#1b1b1b", True, "")
            + f'<text x="{x + 46}" y="16" fill="#1b1b1b">{escape(hollow_label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text went through escape()
