"""docs/engine.md's table of the five sample missions is what the engine answers for them: the
table computed from the sample data under the default rulebook (`manage.py sample_table`), the
evaluations `load_sample_data` stores (as after `make run` on a fresh clone), and the notes
under the table, which name cells as the table has them."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from assessments.models import Assessment
from assessments.sample_table import (
    DOC_PATH,
    LEVELS,
    SampleAnswer,
    SampleRow,
    doc_table,
    doc_with_table,
    sample_answers,
    sample_table_markdown,
)
from integration.engine.vocabulary import FUNCTIONS_BY_CODE

# A note under the table opens with the cell it explains, in bold:
#   - **MONUC · `ddr` · programmatic: full / partial**: …
#   - **UNAMID · `political_process` · lead: `joint_regional`**: …
#   - **UNAMID · arrangement: `one_foot_in`**: …
NOTE = re.compile(
    r"^- \*\*(?P<mission>[A-Z]+) · (?:`(?P<function>[a-z_]+)` · )?"
    r"(?P<what>strategic|programmatic|administrative|lead|arrangement): (?P<value>[^*]+)\*\*",
    re.MULTILINE,
)


def doc_text() -> str:
    return DOC_PATH.read_text(encoding="utf-8")


def test_docs_engine_md_holds_the_table_the_sample_data_gives() -> None:
    # If this fails, the sample data or the default rulebook changed the answers: run
    # `manage.py sample_table --write` and re-read the notes under the table.
    assert doc_table(doc_text()) == sample_table_markdown()


def _cell(answers: list[SampleAnswer], mission: str, function: str | None, what: str) -> str:
    answer = next(answer for answer in answers if answer.mission == mission)
    if what == "arrangement":
        return f"`{answer.arrangement}`"
    row = next(row for row in answer.rows if row.function == function)
    if what == "lead":
        return f"`{row.lead}`"
    degree, feasible = row.levels[LEVELS.index(what)]
    return f"{degree} / {feasible}"


def test_every_note_under_the_table_names_its_cell_as_the_table_has_it() -> None:
    answers, text = sample_answers(), doc_text()
    notes = list(NOTE.finditer(text))
    assert len(notes) >= 10
    for note in notes:
        mission, function, what = note["mission"], note["function"], note["what"]
        assert _cell(answers, mission, function, what) == note["value"].strip(), note.group()
        # each note cites the source, by section, before the next note
        body = re.split(r"\n- |\n\n", text[note.end() :], maxsplit=1)[0]
        assert "§" in body, note.group()


def test_the_table_is_rewritten_between_its_markers_only() -> None:
    text = doc_text()
    rewritten = doc_with_table(text, "| new |\n")
    assert doc_table(rewritten) == "| new |\n"
    assert rewritten.replace("| new |\n", doc_table(text)) == text


def _stored_answers() -> list[SampleAnswer]:
    answers = []
    for assessment in Assessment.objects.select_related("mission", "current_evaluation").order_by(
        "mission__acronym"
    ):
        evaluation = assessment.current_evaluation
        rows = {}
        for stored in evaluation.recommendations.select_related("function"):
            rows.setdefault(stored.function.code, {})[stored.level] = stored
        answers.append(
            SampleAnswer(
                mission=assessment.mission.acronym,
                rows=tuple(
                    SampleRow(
                        assessment.mission.acronym,
                        code,
                        tuple(
                            (levels[level].degree, levels[level].feasible_degree)
                            for level in LEVELS
                        ),
                        levels["strategic"].lead,
                    )
                    for code, levels in sorted(
                        rows.items(), key=lambda pair: list(FUNCTIONS_BY_CODE).index(pair[0])
                    )
                ),
                arrangement=(evaluation.humanitarian_arrangement or {}).get("arrangement"),
                applicable=evaluation.applicable,
            )
        )
    return answers


@pytest.mark.django_db
def test_the_evaluations_stored_by_loading_the_sample_data_match_the_table(capsys) -> None:
    # what `make run` does on a fresh clone: load the sample data, which evaluates each
    # assessment under the default rulebook and stores the answers
    call_command("load_sample_data")
    capsys.readouterr()
    assert sample_table_markdown(_stored_answers()) == doc_table(doc_text())


def test_the_command_prints_the_table(capsys) -> None:
    call_command("sample_table")
    assert capsys.readouterr().out == sample_table_markdown()
