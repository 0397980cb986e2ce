"""Find a mission's open (editable) assessment among those a page already loaded."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from assessments.models import Assessment

register = template.Library()

_OPEN_STATUSES = (Assessment.Status.DRAFT, Assessment.Status.RETURNED)


@register.filter
def open_assessment(assessments: Iterable[Assessment]) -> Assessment | None:
    """The newest draft or returned assessment in `assessments` (no query), or None."""
    return next((a for a in assessments if a.status in _OPEN_STATUSES), None)
