"""Server-side SVG bar charts for reports: plain values in, escaped markup out.

assessments/charts.py draws line charts (timelines); reports need stacked bars of degree
counts, so they are drawn here in the same spirit: attributes only (no stylesheet, no script),
every text through `escape`, and each segment's count written on it after its degree's shape,
so neither a grey print nor a reader who cannot tell the colours apart depends on the colour.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Fill and edge per degree: the web's and the report badges' tints (reports/static/reports/
# report.css .deg-*), with dark text on them (11:1 and more), and the shapes of their legend.
DEGREE_FILLS = {"full": "#cce8d4", "partial": "#fbe3a0", "parallel": "#e2e2e2"}
DEGREE_EDGES = {"full": "#1a7f37", "partial": "#8a6100", "parallel": "#555555"}
DEGREE_SHAPES = {"full": "●", "partial": "◐", "parallel": "○"}
TEXT = "#1b1b1b"
FONT = "DejaVu Sans, sans-serif"
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def stacked_bars_svg(
    *,
    chart_id: str,
    title: str,
    rows: Sequence[tuple[str, Mapping[str, int]]],
    segments: Sequence[tuple[str, str]],
    width: int = 520,
    bar_height: int = 18,
) -> SafeString:
    """Horizontal stacked bars: one row per label, one segment per (key, label) of `segments`.

    Each segment carries its count as text when wide enough and a <title> for screen readers.
    """
    safe_id = _ID_UNSAFE.sub("-", chart_id)
    # Room for the longest row label (about 6.5 px per character at 11 px), so a long name such
    # as "Humanitarian coordination" is not cut at the chart's left edge.
    longest = max((len(label) for label, _counts in rows), default=0)
    left, right, top, gap = min(max(90, round(6.5 * longest) + 12), width // 2), 12, 24, 8
    legend_h = 26
    height = top + len(rows) * (bar_height + gap) + legend_h
    plot_w = width - left - right
    largest = max((sum(counts.values()) for _label, counts in rows), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{safe_id}" role="img" '
        f'aria-labelledby="{safe_id}-title" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" font-family="{FONT}" font-size="11">',
        f'<title id="{safe_id}-title">{escape(title)}</title>',
        f'<text x="0" y="14" font-size="12" font-weight="bold" fill="#1b1b1b">{escape(title)}'
        "</text>",
    ]
    for index, (label, counts) in enumerate(rows):
        y = top + index * (bar_height + gap)
        parts.append(
            f'<text x="{left - 6}" y="{y + bar_height - 5}" text-anchor="end" fill="#1b1b1b">'
            f"{escape(label)}</text>"
        )
        x = float(left)
        for key, segment_label in segments:
            count = counts.get(key, 0)
            if not count:
                continue
            w = plot_w * count / largest
            fill = DEGREE_FILLS.get(key, "#dbe7f5")
            edge = DEGREE_EDGES.get(key, "#0b5394")
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_height}" fill="{fill}" '
                f'stroke="{edge}" stroke-width="1"><title>{escape(label)}: '
                f"{escape(segment_label)} {count}</title></rect>"
            )
            if w >= 24:
                shape = DEGREE_SHAPES.get(key, "")
                parts.append(
                    f'<text x="{x + w / 2:.1f}" y="{y + bar_height - 5}" text-anchor="middle" '
                    f'fill="{TEXT}">{shape} {count}</text>'
                )
            x += w
    legend_y = height - 8
    for number, (key, segment_label) in enumerate(segments):
        fill = DEGREE_FILLS.get(key, "#dbe7f5")
        edge = DEGREE_EDGES.get(key, "#0b5394")
        shape = DEGREE_SHAPES.get(key, "")
        x = left + number * 110
        parts.append(
            f'<rect x="{x}" y="{legend_y - 10}" width="12" height="12" fill="{fill}" '
            f'stroke="{edge}"/>'
            f'<text x="{x + 16}" y="{legend_y}" fill="{TEXT}">{shape} {escape(segment_label)}'
            "</text>"
        )
    parts.append("</svg>")
    # Every interpolated text above went through escape(); numbers and colours are ours.
    return mark_safe("".join(parts))  # noqa: S308
