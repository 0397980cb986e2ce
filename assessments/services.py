"""Writes to assessments. Every write goes through here; views and the API only validate shape."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from assessments.evaluation_storage import EvaluationInput, evaluations_store
from assessments.exceptions import (
    AssessmentIncomplete,
    AssessmentMandateEmpty,
    AssessmentNotEditable,
    StaleAssessment,
)
from assessments.facts import CONTEXT_FACTS, FUNCTION_FACTS
from assessments.models import (
    EDITABLE_STATUSES,
    Assessment,
    Evaluation,
    FunctionAssessment,
    HistoryEntry,
)
from assessments.selectors import assessment_facts_get
from integration import engine
from integration.services import rulebook_published_get
from integration.text import xml_text_strip
from missions.models import Function, Mission

FUNCTION_FIELDS = ("in_mandate", *FUNCTION_FACTS, "desired_impact")


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
            # The other facts start from their defaults in the engine's table.
            facts = {"presence_type": mission.presence_type}
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
                copied = {name: getattr(source, name) for name in FUNCTION_FIELDS}
                # Text saved before free text was checked must not carry into the new draft
                # what its reports cannot hold.
                copied["desired_impact"] = xml_text_strip(copied["desired_impact"])
                row = FunctionAssessment.objects.create(
                    assessment=assessment, function=function, **copied
                )
                row.involved_entities.set(source.involved_entities.all())
            else:
                FunctionAssessment.objects.create(
                    assessment=assessment,
                    function=function,
                    dimensions=list(function.default_dimensions),
                )
        history_record(
            assessment_id=assessment.pk,
            by=by,
            action=HistoryEntry.Action.CREATED,
            changes={"prefilled_from": previous.pk if previous else None},
        )
    return assessment


def assessment_update(
    *,
    assessment_id: int,
    by,
    expected_version: int,
    context: dict[str, Any],
    functions: dict[str, dict[str, Any]],
    history_action: str = HistoryEntry.Action.SAVED,
    history_details: dict[str, Any] | None = None,
) -> Assessment:
    """Save validated facts if nobody saved since `expected_version`; bump the version.

    `context` holds assessment fields (facts, as_of, notes); `functions` maps a function code to
    its FunctionAssessment fields (and optionally `involved_entities`). Raises StaleAssessment
    when the version moved, AssessmentNotEditable when the assessment is not a draft or returned.
    The history entry is `history_action` (a scenario applied is one), with `history_details`
    beside the changed fields.
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
        changes = _diff("", current, context)
        rows = {
            row.function.code: row
            for row in FunctionAssessment.objects.filter(
                assessment_id=assessment_id
            ).select_related("function")
        }
        for code, values in functions.items():
            row = rows[code]
            values = dict(values)
            entities = values.pop("involved_entities", None)
            changes |= _diff(f"{code}.", row, values)
            for name, value in values.items():
                setattr(row, name, value)
            row.save()
            if entities is not None:
                row.involved_entities.set(entities)
        history_record(
            assessment_id=assessment_id,
            by=by,
            action=history_action,
            changes=changes | (history_details or {}),
        )
    return Assessment.objects.get(pk=assessment_id)


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str | list):
        return value
    return str(value)


def _same(before: Any, after: Any) -> bool:
    # Dimensions are a set stored as a list: forms post them in vocabulary order, the catalogue
    # stores them in its own, and neither order means anything.
    if isinstance(before, list) and isinstance(after, list | tuple):
        return sorted(map(str, before)) == sorted(map(str, after))
    return before == after


def _diff(prefix: str, instance: Any, values: dict[str, Any]) -> dict[str, list[Any]]:
    """{prefix+field: [before, after]} for each value that differs from the instance's."""
    return {
        f"{prefix}{name}": [_jsonable(getattr(instance, name)), _jsonable(value)]
        for name, value in values.items()
        if not _same(getattr(instance, name), value)
    }


def history_record(*, assessment_id: int, by, action: str, changes: dict | None = None) -> None:
    """Append to an assessment's history. Caller is inside the write's transaction."""
    HistoryEntry.objects.create(
        assessment_id=assessment_id, actor=by, action=action, changes=changes or {}
    )


# --- evaluation -----------------------------------------------------------------------------


def decision_compute(*, facts: dict[str, Any], rulebook: engine.Rulebook) -> engine.Decision:
    """The engine's answer (without what-if) to API-shaped facts. Pure: no database."""
    return engine.evaluate(engine.facts_from_dict(facts), rulebook)


def assessment_evaluate(
    *, assessment_id: int, by=None, trigger: str = Evaluation.Trigger.ON_DEMAND
) -> Evaluation:
    """Compute and store recommendations for an assessment under the published rulebook.

    Reads the facts under the assessment's row lock, so no save slips in before the store.
    Raises AssessmentMandateEmpty when no function is in the mandate.
    """
    rulebook, compiled = rulebook_published_get()
    with transaction.atomic():
        assessment = Assessment.objects.select_for_update().get(pk=assessment_id)
        facts = assessment_facts_get(assessment_id=assessment_id)
        if not facts["functions"]:
            raise AssessmentMandateEmpty(assessment_id)
        item = EvaluationInput(
            assessment_id=assessment.pk,
            version=assessment.version,
            facts=facts,
            decision=decision_compute(facts=facts, rulebook=compiled),
        )
        (evaluation,) = evaluations_store(items=[item], rulebook=rulebook, trigger=trigger, by=by)
    return evaluation


def assessment_submit(*, assessment_id: int, by, expected_version: int) -> Assessment:
    """Freeze the facts, compute recommendations, move to 'submitted'.

    Needs the desired impact of every function in the mandate (AssessmentIncomplete), at least
    one function in the mandate (AssessmentMandateEmpty), a draft or returned assessment
    (AssessmentNotEditable) and the version the caller read (StaleAssessment).
    """
    with transaction.atomic():
        current = Assessment.objects.select_for_update().get(pk=assessment_id)
        if current.status not in EDITABLE_STATUSES:
            status = current.get_status_display()
            raise AssessmentNotEditable(f"Assessment {assessment_id} is {status}: it is read-only.")
        if current.version != expected_version:
            raise StaleAssessment(assessment_id, expected_version, current.version)
        missing = {
            row.function.code: f"{row.function.name}: the desired impact is required."
            for row in current.function_assessments.select_related("function")
            if row.in_mandate and not row.desired_impact.strip()
        }
        if missing:
            raise AssessmentIncomplete(missing)
        if not current.function_assessments.filter(in_mandate=True).exists():
            raise AssessmentMandateEmpty(assessment_id)
        Assessment.objects.filter(pk=assessment_id).update(
            status=Assessment.Status.SUBMITTED,
            version=F("version") + 1,
            updated_by=by,
            updated_at=timezone.now(),
        )
        history_record(assessment_id=assessment_id, by=by, action=HistoryEntry.Action.SUBMITTED)
        assessment_evaluate(assessment_id=assessment_id, by=by, trigger=Evaluation.Trigger.SUBMIT)
    return Assessment.objects.get(pk=assessment_id)
