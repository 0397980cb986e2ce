"""What the HTML forms post, for tests that drive the pages."""

from __future__ import annotations

from assessments.facts import CONTEXT_FACTS, FUNCTION_FACTS
from assessments.models import Assessment


def assessment_form_data(assessment: Assessment, **changes) -> dict[str, object]:
    """What the edit page posts back when the user changes nothing but `changes`."""
    data: dict[str, object] = {
        "context-version": assessment.version,
        "context-as_of": assessment.as_of.isoformat(),
        "context-notes": assessment.notes,
    }
    for name in CONTEXT_FACTS:
        _posted(data, f"context-{name}", getattr(assessment, name))
    for row in assessment.function_assessments.select_related("function"):
        prefix = row.function.code
        for name in ("in_mandate", *FUNCTION_FACTS, "desired_impact"):
            _posted(data, f"{prefix}-{name}", getattr(row, name))
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def _posted(data: dict[str, object], key: str, value: object) -> None:
    """Put `value` in `data` as its widget posts it: an unticked box posts nothing."""
    if isinstance(value, bool):
        if value:
            data[key] = "on"
    else:
        data[key] = "" if value is None else value
