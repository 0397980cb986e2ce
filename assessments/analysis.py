"""Reads for the analysis pages: the recommendation matrix, comparisons and the mission timeline.

Every selector here reads stored rows (evaluations, recommendations, overrides) with a fixed
number of queries, whatever the number of functions, assessments or missions. The only thing
computed on read is the what-if list (and, for a French reader, the engine's texts in French),
which the engine derives from the evaluation's own facts snapshot and rulebook: pure CPU, no
queries (engine_texts.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.engine_texts import engine_texts_get
from assessments.facts import CONTEXT_FACTS, FACT_VOCABULARIES, FUNCTION_FACTS
from assessments.models import (
    Assessment,
    FunctionAssessment,
    Override,
    Recommendation,
)
from assessments.selectors import facts_dict_build
from integration.engine import vocabulary as v
from missions.models import Function, Mission

LEVELS = v.values(v.LEVELS)
_EDITABLE_STATUSES = (Assessment.Status.DRAFT, Assessment.Status.RETURNED)

# Principle names of domain.md §5, for citations beside a rule's id.
PRINCIPLE_NAMES = {
    "P1": gettext_lazy("Strategic primacy"),
    "P2": gettext_lazy("Full only when necessary"),
    "P3": gettext_lazy("Partial as system-wide default"),
    "P4": gettext_lazy("Conflicting imperatives lead to parallel structures"),
    "P5": gettext_lazy("Form follows function"),
    "P6": gettext_lazy("Phase and violence"),
    "P7": gettext_lazy("Humanitarian space"),
    "P8": gettext_lazy("Neutral NGOs"),
    "P9": gettext_lazy("Administrative enablers"),
    "P10": gettext_lazy("Funding"),
    "P11": gettext_lazy("Reversibility"),
    "P12": gettext_lazy("No duplication"),
    "P13": gettext_lazy("Regional organisations"),
    "P14": gettext_lazy("National capacity and ownership"),
    "P15": gettext_lazy("Quick impact projects"),
    "P16": gettext_lazy("Applicability"),
}

# Function facts compared between two assessments (desired impact is free text, shown escaped).
COMPARED_FUNCTION_FACTS = ("in_mandate", *FUNCTION_FACTS, "desired_impact")


def fact_label(name: str) -> str:
    """The translated name of a context fact or function fact (`phase`, `function.dimensions`)."""
    name = name.removeprefix("context.")
    if name.startswith("function."):
        return str(FunctionAssessment._meta.get_field(name.removeprefix("function.")).verbose_name)
    return str(Assessment._meta.get_field(name).verbose_name)


def fact_value_label(name: str, value: Any) -> str:
    """A fact's value as a translated label: vocabulary label, yes/no, number or list."""
    name = name.removeprefix("context.").removeprefix("function.")
    if value is None:
        return _("none")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    vocabulary = FACT_VOCABULARIES.get(name)
    if isinstance(value, list | tuple):
        # In vocabulary order (unknown values last), so the same set always reads the same.
        labels = dict(vocabulary or ())
        rank = {item: position for position, item in enumerate(labels)}
        items = sorted(value, key=lambda item: (rank.get(item, len(rank)), str(item)))
        return ", ".join(_(labels[item]) if item in labels else str(item) for item in items)
    if vocabulary is not None:
        text = dict(vocabulary).get(value)
        return _(text) if text else str(value)
    return str(value)


def degree_rank(degree: str) -> int:
    """parallel 0 < partial 1 < full 2."""
    return v.DEGREE_ORDER[degree]


# --- the recommendation matrix ---------------------------------------------------------------


@dataclass
class MatrixCell:
    """One (function, level): the answer, why, what stands in its way, what would move it."""

    function_code: str
    level: str
    degree: str
    feasible_degree: str
    rules: list[dict[str, Any]]
    barriers: list[dict[str, Any]]
    # The engine's what-if sentences for this cell, in the language the matrix was read in.
    what_ifs: list[str] = field(default_factory=list)
    override: Override | None = None
    override_url: str = ""  # set by the view for users who may override

    @property
    def constrained(self) -> bool:
        """The context allows less than the desired impact calls for."""
        return degree_rank(self.feasible_degree) < degree_rank(self.degree)

    @property
    def anchor(self) -> str:
        return f"cell-{self.function_code}-{self.level}"


@dataclass
class MatrixRow:
    function: Function
    lead: str
    cells: list[MatrixCell]


@dataclass
class Matrix:
    """The recommendation of one evaluation, function by function and level by level."""

    applicable: bool
    reason: str
    rows: list[MatrixRow]
    overridden: int = 0
    constrained: int = 0
    # The assessment's functions outside the mission's mandate: shown, greyed, without cells.
    out_of_mandate: list[Function] = field(default_factory=list)


