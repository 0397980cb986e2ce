"""Missions with their assessments: the home list (latest assessment) and a mission's page."""

from __future__ import annotations

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from assessments.models import (
    Assessment,
)
from missions.models import Mission, MissionEntity


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
