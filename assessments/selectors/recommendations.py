"""The recommendation matrix of one assessment, and whether its facts moved since."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from assessments.engine_texts import engine_texts_get
from assessments.models import (
    EDITABLE_STATUSES,
    Assessment,
    FunctionAssessment,
    Override,
    Recommendation,
)
from assessments.selectors import rule_titles
from assessments.selectors.arrangement import (
    HUMANITARIAN_FUNCTION,
    ArrangementView,
    arrangement_view,
)
from assessments.selectors.facts import facts_dict_build
from assessments.selectors.labels import LEVELS, PRINCIPLE_NAMES, degree_rank
from integration.services import rulebook_engine_get
from missions.models import Function

# The what-ifs a cell shows unfolded: those that raise what is feasible, at most this many.
WHAT_IFS_SHOWN = 3


@dataclass
class MatrixCell:
    """One (function, level): the answer, why, what stands in its way, what would move it."""

    function_code: str
    level: str
    degree: str
    feasible_degree: str
    rules: list[dict[str, Any]]
    barriers: list[dict[str, Any]]
    # The engine's what-if sentences for this cell, in the language the matrix was read in,
    # those that raise the feasible degree (the answer to plan for) first.
    what_ifs: list[str] = field(default_factory=list)
    raising: int = 0  # how many of `what_ifs`, from the first, raise the feasible degree
    override: Override | None = None
    override_url: str = ""  # set by the view for users who may override

    @property
    def constrained(self) -> bool:
        """The context allows less than the desired impact calls for."""
        return degree_rank(self.feasible_degree) < degree_rank(self.degree)

    @property
    def plan_degree(self) -> str:
        """What to plan for: an HQ override, else what today's context allows."""
        return self.override.degree if self.override else self.feasible_degree

    @property
    def blocking_categories(self) -> list[str]:
        """The categories of the barriers at this level, each once, in the trace's order."""
        return list(dict.fromkeys(barrier["category"] for barrier in self.barriers))

    def _rules_in(self, role: str) -> list[dict[str, Any]]:
        return [rule for rule in self.rules if rule.get("role") == role]

    @property
    def decided_rules(self) -> list[dict[str, Any]]:
        return self._rules_in(rule_titles.DECIDED)

    @property
    def lowered_rules(self) -> list[dict[str, Any]]:
        return self._rules_in(rule_titles.LOWERED)

    @property
    def other_rules(self) -> list[dict[str, Any]]:
        """The lead and notes: rules that fired without deciding or lowering the degree."""
        return self._rules_in(rule_titles.LEAD) + self._rules_in(rule_titles.NOTE)

    @property
    def set_aside_rules(self) -> list[dict[str, Any]]:
        return self._rules_in(rule_titles.SET_ASIDE_ROLE)

    @property
    def what_ifs_shown(self) -> list[str]:
        """The suggestions that change the answer, the most helpful few: the page shows them
        and folds the others (issue 14: thirteen per cell buried the ones to act on)."""
        return self.what_ifs[: min(self.raising, WHAT_IFS_SHOWN)]

    @property
    def what_ifs_folded(self) -> list[str]:
        return self.what_ifs[len(self.what_ifs_shown) :]

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
    # The humanitarian arrangement, where the rulebook decides one (from 2008.1).
    arrangement: ArrangementView | None = None


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
    rulebook = rulebook_engine_get(rulebook=evaluation.rulebook)
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
                    for rule in rule_titles.rules_explained(
                        texts.rules(code, rec.level, rec.rules), rulebook
                    )
                ],
                barriers=texts.barriers(code, rec.level, rec.barriers),
                **_what_ifs(texts.what_ifs(code), rec.level),
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
    humanitarian = [
        barrier
        for row in rows.values()
        if row.function.code == HUMANITARIAN_FUNCTION
        for cell in row.cells
        for barrier in cell.barriers
    ]
    matrix = Matrix(
        applicable=True,
        reason="",
        rows=list(rows.values()),
        out_of_mandate=list(out_of_mandate),
        arrangement=arrangement_view(
            stored=evaluation.humanitarian_arrangement,
            texts=texts,
            barriers=humanitarian,
            rulebook=rulebook,
        ),
    )
    cells = [cell for row in matrix.rows for cell in row.cells]
    matrix.overridden = sum(1 for cell in cells if cell.override)
    matrix.constrained = sum(1 for cell in cells if cell.constrained)
    return matrix


def _what_ifs(found: list[dict[str, Any]], level: str) -> dict[str, Any]:
    """A cell's what-if sentences, those that raise the feasible degree first (the engine
    orders them so already; the sort keeps its order within each kind)."""
    mine = sorted(
        (raw for raw in found if raw["level"] == level),
        key=lambda raw: not raw.get("raises_feasible"),
    )
    return {
        "what_ifs": [raw["sentence"] for raw in mine],
        "raising": sum(1 for raw in mine if raw.get("raises_feasible")),
    }


def matrix_override_urls_set(*, matrix: Matrix, assessment_id: int) -> None:
    """Give each cell the address of its override form (for a reviewer of a reviewable
    assessment: the caller decides)."""
    for row in matrix.rows:
        for cell in row.cells:
            cell.override_url = reverse(
                "assessment-override", args=[assessment_id, cell.function_code, cell.level]
            )


def evaluation_is_stale(*, assessment: Assessment) -> bool:
    """Whether a draft's (or returned assessment's) facts moved since its current evaluation.

    Compares the facts with the evaluation's snapshot rather than version numbers, because
    review steps bump the version without touching a fact. One query, for editable statuses
    only: submitted and later assessments cannot change their facts.
    """
    evaluation = assessment.current_evaluation
    if evaluation is None or assessment.status not in EDITABLE_STATUSES:
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
