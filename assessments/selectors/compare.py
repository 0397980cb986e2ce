"""One assessment against another: what changed in the facts and the recommendations."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from assessments.facts import CONTEXT_FACTS, FUNCTION_FACTS
from assessments.models import (
    Assessment,
    FunctionAssessment,
    Recommendation,
)
from assessments.selectors.labels import LEVELS, fact_label, fact_value_label
from missions.models import Function

# Function facts compared between two assessments (desired impact is free text, shown escaped).
COMPARED_FUNCTION_FACTS = ("in_mandate", *FUNCTION_FACTS, "desired_impact")


@dataclass
class FactChange:
    name: str
    label: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass
class LevelChange:
    level: str
    before: tuple[str, str] | None  # (degree, feasible degree)
    after: tuple[str, str] | None

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass
class FunctionChange:
    function: Function
    facts: list[FactChange]
    lead_before: str
    lead_after: str
    levels: list[LevelChange]

    @property
    def changed_facts(self) -> list[FactChange]:
        return [fact for fact in self.facts if fact.changed]

    @property
    def lead_changed(self) -> bool:
        return self.lead_before != self.lead_after

    @property
    def changed(self) -> bool:
        levels_changed = any(level.changed for level in self.levels)
        return bool(self.changed_facts) or self.lead_changed or levels_changed


@dataclass
class Comparison:
    older: Assessment
    newer: Assessment
    context: list[FactChange]
    functions: list[FunctionChange]

    @property
    def changed_context(self) -> list[FactChange]:
        return [fact for fact in self.context if fact.changed]

    @property
    def changed_functions(self) -> list[FunctionChange]:
        return [function for function in self.functions if function.changed]


def assessment_with_evaluation_qs(*, user) -> QuerySet[Assessment]:
    """Visible assessments with mission, current evaluation and its rulebook in the same row."""
    return Assessment.objects.visible_to(user).select_related(
        "mission", "current_evaluation__rulebook"
    )


def assessment_previous_get(*, assessment: Assessment, user) -> Assessment | None:
    """The mission's assessment just before this one (by date, then id), or None. One query."""
    earlier = Q(as_of__lt=assessment.as_of) | Q(as_of=assessment.as_of, id__lt=assessment.pk)
    return (
        assessment_with_evaluation_qs(user=user)
        .filter(earlier, mission_id=assessment.mission_id)
        .order_by("-as_of", "-id")
        .first()
    )


def _context_changes(older: Assessment, newer: Assessment) -> list[FactChange]:
    return [
        FactChange(
            name=name,
            label=fact_label(name),
            before=fact_value_label(name, getattr(older, name)),
            after=fact_value_label(name, getattr(newer, name)),
        )
        for name in CONTEXT_FACTS
    ]


def _function_fact_changes(
    older: FunctionAssessment | None, newer: FunctionAssessment | None
) -> list[FactChange]:
    def value(row: FunctionAssessment | None, name: str) -> str:
        if row is None:
            return "—"
        raw = getattr(row, name)
        return raw if name == "desired_impact" else fact_value_label(name, raw)

    return [
        FactChange(
            name=name,
            label=fact_label(f"function.{name}"),
            before=value(older, name),
            after=value(newer, name),
        )
        for name in COMPARED_FUNCTION_FACTS
    ]


def assessments_compare(*, older: Assessment, newer: Assessment) -> Comparison:
    """Facts and recommendations of two assessments side by side, with what changed.

    Two queries: both assessments' function rows, both current evaluations' recommendations.
    """
    rows = FunctionAssessment.objects.filter(assessment__in=[older.pk, newer.pk]).select_related(
        "function"
    )
    facts: dict[int, dict[int, FunctionAssessment]] = defaultdict(dict)
    functions: dict[int, Function] = {}
    for row in rows:
        facts[row.function_id][row.assessment_id] = row
        functions[row.function_id] = row.function
    evaluations = [
        a.current_evaluation_id for a in (older, newer) if a.current_evaluation_id is not None
    ]
    answers: dict[tuple[int, int | None], dict[str, tuple[str, str]]] = defaultdict(dict)
    leads: dict[tuple[int, int | None], str] = {}
    for rec in Recommendation.objects.filter(evaluation_id__in=evaluations).select_related(
        "function"
    ):
        key = (rec.function_id, rec.evaluation_id)
        answers[key][rec.level] = (rec.degree, rec.feasible_degree)
        leads[key] = rec.lead
        functions[rec.function_id] = rec.function
    changes = []
    for function_id, function in sorted(
        functions.items(), key=lambda item: (item[1].position, item[1].code)
    ):
        before_key = (function_id, older.current_evaluation_id)
        after_key = (function_id, newer.current_evaluation_id)
        changes.append(
            FunctionChange(
                function=function,
                facts=_function_fact_changes(
                    facts[function_id].get(older.pk), facts[function_id].get(newer.pk)
                ),
                lead_before=leads.get(before_key, ""),
                lead_after=leads.get(after_key, ""),
                levels=[
                    LevelChange(
                        level=level,
                        before=answers[before_key].get(level),
                        after=answers[after_key].get(level),
                    )
                    for level in LEVELS
                ],
            )
        )
    return Comparison(
        older=older, newer=newer, context=_context_changes(older, newer), functions=changes
    )
