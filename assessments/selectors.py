"""Reads that turn assessment rows into engine facts, and missions with their assessments."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from assessments.facts import CONTEXT_FACTS, FUNCTION_FACTS
from assessments.models import Assessment, FunctionAssessment, Recommendation
from missions.models import Mission, MissionEntity


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


def assessments_with_rows(queryset: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """Assessments with their function rows (and functions) prefetched, for bulk evaluation."""
    return queryset.prefetch_related(
        Prefetch(
            "function_assessments",
            queryset=FunctionAssessment.objects.select_related("function"),
        )
    )


def recommendations_get(*, evaluation_id: int) -> list[Recommendation]:
    """An evaluation's recommendations in catalogue order, with their functions."""
    return list(
        Recommendation.objects.filter(evaluation_id=evaluation_id)
        .select_related("function")
        .order_by("function__position", "level")
    )


def mission_list_with_latest(*, user) -> QuerySet[Mission]:
    """Missions visible to `user`, each annotated with its latest assessment's phase and status."""
    latest = Assessment.objects.filter(mission=OuterRef("pk")).order_by("-as_of", "-id")
    return (
        Mission.objects.visible_to(user)
        .annotate(
            latest_phase=Subquery(latest.values("phase")[:1]),
            latest_status=Subquery(latest.values("status")[:1]),
            latest_as_of=Subquery(latest.values("as_of")[:1]),
            latest_id=Subquery(latest.values("id")[:1]),
        )
        .order_by("acronym")
    )


def mission_detail_get(*, user, acronym: str) -> Mission:
    """One visible mission with its entities and assessments, or Mission.DoesNotExist."""
    return (
        Mission.objects.visible_to(user)
        .prefetch_related(
            Prefetch(
                "entity_roles",
                queryset=MissionEntity.objects.select_related("entity").order_by(
                    "role", "entity__acronym"
                ),
            ),
            Prefetch(
                "assessments",
                queryset=Assessment.objects.order_by("-as_of", "-id"),
            ),
        )
        .get(acronym=acronym)
    )
