"""Reads that turn an assessment's rows into the engine's facts (the API's shape)."""

from __future__ import annotations

from typing import Any

from assessments.facts import CONTEXT_FACTS, FUNCTION_FACTS
from assessments.models import (
    Assessment,
    FunctionAssessment,
)


def facts_dict_build(*, assessment: Assessment, rows: list[FunctionAssessment]) -> dict[str, Any]:
    """The API-shaped facts of an assessment (domain.md §3); excluded functions are left out.

    `rows` must carry their `function` (select_related) so this makes no query.
    """
    return {
        "context": {name: getattr(assessment, name) for name in CONTEXT_FACTS},
        "functions": [
            {"function": row.function.code, **{name: getattr(row, name) for name in FUNCTION_FACTS}}
            for row in sorted(rows, key=lambda row: row.function.position)
            if row.in_mandate
        ],
    }


def assessment_facts_get(*, assessment_id: int) -> dict[str, Any]:
    """The facts of one assessment, read in two queries."""
    assessment = Assessment.objects.get(pk=assessment_id)
    rows = list(
        FunctionAssessment.objects.filter(assessment_id=assessment_id).select_related("function")
    )
    return facts_dict_build(assessment=assessment, rows=rows)
