"""Reads the API answers with: integration profiles and stored recommendations in the public shape.

Stored recommendations (one row per function and level) are regrouped into the engine's public
JSON shape (domain.md §4), with any HQ override beside the engine's degree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case, OuterRef, Subquery, Value, When
from django.utils import timezone

from assessments.models import Assessment, Evaluation, HistoryEntry, Override, Recommendation
from integration import engine
from integration.engine import vocabulary
from integration.services import rulebook_engine_get
from missions.models import Mission

LEVEL_ORDER = vocabulary.values(vocabulary.LEVELS)
# What a profile may be built from: approved first; else the latest awaiting review.
PROFILE_STATUSES = (
    Assessment.Status.APPROVED,
    Assessment.Status.SUBMITTED,
    Assessment.Status.UNDER_REVIEW,
)


def _override_dict(override: Override) -> dict[str, Any]:
    return {
        "degree": override.degree,
        "justification": override.justification,
        "author": override.author.get_username() if override.author else None,
        "created_at": override.created_at,
    }


def recommendations_build(
    *, rows: list[Recommendation], overrides: list[Override], what_if: dict[str, list] | None = None
) -> list[dict[str, Any]]:
    """Rows (with `function`) grouped per function in catalogue order; no queries.

    `what_if`, when given, maps a function code to its what-if list (computed on read).
    """
    by_level = {(o.function_id, o.level): o for o in overrides}
    grouped: dict[int, list[Recommendation]] = {}
    for row in sorted(rows, key=lambda r: (r.function.position, LEVEL_ORDER.index(r.level))):
        grouped.setdefault(row.function_id, []).append(row)
    result = []
    for function_id, levels in grouped.items():
        first = levels[0]
        item: dict[str, Any] = {
            "function": first.function.code,
            "lead": first.lead,
            "levels": {
                row.level: {
                    "degree": row.degree,
                    "feasible_degree": row.feasible_degree,
                    "rules": row.rules,
                    "override": (
                        _override_dict(by_level[function_id, row.level])
                        if (function_id, row.level) in by_level
                        else None
                    ),
                }
                for row in levels
            },
            "barriers": [barrier for row in levels for barrier in row.barriers],
        }
        if what_if is not None:
            item["what_if"] = what_if.get(first.function.code, [])
        result.append(item)
    return result


def _recommendation_rows(evaluation: Evaluation) -> list[Recommendation]:
    return list(Recommendation.objects.filter(evaluation=evaluation).select_related("function"))


def _evaluation_rows(evaluation: Evaluation) -> tuple[list[Recommendation], list[Override]]:
    rows = _recommendation_rows(evaluation)
    overrides = list(
        Override.objects.filter(assessment_id=evaluation.assessment_id).select_related("author")
    )
    return rows, overrides


def _evaluation_dict(evaluation: Evaluation) -> dict[str, Any]:
    return {
        "id": evaluation.pk,
        "created_at": evaluation.created_at,
        "trigger": evaluation.trigger,
        "applicable": evaluation.applicable,
        "reason": evaluation.reason,
    }


def _rulebook_dict(evaluation: Evaluation) -> dict[str, str]:
    return {"name": evaluation.rulebook.name, "version": evaluation.rulebook.version}


def profile_assessment_get(*, mission: Mission) -> Assessment | None:
    """The assessment a mission's profile shows now, with its evaluation and rulebook.

    The newest approved assessment (by date, then id); failing that, the newest one submitted or
    under review. Only assessments with stored recommendations count.
    """
    return (
        Assessment.objects.filter(
            mission=mission, status__in=PROFILE_STATUSES, current_evaluation__isnull=False
        )
        .select_related("current_evaluation__rulebook")
        # Approved sorts first, then the newest date, then the newest row.
        .order_by(
            Case(When(status=Assessment.Status.APPROVED, then=Value(0)), default=Value(1)),
            "-as_of",
            "-id",
        )
        .first()
    )


# The status an assessment has after each of these history actions: the newest one recorded by
# a date is its status on that date.
STATUS_AFTER = {
    HistoryEntry.Action.CREATED: Assessment.Status.DRAFT,
    HistoryEntry.Action.SUBMITTED: Assessment.Status.SUBMITTED,
    HistoryEntry.Action.REVIEW_STARTED: Assessment.Status.UNDER_REVIEW,
    HistoryEntry.Action.APPROVED: Assessment.Status.APPROVED,
    HistoryEntry.Action.RETURNED: Assessment.Status.RETURNED,
}
_PROFILE_ACTIONS = [action for action, status in STATUS_AFTER.items() if status in PROFILE_STATUSES]


def day_end(day: dt.date) -> dt.datetime:
    """The first instant after `day` in the site's time zone: "by then" means before it."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))


