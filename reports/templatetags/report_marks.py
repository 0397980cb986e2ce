"""Filters for the portfolio's profile table: one function's three levels as one line of text.

Hundreds of missions times twelve functions: WeasyPrint lays out every styled run of text on its
own (a Pango layout each), so a cell drawn as three coloured badges with red arrows cost about
ten runs and three lines, and the table most of the portfolio's rendering time. A cell is now
one run, "●▼◐ ○ ◐", in the shapes of the legend (reports/_degree.html), and the cell itself is
shaded where today's context allows less than needed and edged where an HQ reviewer overrode.
"""

from __future__ import annotations

from collections.abc import Sequence

from django import template
from django.utils.translation import gettext as _

register = template.Library()

# The shapes reports/_degree.html draws in its badges, the web's (assessments/_degree_mark.html).
DEGREE_MARKS = {"full": "●", "partial": "◐", "parallel": "○"}


def _mark(cell) -> str:
    if cell is None:
        return "·"  # outside the mandate: no recommendation
    feasible = DEGREE_MARKS.get(cell.feasible_degree, "?")
    if cell.override:
        hq = _("HQ")
        return f"{DEGREE_MARKS.get(cell.override, '?')} {hq} ({feasible})"
    if cell.degree != cell.feasible_degree:
        # as on the web: what the desired impact calls for, ▼ what today's context allows
        return f"{DEGREE_MARKS.get(cell.degree, '?')}▼{feasible}"
    return feasible


@register.filter
def profile_marks(cells: Sequence) -> str:
    """One function's levels in order (strategic, programmatic, administrative): "●▼◐ ○ ◐"."""
    return " ".join(_mark(cell) for cell in cells)


@register.filter
def profile_cell_class(cells: Sequence) -> str:
    """ "short" where today's context allows less than needed at any level, "hq" where an HQ
    reviewer overrode a level."""
    classes = []
    if any(c is not None and not c.override and c.degree != c.feasible_degree for c in cells):
        classes.append("short")
    if any(c is not None and c.override for c in cells):
        classes.append("hq")
    return " ".join(classes)
