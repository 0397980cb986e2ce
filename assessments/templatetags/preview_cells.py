"""The live preview's matrix cells, written in Python.

The preview partial renders on every change the planner makes; its 36 cells, with their
conditions and labels, were most of its template's work. This tag writes the same markup (the
degree marks as in _degree_mark.html), escaped by format_html and conditional_escape.
"""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from assessments.selectors.preview import PreviewCell
from integration.templatetags.vocab import label

register = template.Library()

_MARKS = {"full": "●", "partial": "◐"}


def _degree(degree: str) -> SafeString:
    return format_html(
        '<span class="degree-mark" aria-hidden="true">{}</span> {}',
        _MARKS.get(degree, "○"),
        label(degree, "DEGREES"),
    )


def _feasible(cell: PreviewCell) -> SafeString:
    if cell.feasible_moved:
        text = gettext("feasible: %(before)s → %(after)s") % {
            "before": conditional_escape(label(cell.saved_feasible_degree, "DEGREES")),
            "after": conditional_escape(label(cell.feasible_degree, "DEGREES")),
        }
        css = "feasible moved-note"
    elif cell.constrained:
        text = gettext("feasible: %(degree)s") % {
            "degree": conditional_escape(label(cell.feasible_degree, "DEGREES"))
        }
        css = "feasible"
    else:
        return mark_safe("")
    return format_html(
        '<span class="{}"><span class="feasible-mark" aria-hidden="true">▼</span> {}</span>',
        css,
        mark_safe(text),  # noqa: S308 (the translated text, its values escaped above)
    )


@register.simple_tag
def preview_cell(cell: PreviewCell) -> SafeString:
    """One `<td>` of the preview matrix: the degree (and the saved one if it moved), and the
    feasible degree when it constrains or moved."""
    css = f"cell degree-{cell.degree}"
    css += " constrained" if cell.constrained else ""
    css += " moved" if cell.moved else ""
    degree = _degree(cell.degree)
    if cell.degree_moved:
        degree = format_html(
            '<span class="moved-note"><span class="visually-hidden">{} </span>{} → {}</span>',
            gettext("changed:"),
            label(cell.saved_degree, "DEGREES"),
            degree,
        )
    return format_html(
        '<td class="{}" data-function="{}" data-level="{}" data-degree="{}" data-feasible="{}">'
        "\n        {}\n        {}\n      </td>",
        css,
        cell.function_code,
        cell.level,
        cell.degree,
        cell.feasible_degree,
        degree,
        _feasible(cell),
    )
