"""The data of a mission report: one assessment's context, matrix, rationale, barriers, changes
and review, as dataclasses the renderers read."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext

from assessments.engine_texts import engine_texts_get
from assessments.facts import CONTEXT_FACTS
from assessments.models import (
    Assessment,
    Evaluation,
    FunctionAssessment,
    Override,
    Recommendation,
    ReviewComment,
)
from assessments.selectors.arrangement import (
    HUMANITARIAN_FUNCTION,
    ArrangementView,
    arrangement_view,
)
from assessments.selectors.labels import PRINCIPLE_NAMES
from integration.models import Rulebook
from missions.models import Function, Mission
from reports.selectors.barriers import (
    LEVELS,
    Barrier,
    barrier_register,
    barriers_merged,
    level_index,
    top_barriers,
)
from reports.selectors.options import OptionsConsidered, mission_report_options

DegreeCounts = dict[str, dict[str, Counter]]


@dataclass
class LevelRow:
    """One (function, level) cell of the matrix, with the rules behind it."""

    level: str
    degree: str
    feasible_degree: str
    override: Override | None
    rules: list[dict[str, Any]]


@dataclass
class FunctionRows:
    """One function of the mandate: its desired impact, lead, levels and barriers."""

    function: Function
    desired_impact: str
    lead: str
    levels: list[LevelRow] = field(default_factory=list)
    barriers: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Gap:
    """A (function, level) where today's context allows less than the desired impact calls for,
    with the categories of the barriers that explain it."""

    function: Function
    level: str
    degree: str
    feasible_degree: str
    override: Override | None
    rules: list[dict[str, Any]]
    categories: list[str]


@dataclass
class RecommendationChange:
    function: Function
    level: str
    before: tuple[str, str] | None
    after: tuple[str, str]


@dataclass
class Changes:
    """What differs from the previous assessment: facts (label, before, now) and degrees."""

    previous: Assessment | None = None
    facts: list[tuple[str, str, str]] = field(default_factory=list)
    recommendations: list[RecommendationChange] = field(default_factory=list)
    # (before, now) humanitarian arrangements where they differ; "" where one decided none
    arrangement: tuple[str, str] | None = None


@dataclass
class MissionReportData:
    """Everything a mission report shows."""

    mission: Mission
    assessment: Assessment
    evaluation: Evaluation | None
    reason: str
    rulebook: Rulebook | None
    context: list[tuple[str, str]]
    functions: list[FunctionRows]
    outside_mandate: list[Function]
    gaps: list[Gap]
    levels_assessed: int
    barrier_register: list[tuple[str, list[Barrier]]]
    top_barriers: list[Barrier]
    principles: list[tuple[str, str]]
    changes: Changes
    comments: list[ReviewComment]
    overrides: list[Override]
    degree_counts: DegreeCounts
    # The annex: the assessment's scenarios against its baseline, under the published rulebook.
    options: OptionsConsidered
    # The humanitarian arrangement, where the evaluation's rulebook decides one (from 2008.1).
    arrangement: ArrangementView | None = None


def mission_report_assessment_get(*, mission: Mission, assessment_id: int | None = None):
    """The assessment a mission report is about: the one named, or the mission's latest."""
    assessments = Assessment.objects.filter(mission=mission).order_by("-as_of", "-id")
    if assessment_id is not None:
        return assessments.filter(pk=assessment_id).first()
    return assessments.first()


def context_rows(assessment: Assessment) -> list[tuple[str, str]]:
    """(label, value shown) of each context fact."""
    rows = []
    for name in CONTEXT_FACTS:
        model_field = Assessment._meta.get_field(name)
        value = getattr(assessment, name)
        if model_field.choices:
            shown = getattr(assessment, f"get_{name}_display")()
        elif value is None:
            shown = "—"
        elif isinstance(value, bool):
            shown = gettext("yes") if value else gettext("no")
        else:
            shown = str(value)
        rows.append((str(model_field.verbose_name), str(shown)))
    return rows


def _recommendations(evaluation_id: int | None) -> list[Recommendation]:
    if evaluation_id is None:
        return []
    return list(
        Recommendation.objects.filter(evaluation_id=evaluation_id)
        .select_related("function")
        .order_by("function__position", "level")
    )


def _function_rows(
    function_rows: list[FunctionAssessment], recommendations: list[Recommendation], texts, overrides
) -> tuple[list[FunctionRows], list[Function]]:
    """The functions with recommendations, and those outside the mandate."""
    rows = {row.function_id: row for row in function_rows}
    override_at = {(o.function_id, o.level): o for o in overrides}
    functions: dict[int, FunctionRows] = {}
    for rec in recommendations:
        item = functions.setdefault(
            rec.function_id,
            FunctionRows(
                function=rec.function,
                desired_impact=rows[rec.function_id].desired_impact
                if rec.function_id in rows
                else "",
                lead=rec.lead,
            ),
        )
        item.levels.append(
            LevelRow(
                level=rec.level,
                degree=rec.degree,
                feasible_degree=rec.feasible_degree,
                override=override_at.get((rec.function_id, rec.level)),
                rules=texts.rules(rec.function.code, rec.level, rec.rules),
            )
        )
        item.barriers.extend(texts.barriers(rec.function.code, rec.level, rec.barriers))
    for item in functions.values():
        item.levels.sort(key=lambda level: level_index(level.level))
    outside = [
        row.function
        for row in sorted(rows.values(), key=lambda row: row.function.position)
        if not row.in_mandate
    ]
    return list(functions.values()), outside


