"""The expected answers for the five sample missions (docs/engine.md, "The five sample missions
under the default rulebook"): each function in the mandate × level as degree / feasible degree,
its lead, and each assessment's humanitarian arrangement, computed from the sample data under
the default rulebook without the database. `manage.py sample_table` prints the table (`--write`
puts it into docs/engine.md); a test fails when the doc or the stored evaluations disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from assessments.sample_data import AssessmentData, missions_read
from integration.engine import Decision, default_rulebook, evaluate, facts_from_dict

DOC_PATH = Path(__file__).resolve().parents[1] / "docs" / "engine.md"
START = "<!-- sample-table:start (manage.py sample_table --write) -->"
END = "<!-- sample-table:end -->"
LEVELS = ("strategic", "programmatic", "administrative")


@dataclass(frozen=True, slots=True)
class SampleRow:
    """One function of one sample assessment: (degree, feasible degree) by level, and its lead."""

    mission: str
    function: str
    levels: tuple[tuple[str, str], ...]
    lead: str


@dataclass(frozen=True, slots=True)
class SampleAnswer:
    """One sample assessment's answer: its rows, or why policy does not apply; its arrangement."""

    mission: str
    rows: tuple[SampleRow, ...]
    arrangement: str | None
    applicable: bool


def assessment_facts_body(assessment: AssessmentData, *, whole_catalogue: bool = False) -> dict:
    """The API-shaped facts of a sample assessment: what the loader stores and evaluates (the
    functions in its mandate; with `whole_catalogue`, all twelve)."""
    return {
        "context": assessment.context,
        "functions": [
            {"function": item.code, **item.facts}
            for item in assessment.functions
            if item.in_mandate or whole_catalogue
        ],
    }


def _answer(mission: str, decision: Decision) -> SampleAnswer:
    rows = tuple(
        SampleRow(
            mission,
            item.function,
            tuple(
                (item.levels[level].degree, item.levels[level].feasible_degree) for level in LEVELS
            ),
            item.lead,
        )
        for item in decision.recommendations
    )
    arrangement = decision.humanitarian_arrangement
    return SampleAnswer(
        mission, rows, arrangement.arrangement if arrangement else None, decision.applicable
    )


def sample_answers() -> list[SampleAnswer]:
    """Every sample assessment's answer under the default rulebook, missions in file order."""
    rulebook = default_rulebook()
    return [
        _answer(mission.acronym, evaluate(facts_from_dict(assessment_facts_body(item)), rulebook))
        for mission in missions_read()
        for item in mission.assessments
    ]


def sample_table_markdown(answers: list[SampleAnswer] | None = None) -> str:
    """The table docs/engine.md holds between its markers: one row per function in a mandate
    (cells read degree / feasible), then each assessment's humanitarian arrangement."""
    answers = sample_answers() if answers is None else answers
    lines = [
        "| mission | function | strategic | programmatic | administrative | lead |",
        "|---|---|---|---|---|---|",
    ]
    for answer in answers:
        if not answer.applicable:
            lines.append(f"| {answer.mission} | (integration policy does not apply) | | | | |")
        for row in answer.rows:
            cells = " | ".join(f"{degree} / {feasible}" for degree, feasible in row.levels)
            lines.append(f"| {row.mission} | `{row.function}` | {cells} | `{row.lead}` |")
    lines += ["", "| mission | humanitarian arrangement |", "|---|---|"]
    lines += [
        f"| {answer.mission} | {f'`{answer.arrangement}`' if answer.arrangement else '—'} |"
        for answer in answers
    ]
    return "\n".join(lines) + "\n"


def doc_table(text: str) -> str:
    """The table between the markers of docs/engine.md (empty when they are missing)."""
    found = re.search(re.escape(START) + r"\n(.*?)" + re.escape(END), text, re.DOTALL)
    return found.group(1) if found else ""


def doc_with_table(text: str, table: str) -> str:
    """docs/engine.md with `table` between its markers (which must be there)."""
    if START not in text or END not in text:
        raise ValueError(f"{DOC_PATH.name} has no {START} … {END} block")
    head, rest = text.split(START, 1)
    _old, tail = rest.split(END, 1)
    return f"{head}{START}\n{table}{END}{tail}"
