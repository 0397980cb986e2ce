"""Storing evaluations: one engine Decision per assessment in, Evaluation and Recommendation rows
out, for one assessment (submit, on demand) and for thousands (re-evaluation) alike.

Every caller hands the same shape, `EvaluationInput`. On PostgreSQL, re-evaluation's evaluations
and every recommendation go in through COPY; the JSON of each distinct rule trace and barrier
list is encoded once and cached, since thousands of assessments share a few thousand traces
(docs/benchmarks.md has the figures). Other databases get bulk_create.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from assessments.levers_cache import levers_warm_dispatch
from assessments.models import Assessment, Evaluation, Recommendation
from integration import engine
from integration.api.read_cache import read_cache_bump
from integration.models import Rulebook
from missions.models import Function


@dataclass(frozen=True, slots=True)
class EvaluationInput:
    """One evaluation to store: the assessment, the version its facts were read at, the facts
    (the API's shape, kept as the snapshot) and the engine's answer to them."""

    assessment_id: int
    version: int
    facts: dict[str, Any]
    decision: engine.Decision


def evaluations_store(
    *, items: list[EvaluationInput], rulebook: Rulebook, trigger: str, by=None
) -> list[Evaluation]:
    """Store evaluations in bulk and point each assessment at its new one, in one transaction.
    The caller decides; this only writes.

    An assessment saved or submitted since its facts were read (its version moved) keeps its
    current evaluation and gets none from this batch; returns the evaluations stored, so the
    caller can tell which were not.
    """
    functions = dict(Function.objects.values_list("code", "id"))
    bulk = trigger == Evaluation.Trigger.REEVALUATE and connection.vendor == "postgresql"
    with transaction.atomic():
        if bulk:
            # Re-evaluation writes derived, recomputable rows in large batches: it need not wait
            # for each batch's WAL flush. A crash can only lose whole recent batches (their
            # assessments keep their previous evaluation, consistently), never corrupt them.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        evaluations = [
            Evaluation(
                assessment_id=item.assessment_id,
                rulebook=rulebook,
                assessment_version=item.version,
                facts=item.facts,
                applicable=item.decision.applicable,
                reason=item.decision.reason or "",
                humanitarian_arrangement=_arrangement_record(item.decision),
                trigger=trigger,
                created_by=by,
            )
            for item in items
        ]
        if bulk:
            _evaluations_copy(evaluations)
        else:
            evaluations = Evaluation.objects.bulk_create(evaluations)
        _recommendations_insert(
            [
                row
                for evaluation, item in zip(evaluations, items, strict=True)
                for row in _recommendation_rows(evaluation.pk, item.decision, functions)
            ]
        )
        current = _current_evaluations_point(
            [
                (item.assessment_id, item.version, e.pk)
                for item, e in zip(items, evaluations, strict=True)
            ]
        )
        if len(current) != len(items):
            # Computed from facts that have changed since: never current, so not kept either
            # (the newest evaluation of an assessment is its current one).
            Evaluation.objects.filter(
                pk__in=[e.pk for e in evaluations if e.assessment_id not in current]
            ).delete()
        # COPY, bulk inserts and the conditional UPDATE send no model signals: retire the API's
        # kept answers here (assessments/api/invalidation.py).
        read_cache_bump()
        stored = [evaluation for evaluation in evaluations if evaluation.assessment_id in current]
        # Their levers, in a task of their own once committed: reports and pages then read them
        # from the shared cache, and storing is not slowed by the lever search.
        ids = [evaluation.pk for evaluation in stored if evaluation.applicable]
        if ids:
            transaction.on_commit(lambda: levers_warm_dispatch(evaluation_ids=ids))
    return stored


def _arrangement_record(decision: engine.Decision) -> dict[str, Any] | None:
    """The decision's humanitarian arrangement as the API shapes it; None where there is none."""
    arrangement = decision.humanitarian_arrangement
    return None if arrangement is None else engine.arrangement_to_dict(arrangement)


def _current_evaluations_point(rows: list[tuple[int, int, int]]) -> set[int]:
    """Point each assessment (id, version read, evaluation id) at its evaluation if it is still
    at that version: one conditional UPDATE for the batch. Returns the ids updated. Caller holds
    the transaction."""
    if not rows:
        return set()
    if connection.vendor != "postgresql":
        return {
            pk
            for pk, version, evaluation_id in rows
            if Assessment.objects.filter(pk=pk, version=version).update(
                current_evaluation_id=evaluation_id
            )
        }
    table = connection.ops.quote_name(Assessment._meta.db_table)
    placeholders = ", ".join(["(%s, %s, %s)"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS a SET current_evaluation_id = v.evaluation_id "  # noqa: S608
            f"FROM (VALUES {placeholders}) AS v (id, version, evaluation_id) "
            "WHERE a.id = v.id AND a.version = v.version RETURNING a.id",
            [value for row in rows for value in row],
        )
        return {pk for (pk,) in cursor.fetchall()}


# --- recommendations --------------------------------------------------------------------------

_RECOMMENDATION_COLUMNS = (
    "evaluation_id",
    "function_id",
    "level",
    "lead",
    "degree",
    "feasible_degree",
    "rules",
    "barriers",
)


def _recommendation_rows(
    evaluation_id: int, decision: engine.Decision, functions: dict[str, int]
) -> list[tuple[Any, ...]]:
    """One tuple per (function, level), in _RECOMMENDATION_COLUMNS order; the rules and barriers
    stay the engine's FiredRule and Barrier tuples, for the insert to encode once each."""
    rows = []
    for item in decision.recommendations:
        function_id, barriers = functions[item.function], item.barriers
        for level, answer in item.levels.items():
            at_level = tuple(b for b in barriers if b.level == level) if barriers else ()
            rows.append(
                (
                    evaluation_id,
                    function_id,
                    level,
                    item.lead,
                    answer.degree,
                    answer.feasible_degree,
                    answer.rules,
                    at_level,
                )
            )
    return rows


def _recommendations_insert(rows: list[tuple[Any, ...]]) -> None:
    """Insert recommendation rows: through COPY on PostgreSQL (several times faster than INSERT
    for the 36 rows each evaluation writes), bulk_create elsewhere. Caller holds the
    transaction."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        Recommendation.objects.bulk_create(
            [
                Recommendation(
                    **dict(zip(_RECOMMENDATION_COLUMNS[:6], row[:6], strict=True)),
                    rules=json.loads(_encoded(row[6])),
                    barriers=json.loads(_encoded(row[7])),
                )
                for row in rows
            ],
            batch_size=2000,
        )
        return
    # COPY's text format: tab-separated, backslash-escaped. The other columns are ids and
    # vocabulary values, which need no escaping.
    lines = [
        f"{row[0]}\t{row[1]}\t{row[2]}\t{row[3]}\t{row[4]}\t{row[5]}\t"
        f"{_copy_text(row[6])}\t{_copy_text(row[7])}"
        for row in rows
    ]
    _copy(Recommendation._meta.db_table, _RECOMMENDATION_COLUMNS, lines)


# --- evaluations ------------------------------------------------------------------------------

_EVALUATION_COLUMNS = (
    "id",
    "assessment_id",
    "rulebook_id",
    "assessment_version",
    "facts",
    "applicable",
    "reason",
    "humanitarian_arrangement",
    "trigger",
    "created_at",
    "created_by_id",
)


def _evaluations_copy(evaluations: list[Evaluation]) -> None:
    """Insert unsaved evaluations through COPY, ids drawn from the table's sequence first
    (bulk_create's INSERT costs several times more per row). Sets each instance's pk and
    created_at. PostgreSQL only; caller holds the transaction."""
    if not evaluations:
        return
    table = Evaluation._meta.db_table
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, len(evaluations)],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
    lines = []
    for pk, evaluation in zip(ids, evaluations, strict=True):
        evaluation.pk, evaluation.created_at = pk, now
        created_by, arrangement = evaluation.created_by_id, evaluation.humanitarian_arrangement
        fields = (
            str(pk),
            str(evaluation.assessment_id),
            str(evaluation.rulebook_id),
            str(evaluation.assessment_version),
            _copy_escape(_JSON.encode(evaluation.facts)),
            "t" if evaluation.applicable else "f",
            _copy_escape(evaluation.reason),
            "\\N" if arrangement is None else _copy_escape(_JSON.encode(arrangement)),
            evaluation.trigger,
            now.isoformat(),
            "\\N" if created_by is None else str(created_by),
        )
        lines.append("\t".join(fields))
    _copy(table, _EVALUATION_COLUMNS, lines)
    for evaluation in evaluations:
        evaluation._state.adding = False
        evaluation._state.db = connection.alias


# --- COPY and its JSON ------------------------------------------------------------------------

# One encoder for every row: json.dumps(…, ensure_ascii=False) builds a new one per call.
_JSON = json.JSONEncoder(ensure_ascii=False)
# Caches by the engine's (immutable, hashable) tuples, bounded: a long run over varied facts
# starts afresh rather than growing without end.
_CACHE_LIMIT = 50_000
_ENCODED: dict[tuple, str] = {}
_COPY_TEXT: dict[tuple, str] = {}


def _encoded(items: tuple) -> str:
    """The JSON array of FiredRule or Barrier records, as decision_to_dict shapes them."""
    text = _ENCODED.get(items)
    if text is None:
        if len(_ENCODED) > _CACHE_LIMIT:
            _ENCODED.clear()
        text = _ENCODED[items] = _JSON.encode([_record(item) for item in items])
    return text


def _record(item: engine.FiredRule | engine.Barrier) -> dict[str, str]:
    if isinstance(item, engine.FiredRule):
        return {"id": item.id, "principle": item.principle, "explanation": item.explanation}
    return {
        "category": item.category,
        "level": item.level,
        "explanation": item.explanation,
        "remedy": item.remedy,
    }


def _copy_text(items: tuple) -> str:
    """_encoded(items) as a COPY text column. JSON holds no tab or newline (it escapes control
    characters), so doubling backslashes is all it needs."""
    text = _COPY_TEXT.get(items)
    if text is None:
        if len(_COPY_TEXT) > _CACHE_LIMIT:
            _COPY_TEXT.clear()
        text = _COPY_TEXT[items] = _encoded(items).replace("\\", "\\\\")
    return text


def _copy_escape(text: str) -> str:
    """Any text as a COPY text column."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _copy(table: str, columns: tuple[str, ...], lines: list[str]) -> None:
    """COPY `lines` (text format) into `table`. Caller holds the transaction."""
    data = ("\n".join(lines) + "\n").encode()
    with connection.cursor() as cursor:
        # One read of the whole batch (psycopg2 reads 8 KB at a time by default): each read
        # takes the GIL back, and re-evaluation stores from a second thread while the first
        # computes, so many small reads meant as many waits for the interpreter.
        cursor.cursor.copy_expert(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN", io.BytesIO(data), size=len(data)
        )