def mission_report_data(*, assessment_id: int, top_barriers_count: int = 5) -> MissionReportData:
    """Everything a mission report shows, for one assessment (with or without a current
    evaluation: without one, the report says it is not evaluated yet).

    Seven queries (eight with a previous assessment to compare with) whatever the number of
    functions, and two more with scenarios whatever their number (tests/reports/).
    """
    assessment = Assessment.objects.select_related("mission", "current_evaluation__rulebook").get(
        pk=assessment_id
    )
    evaluation = assessment.current_evaluation
    recommendations = _recommendations(evaluation.pk if evaluation else None)
    texts = engine_texts_get(evaluation=evaluation)
    overrides = list(
        Override.objects.filter(assessment=assessment)
        .select_related("function", "author")
        .order_by("function__position", "level")
    )
    function_rows = list(
        FunctionAssessment.objects.filter(assessment=assessment).select_related("function")
    )
    functions, outside_mandate = _function_rows(function_rows, recommendations, texts, overrides)
    barriers = barriers_merged([(item.function, item.barriers) for item in functions])
    previous = (
        Assessment.objects.filter(mission=assessment.mission)
        .filter(as_of__lte=assessment.as_of)
        .exclude(pk=assessment.pk)
        .select_related("current_evaluation")  # its humanitarian arrangement, in the same query
        .order_by("-as_of", "-id")
        .first()
    )
    return MissionReportData(
        mission=assessment.mission,
        assessment=assessment,
        evaluation=evaluation,
        reason=texts.reason(evaluation.reason) if evaluation else "",
        rulebook=evaluation.rulebook if evaluation else None,
        context=context_rows(assessment),
        functions=functions,
        outside_mandate=outside_mandate,
        gaps=_gaps(functions),
        levels_assessed=len(recommendations),
        barrier_register=barrier_register(barriers),
        top_barriers=top_barriers(barriers, top_barriers_count),
        principles=_principles_cited(recommendations),
        changes=_changes(assessment, previous, recommendations),
        comments=list(ReviewComment.objects.filter(assessment=assessment).select_related("author")),
        overrides=overrides,
        degree_counts=_degree_counts(recommendations),
        options=mission_report_options(assessment=assessment, rows=function_rows),
        arrangement=arrangement_view(
            stored=evaluation.humanitarian_arrangement if evaluation else None,
            texts=texts,
            barriers=[
                barrier
                for item in functions
                if item.function.code == HUMANITARIAN_FUNCTION
                for barrier in item.barriers
            ],
        ),
    )


def _gaps(functions: list[FunctionRows]) -> list[Gap]:
    gaps = []
    for item in functions:
        for level in item.levels:
            if level.degree == level.feasible_degree:
                continue
            categories: list[str] = []
            for barrier in item.barriers:
                if barrier["level"] == level.level and barrier["category"] not in categories:
                    categories.append(barrier["category"])
            gaps.append(
                Gap(
                    function=item.function,
                    level=level.level,
                    degree=level.degree,
                    feasible_degree=level.feasible_degree,
                    override=level.override,
                    rules=level.rules,
                    categories=categories,
                )
            )
    return gaps


def _principles_cited(recommendations: list[Recommendation]) -> list[tuple[str, str]]:
    """(id, short name) of every principle the report's rules cite, P1 before P10."""
    cited = {rule.get("principle", "") for rec in recommendations for rule in rec.rules}
    cited.discard("")

    def number(pid: str) -> tuple[int, str]:
        digits = pid.lstrip("P")
        return (int(digits), pid) if digits.isdigit() else (999, pid)

    return [(pid, str(PRINCIPLE_NAMES.get(pid, ""))) for pid in sorted(cited, key=number)]


def _changes(
    assessment: Assessment, previous: Assessment | None, recommendations: list[Recommendation]
) -> Changes:
    """Facts and recommendations that differ from the previous assessment's."""
    if previous is None:
        return Changes()
    before_context = dict(context_rows(previous))
    facts = [
        (label, before_context[label], value)
        for label, value in context_rows(assessment)
        if before_context[label] != value
    ]
    before = {
        (rec.function_id, rec.level): rec
        for rec in _recommendations(previous.current_evaluation_id)
    }
    changed = []
    for rec in recommendations:
        old = before.get((rec.function_id, rec.level))
        old_pair = (old.degree, old.feasible_degree) if old else None
        if old_pair != (rec.degree, rec.feasible_degree):
            changed.append(
                RecommendationChange(
                    function=rec.function,
                    level=rec.level,
                    before=old_pair,
                    after=(rec.degree, rec.feasible_degree),
                )
            )
    arrangements = (_arrangement(previous), _arrangement(assessment))
    return Changes(
        previous=previous,
        facts=facts,
        recommendations=changed,
        arrangement=arrangements if arrangements[0] != arrangements[1] else None,
    )


def _arrangement(assessment: Assessment) -> str:
    """The arrangement of an assessment's current evaluation (loaded with it), or ""."""
    evaluation = assessment.current_evaluation
    stored = evaluation.humanitarian_arrangement if evaluation else None
    return stored["arrangement"] if stored else ""


def _degree_counts(recommendations: list[Recommendation]) -> DegreeCounts:
    """{"degree"|"feasible_degree": {level: Counter(degree)}} for the charts."""
    counts: DegreeCounts = {
        "degree": {level: Counter() for level in LEVELS},
        "feasible_degree": {level: Counter() for level in LEVELS},
    }
    for rec in recommendations:
        counts["degree"][rec.level][rec.degree] += 1
        counts["feasible_degree"][rec.level][rec.feasible_degree] += 1
    return counts
