"""HQ review: start, approve, return with a comment, override one recommendation.

Writes, like services.py; kept apart because review is its own sub-domain with its own role.
Every function checks the reviewer role itself, so no caller can forget it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from assessments.exceptions import ReviewNotAllowed, StaleAssessment
from assessments.models import Assessment, HistoryEntry, Override, ReviewComment
from assessments.services import history_record
from integration.engine import vocabulary
from missions.models import Function
from missions.roles import is_hq_reviewer

REVIEWABLE_STATUSES = (Assessment.Status.SUBMITTED, Assessment.Status.UNDER_REVIEW)


def _require_reviewer(user) -> None:
    if not is_hq_reviewer(user):
        raise PermissionDenied("Only HQ reviewers review assessments.")


def _transition(
    *,
    assessment_id: int,
    by,
    expected_version: int,
    to: str,
    action: str,
    comment: str = "",
    comment_kind: str | None = None,
) -> Assessment:
    with transaction.atomic():
        current = Assessment.objects.select_for_update().get(pk=assessment_id)
        if current.status not in REVIEWABLE_STATUSES:
            status = current.get_status_display()
            raise ReviewNotAllowed(f"Assessment {assessment_id} is {status}, not awaiting review.")
        if current.version != expected_version:
            raise StaleAssessment(assessment_id, expected_version, current.version)
        Assessment.objects.filter(pk=assessment_id).update(
            status=to, version=F("version") + 1, updated_by=by, updated_at=timezone.now()
        )
        if comment_kind:
            ReviewComment.objects.create(
                assessment_id=assessment_id, author=by, kind=comment_kind, body=comment
            )
        history_record(
            assessment_id=assessment_id,
            by=by,
            action=action,
            changes={"status": [current.status, to]} | ({"comment": comment} if comment else {}),
        )
    return Assessment.objects.get(pk=assessment_id)


def assessment_review_start(*, assessment_id: int, by, expected_version: int) -> Assessment:
    """Mark a submitted assessment as under review (so planners see someone has it)."""
    _require_reviewer(by)
    return _transition(
        assessment_id=assessment_id,
        by=by,
        expected_version=expected_version,
        to=Assessment.Status.UNDER_REVIEW,
        action=HistoryEntry.Action.REVIEW_STARTED,
    )


def assessment_approve(
    *, assessment_id: int, by, expected_version: int, comment: str = ""
) -> Assessment:
    """Approve; an optional comment is kept for the planners."""
    _require_reviewer(by)
    comment = comment.strip()
    return _transition(
        assessment_id=assessment_id,
        by=by,
        expected_version=expected_version,
        to=Assessment.Status.APPROVED,
        action=HistoryEntry.Action.APPROVED,
        comment=comment,
        comment_kind=ReviewComment.Kind.APPROVE if comment else None,
    )


def assessment_return(*, assessment_id: int, by, expected_version: int, comment: str) -> Assessment:
    """Return to the planners for changes; the comment is required."""
    _require_reviewer(by)
    comment = comment.strip()
    if not comment:
        raise ReviewNotAllowed("A comment is required to return an assessment.")
    return _transition(
        assessment_id=assessment_id,
        by=by,
        expected_version=expected_version,
        to=Assessment.Status.RETURNED,
        action=HistoryEntry.Action.RETURNED,
        comment=comment,
        comment_kind=ReviewComment.Kind.RETURN,
    )


def recommendation_override(
    *, assessment_id: int, by, function_code: str, level: str, degree: str, justification: str
) -> Override:
    """Replace one recommendation's degree with a justified HQ decision.

    The engine's stored answer is untouched and shown beside the override.
    """
    _require_reviewer(by)
    justification = justification.strip()
    if not justification:
        raise ReviewNotAllowed("A justification is required to override a recommendation.")
    if level not in vocabulary.values(vocabulary.LEVELS):
        raise ReviewNotAllowed(f"Unknown level {level!r}.")
    if degree not in vocabulary.values(vocabulary.DEGREES):
        raise ReviewNotAllowed(f"Unknown degree {degree!r}.")
    with transaction.atomic():
        assessment = Assessment.objects.select_for_update().get(pk=assessment_id)
        if assessment.current_evaluation_id is None:
            raise ReviewNotAllowed("There is no recommendation to override yet.")
        function = Function.objects.get(code=function_code)
        previous = Override.objects.filter(
            assessment=assessment, function=function, level=level
        ).first()
        override, _ = Override.objects.update_or_create(
            assessment=assessment,
            function=function,
            level=level,
            defaults={
                "degree": degree,
                "justification": justification,
                "author": by,
                "evaluation_id": assessment.current_evaluation_id,
            },
        )
        history_record(
            assessment_id=assessment_id,
            by=by,
            action=HistoryEntry.Action.OVERRIDDEN,
            changes={
                f"{function_code}.{level}": [previous.degree if previous else None, degree],
                "justification": justification,
            },
        )
    return override
