"""Missions with their assessments: the home list (latest approved assessment, and any newer
one with its status) and a mission's page."""

from __future__ import annotations

from django.db.models import F, OuterRef, Prefetch, QuerySet, Subquery

from assessments.models import (
    Assessment,
)
from missions.models import Mission, MissionEntity

NEWEST_FIRST = ("-as_of", "-id")


def missions_answers_annotate(missions: QuerySet[Mission]) -> QuerySet[Mission]:
    """`missions` with, in the query that lists them, the two assessments HQ views tell apart:

    - `approved_id`, `approved_as_of`, `approved_phase`, `approved_rulebook_status`: the newest
      approved assessment, the answer HQ stands by, and its rulebook's status;
    - `latest_id`, `latest_as_of`, `latest_status`, `latest_phase`, `latest_updated_at`: the
      newest assessment of any status.

    When the two differ, a newer assessment than the approved one is a draft, waits for review
    or was returned: pages show it beside the approved one with its status, never in its place.
    """
    latest = Assessment.objects.filter(mission=OuterRef("pk")).order_by(*NEWEST_FIRST)
    approved = latest.filter(status=Assessment.Status.APPROVED)
    return missions.annotate(
        approved_id=Subquery(approved.values("id")[:1]),
        approved_as_of=Subquery(approved.values("as_of")[:1]),
        approved_phase=Subquery(approved.values("phase")[:1]),
        # "published" unless its answers are under a retired rulebook (out of date)
        approved_rulebook_status=Subquery(
            approved.values("current_evaluation__rulebook__status")[:1]
        ),
        latest_id=Subquery(latest.values("id")[:1]),
        latest_as_of=Subquery(latest.values("as_of")[:1]),
        latest_status=Subquery(latest.values("status")[:1]),
        latest_phase=Subquery(latest.values("phase")[:1]),
        latest_updated_at=Subquery(latest.values("updated_at")[:1]),
    )


def mission_list_with_latest(*, user) -> QuerySet[Mission]:
    """Missions visible to `user` with their latest approved and latest assessments (one query;
    see missions_answers_annotate)."""
    return missions_answers_annotate(Mission.objects.visible_to(user)).order_by("acronym")


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
                # With the rulebook's status: answers under a retired one are out of date.
                queryset=Assessment.objects.order_by("-as_of", "-id").annotate(
                    rulebook_status=F("current_evaluation__rulebook__status")
                ),
            ),
        )
        .get(acronym=acronym)
    )
