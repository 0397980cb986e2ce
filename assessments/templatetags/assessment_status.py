"""The translated label of an assessment status given as a value (annotations carry values)."""

from __future__ import annotations

from django import template

from assessments.models import Assessment

register = template.Library()


@register.filter
def status_label(value: str) -> str:
    """`{{ mission.latest_status|status_label }}` → "Approved" (translated); unknown values pass."""
    try:
        return str(Assessment.Status(value).label)
    except ValueError:
        return value