def profile_evaluation_on(*, mission: Mission, as_of: dt.date) -> Evaluation | None:
    """The evaluation a mission's profile showed at the end of `as_of`, or None.

    Among assessments dated on or before `as_of` whose history says they were approved (or
    submitted, or under review) by the end of that day, the same preference as today's profile;
    of that assessment, the newest evaluation computed by then (a later re-evaluation under
    another rulebook is not shown). One query: the evaluation comes with its assessment and
    rulebook, and `status_then` holds the assessment's status on that day.
    """
    cutoff = day_end(as_of)
    action_then = (
        HistoryEntry.objects.filter(
            assessment=OuterRef("assessment_id"),
            action__in=list(STATUS_AFTER),
            created_at__lt=cutoff,
        )
        .order_by("-created_at", "-id")
        .values("action")[:1]
    )
    newest_then = (
        Evaluation.objects.filter(assessment=OuterRef("assessment_id"), created_at__lt=cutoff)
        .order_by("-id")
        .values("id")[:1]
    )
    evaluation = (
        Evaluation.objects.filter(assessment__mission=mission, assessment__as_of__lte=as_of)
        .annotate(action_then=Subquery(action_then))
        .filter(pk=Subquery(newest_then), action_then__in=_PROFILE_ACTIONS)
        .select_related("assessment", "rulebook")
        .order_by(
            Case(When(action_then=HistoryEntry.Action.APPROVED, then=Value(0)), default=Value(1)),
            "-assessment__as_of",
            "-assessment_id",
        )
        .first()
    )
    if evaluation is not None:
        evaluation.status_then = STATUS_AFTER[evaluation.action_then]
    return evaluation


def _overrides_on(
    *, assessment_id: int, cutoff: dt.datetime, functions: dict[str, int]
) -> list[Override]:
    """The overrides that stood at `cutoff`, rebuilt from the assessment's history (unsaved).

    An override row holds only its latest degree; the history keeps each one as it was made
    (`{"ssr.strategic": [before, after], "justification": …}`, assessments.review_services), so one
    replaced after `cutoff` shows the degree, justification and author it had then.
    """
    standing: dict[tuple[str, str], Override] = {}
    entries = HistoryEntry.objects.filter(
        assessment_id=assessment_id,
        action=HistoryEntry.Action.OVERRIDDEN,
        created_at__lt=cutoff,
    ).select_related("actor")
    for entry in entries.order_by("created_at", "id"):
        changes = dict(entry.changes)
        justification = changes.pop("justification", "")
        for key, (_before, degree) in changes.items():
            code, level = key.split(".", 1)
            standing[code, level] = Override(
                function_id=functions.get(code),
                level=level,
                degree=degree,
                justification=justification,
                author=entry.actor,
                created_at=entry.created_at,
            )
    return list(standing.values())


def integration_profile_get(*, mission: Mission, as_of: dt.date | None) -> dict[str, Any] | None:
    """A mission's integration profile (see docs/api.md), or None when it has none.

    Without `as_of`, today's: the current status, evaluation and overrides. With it, the profile
    as it stood at the end of that day, read from the assessment's history (when it was
    submitted, approved or returned, and each override as it was made) and the evaluations'
    creation times. Three queries either way: the evaluation with its assessment and rulebook,
    the recommendations with their functions, the overrides (or their history) with authors.
    """
    if as_of is None:
        assessment = profile_assessment_get(mission=mission)
        if assessment is None:
            return None
        evaluation, status = assessment.current_evaluation, assessment.status
        rows, overrides = _evaluation_rows(evaluation)
    else:
        evaluation = profile_evaluation_on(mission=mission, as_of=as_of)
        if evaluation is None:
            return None
        assessment, status = evaluation.assessment, evaluation.status_then
        rows = _recommendation_rows(evaluation)
        overrides = _overrides_on(
            assessment_id=assessment.pk,
            cutoff=day_end(as_of),
            functions={row.function.code: row.function_id for row in rows},
        )
    return {
        "mission": mission.acronym,
        "requested_as_of": as_of,
        "approved": status == Assessment.Status.APPROVED,
        "assessment": {
            "id": assessment.pk,
            "as_of": assessment.as_of,
            "status": status,
            "version": assessment.version,
        },
        "evaluation": _evaluation_dict(evaluation),
        "applicable": evaluation.applicable,
        "reason": evaluation.reason,
        "rulebook": _rulebook_dict(evaluation),
        "humanitarian_arrangement": evaluation.humanitarian_arrangement,
        "recommendations": recommendations_build(rows=rows, overrides=overrides),
    }


def assessment_recommendations_get(*, assessment: Assessment) -> dict[str, Any] | None:
    """An assessment's current recommendations with what-if, or None if never evaluated.

    What-if is not stored: it is computed from the evaluation's facts snapshot under the
    evaluation's own rulebook, so it always explains the stored answer.
    """
    evaluation = assessment.current_evaluation
    if evaluation is None:
        return None
    rows, overrides = _evaluation_rows(evaluation)
    what_if: dict[str, list] = {}
    if evaluation.applicable:
        decision = engine.evaluate(
            engine.facts_from_dict(evaluation.facts),
            rulebook_engine_get(rulebook=evaluation.rulebook),
            what_if=True,
        )
        what_if = {
            item["function"]: item["what_if"]
            for item in engine.decision_to_dict(decision)["recommendations"]
        }
    return {
        "assessment": assessment.pk,
        "evaluation": _evaluation_dict(evaluation),
        "applicable": evaluation.applicable,
        "reason": evaluation.reason,
        "rulebook": _rulebook_dict(evaluation),
        "humanitarian_arrangement": evaluation.humanitarian_arrangement,
        "recommendations": recommendations_build(rows=rows, overrides=overrides, what_if=what_if),
    }
