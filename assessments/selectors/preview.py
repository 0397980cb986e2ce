"""The live preview on the edit page: the engine's answer to the facts on screen, unsaved, beside
the assessment's last saved evaluation, with each cell that would move marked and how.

Nothing here writes: the facts come from the validated forms (their unsaved instances), the
engine is pure, and the only read is the saved evaluation's cells.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from assessments.engine_texts import reader_language
from assessments.models import Assessment, FunctionAssessment, Recommendation
from assessments.selectors.facts import facts_dict_build
from assessments.selectors.labels import LEVELS, degree_rank
from integration import engine
from integration.services import rulebook_published_get
from missions.models import Function

# (degree, feasible degree, lead) of one saved cell.
SavedCell = tuple[str, str, str]


@dataclass(frozen=True)
class PreviewCell:
    """One (function, level) as the facts on screen would have it, and as last saved."""

    function_code: str
    level: str
    degree: str
    feasible_degree: str
    saved_degree: str | None  # None: the saved evaluation has no answer for this cell
    saved_feasible_degree: str | None

    @property
    def constrained(self) -> bool:
        return degree_rank(self.feasible_degree) < degree_rank(self.degree)

    @property
    def degree_moved(self) -> bool:
        return self.saved_degree is not None and self.saved_degree != self.degree

    @property
    def feasible_moved(self) -> bool:
        return (
            self.saved_feasible_degree is not None
            and self.saved_feasible_degree != self.feasible_degree
        )

    @property
    def moved(self) -> bool:
        return self.degree_moved or self.feasible_moved


@dataclass(frozen=True)
class PreviewRow:
    function: Function
    lead: str
    saved_lead: str | None
    cells: tuple[PreviewCell, ...]
    # The saved evaluation did not assess this function (it was outside the mandate then).
    new: bool = False

    @property
    def lead_moved(self) -> bool:
        return self.saved_lead is not None and self.saved_lead != self.lead


@dataclass(frozen=True)
class Preview:
    """What the preview panel shows. `errors` (fact labels and messages) replace the matrix:
    invalid input never shows a matrix, least of all a stale one."""

    errors: tuple[tuple[str, str], ...] = ()
    applicable: bool = True
    reason: str = ""
    rows: tuple[PreviewRow, ...] = ()
    rulebook_version: str = ""
    # The saved evaluation compared with, None when the assessment has none (or it had no cells).
    saved: SavedEvaluation | None = None
    no_function: bool = False
    moved: int = 0
    levels: tuple[str, ...] = tuple(LEVELS)


@dataclass(frozen=True)
class SavedEvaluation:
    """The assessment's current evaluation as the preview compares with it."""

    created_at: dt.datetime
    rulebook_version: str
    cells: dict[tuple[str, str], SavedCell]


def _saved_evaluation(assessment: Assessment) -> SavedEvaluation | None:
    """The current evaluation's cells, its date and rulebook, in one query."""
    if assessment.current_evaluation_id is None:
        return None
    rows = Recommendation.objects.filter(evaluation_id=assessment.current_evaluation_id)
    found = list(
        rows.values_list(
            "function__code",
            "level",
            "degree",
            "feasible_degree",
            "lead",
            "evaluation__created_at",
            "evaluation__rulebook__version",
        )
    )
    if not found:  # not applicable, or no function in it: nothing to compare cell by cell
        return None
    return SavedEvaluation(
        created_at=found[0][5],
        rulebook_version=found[0][6],
        cells={(row[0], row[1]): (row[2], row[3], row[4]) for row in found},
    )


def _row(
    function: Function,
    recommendation: engine.FunctionRecommendation,
    saved: dict[tuple[str, str], SavedCell],
) -> PreviewRow:
    code = function.code
    cells = []
    for level in LEVELS:
        answer = recommendation.levels[level]
        before = saved.get((code, level))
        cells.append(
            PreviewCell(
                function_code=code,
                level=level,
                degree=answer.degree,
                feasible_degree=answer.feasible_degree,
                saved_degree=before[0] if before else None,
                saved_feasible_degree=before[1] if before else None,
            )
        )
    first = saved.get((code, LEVELS[0]))
    return PreviewRow(
        function=function,
        lead=recommendation.lead,
        saved_lead=first[2] if first else None,
        cells=tuple(cells),
        new=bool(saved) and first is None,
    )


def assessment_preview_get(
    *, assessment: Assessment, rows: list[FunctionAssessment], language: str | None = None
) -> Preview:
    """The engine's answer to `assessment` and `rows` as they are in memory (the edit forms'
    unsaved instances), against the assessment's current evaluation. The not-applicable reason
    reads in `language` (default: the active one).

    `rows` must carry their `function`. Two queries: the published rulebook, and the saved
    evaluation's cells (none when there is no evaluation yet).
    """
    facts = facts_dict_build(assessment=assessment, rows=rows)
    rulebook, compiled = rulebook_published_get()
    if not facts["functions"]:
        return Preview(no_function=True, rulebook_version=rulebook.version)
    try:
        decision = engine.evaluate(
            engine.facts_from_dict(facts), compiled, language=reader_language(language)
        )
    except engine.FactError as error:  # the forms refuse these first; the engine is the backstop
        return Preview(errors=((error.path, error.message),))
    if not decision.applicable:
        return Preview(
            applicable=False, reason=decision.reason or "", rulebook_version=rulebook.version
        )
    saved = _saved_evaluation(assessment)
    cells = saved.cells if saved else {}
    functions = {row.function.code: row.function for row in rows}
    preview_rows = tuple(
        _row(functions[item.function], item, cells) for item in decision.recommendations
    )
    return Preview(
        rows=preview_rows,
        rulebook_version=rulebook.version,
        saved=saved,
        moved=sum(1 for row in preview_rows for cell in row.cells if cell.moved),
    )
