"""Reads the API answers with: integration profiles and stored recommendations in the public shape.

Stored recommendations (one row per function and level) are regrouped into the engine's public
JSON shape (domain.md §4), with any HQ override beside the engine's degree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case, Q, Value, When

from assessments.models import Assessment, Evaluation, Override, Recommendation
from integration import engine
from integration.engine import vocabulary as v
from integration.services import rulebook_engine_get
from missions.models import Mission

LEVEL_ORDER = v.values(v.LEVELS)
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


def _evaluation_rows(evaluation: Evaluation) -> tuple[list[Recommendation], list[Override]]:
    rows = list(Recommendation.objects.filter(evaluation=evaluation).select_related("function"))
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


def profile_assessment_get(*, mission: Mission, as_of: dt.date | None) -> Assessment | None:
    """The assessment a mission's profile shows on `as_of` (today when None).

    The newest approved assessment dated on or before `as_of`; failing that, the newest one
    submitted or under review. Only assessments with stored recommendations count.
    """
    candidates = (
        Assessment.objects.filter(
            mission=mission, status__in=PROFILE_STATUSES, current_evaluation__isnull=False
        )
        .filter(Q(as_of__lte=as_of) if as_of else Q())
        .select_related("current_evaluation__rulebook")
        # Approved sorts first, then the newest date, then the newest row.
        .order_by(
            Case(When(status=Assessment.Status.APPROVED, then=Value(0)), default=Value(1)),
            "-as_of",
            "-id",
        )
    )
    return candidates.first()


def integration_profile_get(*, mission: Mission, as_of: dt.date | None) -> dict[str, Any] | None:
    """A mission's integration profile (see docs/api.md), or None when it has none yet.

    Four queries whatever the number of missions, functions or overrides: the assessment with
    its evaluation and rulebook, the recommendations, the overrides (with authors).
    """
    assessment = profile_assessment_get(mission=mission, as_of=as_of)
    if assessment is None:
        return None
    evaluation = assessment.current_evaluation
    rows, overrides = _evaluation_rows(evaluation)
    return {
        "mission": mission.acronym,
        "requested_as_of": as_of,
        "approved": assessment.status == Assessment.Status.APPROVED,
        "assessment": {
            "id": assessment.pk,
            "as_of": assessment.as_of,
            "status": assessment.status,
            "version": assessment.version,
        },
        "evaluation": _evaluation_dict(evaluation),
        "applicable": evaluation.applicable,
        "reason": evaluation.reason,
        "rulebook": _rulebook_dict(evaluation),
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
        "recommendations": recommendations_build(rows=rows, overrides=overrides, what_if=what_if),
    }
