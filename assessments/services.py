"""Writes to assessments. Every write goes through here; views and the API only validate shape."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from assessments.exceptions import AssessmentNotEditable, StaleAssessment
from assessments.models import CONTEXT_FACTS, Assessment, FunctionAssessment
from missions.models import Function, Mission

EDITABLE_STATUSES = (Assessment.Status.DRAFT, Assessment.Status.RETURNED)
FUNCTION_FIELDS = (
    "in_mandate",
    "dimensions",
    "conflicting_imperatives",
    "unct_programmes",
    "funding_source",
    "desired_impact",
)


def assessment_create(*, mission: Mission, by, as_of: dt.date | None = None) -> Assessment:
    """A new draft, prefilled from the mission's previous assessment (or the catalogue)."""
    previous = (
        Assessment.objects.filter(mission=mission)
        .prefetch_related("function_assessments__involved_entities")
        .order_by("-as_of", "-id")
        .first()
    )
    with transaction.atomic():
        if previous is not None:
            facts = {name: getattr(previous, name) for name in CONTEXT_FACTS}
        else:
            facts = {
                "presence_type": mission.presence_type,
                "phase": "peacekeeping",
                "conflict_level": "low",
                "force_posture": "none",
                "host_consent": "firm",
                "national_capacity": "low",
            }
        assessment = Assessment.objects.create(
            mission=mission,
            as_of=as_of or timezone.localdate(),
            created_by=by,
            updated_by=by,
            **facts,
        )
        previous_rows = (
            {row.function_id: row for row in previous.function_assessments.all()}
            if previous
            else {}
        )
        for function in Function.objects.all():
            source = previous_rows.get(function.pk)
            if source is not None:
                row = FunctionAssessment.objects.create(
                    assessment=assessment,
                    function=function,
                    **{name: getattr(source, name) for name in FUNCTION_FIELDS},
                )
                row.involved_entities.set(source.involved_entities.all())
            else:
                FunctionAssessment.objects.create(
                    assessment=assessment,
                    function=function,
                    dimensions=list(function.default_dimensions),
                )
    return assessment


def assessment_update(
    *,
    assessment_id: int,
    by,
    expected_version: int,
    context: dict[str, Any],
    functions: dict[str, dict[str, Any]],
) -> Assessment:
    """Save validated facts if nobody saved since `expected_version`; bump the version.

    `context` holds assessment fields (facts, as_of, notes); `functions` maps a function code to
    its FunctionAssessment fields (and optionally `involved_entities`). Raises StaleAssessment
    when the version moved, AssessmentNotEditable when the assessment is not a draft or returned.
    """
    with transaction.atomic():
        current = Assessment.objects.select_for_update().get(pk=assessment_id)
        if current.status not in EDITABLE_STATUSES:
            status = current.get_status_display()
            raise AssessmentNotEditable(f"Assessment {assessment_id} is {status}: it is read-only.")
        updated = Assessment.objects.filter(pk=assessment_id, version=expected_version).update(
            version=F("version") + 1, updated_by=by, updated_at=timezone.now(), **context
        )
        if not updated:
            raise StaleAssessment(assessment_id, expected_version, current.version)
        rows = {
            row.function.code: row
            for row in FunctionAssessment.objects.filter(
                assessment_id=assessment_id
            ).select_related("function")
        }
        for code, values in functions.items():
            row = rows[code]
            entities = values.pop("involved_entities", None)
            for name, value in values.items():
                setattr(row, name, value)
            row.save()
            if entities is not None:
                row.involved_entities.set(entities)
    return Assessment.objects.get(pk=assessment_id)
