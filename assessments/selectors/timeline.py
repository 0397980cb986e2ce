"""A mission's timeline: each function's degree across its assessments."""

from __future__ import annotations

from dataclasses import dataclass

from assessments.models import (
    Assessment,
    Recommendation,
)
from assessments.selectors.labels import LEVELS
from missions.models import Function, Mission


@dataclass
class TimelinePoint:
    assessment: Assessment
    degree: str
    feasible_degree: str

    @property
    def pair(self) -> tuple[str, str]:
        return (self.degree, self.feasible_degree)


@dataclass
class FunctionTimeline:
    function: Function
    # level → one entry per assessment (None where the function was not assessed).
    levels: dict[str, list[TimelinePoint | None]]

    @property
    def rows(self) -> list[tuple[str, list[TimelinePoint | None]]]:
        """(level, points) in level order, for templates."""
        return [(level, self.levels[level]) for level in LEVELS]


@dataclass
class Timeline:
    assessments: list[Assessment]
    functions: list[FunctionTimeline]


def mission_timeline_get(*, mission: Mission, user) -> Timeline:
    """The engine's degree for each function and level across the mission's assessments.

    Two queries: the mission's assessments that have recommendations (oldest first, with
    their current evaluation), and all those evaluations' recommendations with functions.
    """
    assessments = list(
        Assessment.objects.visible_to(user)
        .filter(mission=mission, current_evaluation__isnull=False)
        .select_related("current_evaluation")
        .order_by("as_of", "id")
    )
    position = {a.current_evaluation_id: index for index, a in enumerate(assessments)}
    functions: dict[int, FunctionTimeline] = {}
    for rec in Recommendation.objects.filter(evaluation_id__in=list(position)).select_related(
        "function"
    ):
        timeline = functions.get(rec.function_id)
        if timeline is None:
            timeline = functions[rec.function_id] = FunctionTimeline(
                function=rec.function,
                levels={level: [None] * len(assessments) for level in LEVELS},
            )
        index = position[rec.evaluation_id]
        timeline.levels[rec.level][index] = TimelinePoint(
            assessment=assessments[index], degree=rec.degree, feasible_degree=rec.feasible_degree
        )
    ordered = sorted(functions.values(), key=lambda t: (t.function.position, t.function.code))
    return Timeline(assessments=assessments, functions=ordered)
