"""What the HTML forms post, for tests that drive the pages."""

from __future__ import annotations

from assessments.facts import CONTEXT_FACTS
from assessments.models import Assessment


def assessment_form_data(assessment: Assessment, **changes) -> dict[str, object]:
    """What the edit page posts back when the user changes nothing but `changes`."""
    data: dict[str, object] = {
        "context-version": assessment.version,
        "context-as_of": assessment.as_of.isoformat(),
        "context-notes": assessment.notes,
    }
    for name in CONTEXT_FACTS:
        value = getattr(assessment, name)
        if isinstance(value, bool):
            if value:
                data[f"context-{name}"] = "on"
        else:
            data[f"context-{name}"] = "" if value is None else value
    for row in assessment.function_assessments.select_related("function"):
        prefix = row.function.code
        data[f"{prefix}-dimensions"] = row.dimensions
        data[f"{prefix}-funding_source"] = row.funding_source
        data[f"{prefix}-desired_impact"] = row.desired_impact
        for flag in ("in_mandate", "conflicting_imperatives", "unct_programmes"):
            if getattr(row, flag):
                data[f"{prefix}-{flag}"] = "on"
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data