def recommendation_matrix_get(
    *, assessment: Assessment, what_if: bool = True, language: str | None = None
) -> Matrix | None:
    """The matrix of an assessment's current evaluation, with HQ overrides; None if none yet.

    Three queries (recommendations with their functions; overrides with their authors; the
    assessment's functions that got no recommendation, i.e. are outside the mandate).
    `assessment.current_evaluation.rulebook` must be loaded with select_related. The engine's
    texts are in `language` (default: the active one), see engine_texts.py.
    """
    evaluation = assessment.current_evaluation
    if evaluation is None:
        return None
    if not evaluation.applicable:
        texts = engine_texts_get(evaluation=evaluation, language=language)
        return Matrix(applicable=False, reason=texts.reason(evaluation.reason), rows=[])
    recommendations = (
        Recommendation.objects.filter(evaluation=evaluation)
        .select_related("function")
        .order_by("function__position", "function__code")
    )
    overrides = {
        (o.function_id, o.level): o
        for o in Override.objects.filter(assessment=assessment).select_related("author")
    }
    texts = engine_texts_get(evaluation=evaluation, language=language, what_if=what_if)
    rows: dict[int, MatrixRow] = {}
    for rec in recommendations:
        row = rows.get(rec.function_id)
        if row is None:
            row = rows[rec.function_id] = MatrixRow(function=rec.function, lead=rec.lead, cells=[])
        code = rec.function.code
        row.cells.append(
            MatrixCell(
                function_code=code,
                level=rec.level,
                degree=rec.degree,
                feasible_degree=rec.feasible_degree,
                rules=[
                    rule | {"principle_name": PRINCIPLE_NAMES.get(rule.get("principle"), "")}
                    for rule in texts.rules(code, rec.level, rec.rules)
                ],
                barriers=texts.barriers(code, rec.level, rec.barriers),
                what_ifs=[
                    raw["sentence"] for raw in texts.what_ifs(code) if raw["level"] == rec.level
                ],
                override=overrides.get((rec.function_id, rec.level)),
            )
        )
    for row in rows.values():
        row.cells.sort(key=lambda cell: LEVELS.index(cell.level))
    out_of_mandate = (
        Function.objects.filter(
            pk__in=FunctionAssessment.objects.filter(assessment=assessment).values("function_id")
        )
        .exclude(pk__in=list(rows))
        .order_by("position", "code")
    )
    matrix = Matrix(
        applicable=True, reason="", rows=list(rows.values()), out_of_mandate=list(out_of_mandate)
    )
    cells = [cell for row in matrix.rows for cell in row.cells]
    matrix.overridden = sum(1 for cell in cells if cell.override)
    matrix.constrained = sum(1 for cell in cells if cell.constrained)
    return matrix


def evaluation_is_stale(*, assessment: Assessment) -> bool:
    """Whether a draft's (or returned assessment's) facts moved since its current evaluation.

    Compares the facts with the evaluation's snapshot rather than version numbers, because
    review steps bump the version without touching a fact. One query, for editable statuses
    only: submitted and later assessments cannot change their facts.
    """
    evaluation = assessment.current_evaluation
    if evaluation is None or assessment.status not in _EDITABLE_STATUSES:
        return False
    rows = list(FunctionAssessment.objects.filter(assessment=assessment).select_related("function"))
    facts = facts_dict_build(assessment=assessment, rows=rows)
    return _facts_comparable(facts) != _facts_comparable(evaluation.facts)


def _facts_comparable(facts: dict[str, Any]) -> dict[str, Any]:
    """The facts with each function's dimensions as a sorted list: their order means nothing."""
    return {
        **facts,
        "functions": [
            {**row, "dimensions": sorted(row.get("dimensions") or ())}
            for row in facts.get("functions", ())
        ],
    }


# --- one assessment against another --------------------------------------------------------


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


# --- missions side by side -------------------------------------------------------------------


@dataclass
class MissionColumn:
    mission: Mission
    assessment: Assessment | None


@dataclass
class MissionsRow:
    function: Function
    # Per mission, in column order: (lead, [(level, degree, feasible degree)]) or None.
    answers: list[tuple[str, list[tuple[str, str, str]]] | None]

    @property
    def differs(self) -> bool:
        return len({repr(answer) for answer in self.answers}) > 1


@dataclass
class MissionsComparison:
    columns: list[MissionColumn]
    context: list[tuple[str, list[str], bool]]  # (fact label, value per mission, differs)
    rows: list[MissionsRow]


def missions_with_latest_evaluated(*, user) -> QuerySet[Mission]:
    """Visible missions, each annotated with its latest assessment that has recommendations."""
    latest = Assessment.objects.filter(
        mission=OuterRef("pk"), current_evaluation__isnull=False
    ).order_by("-as_of", "-id")
    return (
        Mission.objects.visible_to(user)
        .annotate(latest_evaluated_id=Subquery(latest.values("id")[:1]))
        .order_by("acronym")
    )


def missions_compare(*, missions: list[Mission], user) -> MissionsComparison:
    """Missions side by side: the context and answers of each one's latest evaluated assessment.

    `missions` come from missions_with_latest_evaluated. Two queries: the assessments (with
    their current evaluations), and all their recommendations with functions.
    """
    ids = [m.latest_evaluated_id for m in missions if m.latest_evaluated_id]
    assessments = {
        a.pk: a
        for a in Assessment.objects.visible_to(user)
        .filter(pk__in=ids)
        .select_related("current_evaluation")
    }
    columns = [
        MissionColumn(mission=m, assessment=assessments.get(m.latest_evaluated_id))
        for m in missions
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
    rows = []
    for function_id, function in sorted(
        functions.items(), key=lambda item: (item[1].position, item[1].code)
    ):
        answers: list[tuple[str, list[tuple[str, str, str]]] | None] = []
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
            answers.append((recs[0].lead, [(r.level, r.degree, r.feasible_degree) for r in recs]))
        rows.append(MissionsRow(function=function, answers=answers))
    context = []
    for name in CONTEXT_FACTS:
        values = [
            fact_value_label(name, getattr(c.assessment, name)) if c.assessment else "—"
            for c in columns
        ]
        context.append((fact_label(name), values, len(set(values)) > 1))
    return MissionsComparison(columns=columns, context=context, rows=rows)


# --- a mission's timeline ------------------------------------------------------------------


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
