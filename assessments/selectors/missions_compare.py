"""Missions side by side: each one's latest approved assessment with recommendations (or, when
none is approved, its latest one with recommendations, its status shown), facts and answers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from assessments.facts import CONTEXT_FACTS
from assessments.models import (
    Assessment,
    Override,
    Recommendation,
)
from assessments.selectors.labels import LEVELS, fact_label, fact_value_label
from assessments.selectors.missions import NEWEST_FIRST, missions_answers_annotate
from assessments.selectors.portfolio import PortfolioLevel
from missions.models import Function, Mission


@dataclass
class MissionColumn:
    mission: Mission
    assessment: Assessment | None

    @property
    def newer(self) -> bool:
        """A newer assessment than the one compared exists (a draft, in review or returned)."""
        return self.mission.latest_id is not None and (
            self.assessment is None or self.mission.latest_id != self.assessment.pk
        )


@dataclass
class MissionsRow:
    function: Function
    # Per mission, in column order: (lead, [one answer per level, read as the matrix reads a
    # cell: what to plan for is an override, else the feasible degree]) or None.
    answers: list[tuple[str, list[PortfolioLevel]] | None]

    @property
    def differs(self) -> bool:
        return len({repr(answer) for answer in self.answers}) > 1


@dataclass
class MissionsComparison:
    columns: list[MissionColumn]
    context: list[tuple[str, list[str], bool]]  # (fact label, value per mission, differs)
    rows: list[MissionsRow]


def missions_with_latest_evaluated(*, user) -> QuerySet[Mission]:
    """Visible missions, each annotated with `compared_id`: its latest approved assessment that
    has recommendations, else its latest one that has recommendations (whatever its status);
    and with the annotations of missions_answers_annotate, so a newer one can be shown."""
    evaluated = Assessment.objects.filter(
        mission=OuterRef("pk"), current_evaluation__isnull=False
    ).order_by(*NEWEST_FIRST)
    approved = evaluated.filter(status=Assessment.Status.APPROVED)
    return missions_answers_annotate(
        Mission.objects.visible_to(user).annotate(
            compared_id=Coalesce(
                Subquery(approved.values("id")[:1]), Subquery(evaluated.values("id")[:1])
            )
        )
    ).order_by("acronym")


def missions_side_by_side(*, missions: list[Mission], user) -> MissionsComparison:
    """Missions side by side: the context and answers of each one's compared assessment.

    `missions` come from missions_with_latest_evaluated. Three queries: the assessments (with
    their current evaluations), all their recommendations with functions, and HQ's overrides.
    """
    ids = [m.compared_id for m in missions if m.compared_id]
    assessments = {
        a.pk: a
        for a in Assessment.objects.visible_to(user)
        .filter(pk__in=ids)
        .select_related("current_evaluation__rulebook")
    }
    columns = [
        MissionColumn(mission=m, assessment=assessments.get(m.compared_id)) for m in missions
    ]
    evaluation_ids = [
        c.assessment.current_evaluation_id for c in columns if c.assessment is not None
    ]
    by_function: dict[int, dict[int, list[Recommendation]]] = defaultdict(lambda: defaultdict(list))
    functions: dict[int, Function] = {}
    for rec in Recommendation.objects.filter(evaluation_id__in=evaluation_ids).select_related(
        "function"
    ):
        by_function[rec.function_id][rec.evaluation_id].append(rec)
        functions[rec.function_id] = rec.function
    overrides = {
        (row["assessment_id"], row["function_id"], row["level"]): row["degree"]
        for row in Override.objects.filter(assessment_id__in=list(assessments)).values(
            "assessment_id", "function_id", "level", "degree"
        )
    }
    rows = []
    for function_id, function in sorted(
        functions.items(), key=lambda item: (item[1].position, item[1].code)
    ):
        answers: list[tuple[str, list[PortfolioLevel]] | None] = []
        for column in columns:
            recs = (
                by_function[function_id].get(column.assessment.current_evaluation_id)
                if column.assessment
                else None
            )
            if not recs:
                answers.append(None)
                continue
            recs = sorted(recs, key=lambda rec: LEVELS.index(rec.level))
            assessment_id = column.assessment.pk
            levels = [
                PortfolioLevel(
                    r.level,
                    r.degree,
                    r.feasible_degree,
                    overrides.get((assessment_id, function_id, r.level)),
                )
                for r in recs
            ]
            answers.append((recs[0].lead, levels))
        rows.append(MissionsRow(function=function, answers=answers))
    context = []
    for name in CONTEXT_FACTS:
        values = [
            fact_value_label(name, getattr(c.assessment, name)) if c.assessment else "—"
            for c in columns
        ]
        context.append((fact_label(name), values, len(set(values)) > 1))
    return MissionsComparison(columns=columns, context=context, rows=rows)
