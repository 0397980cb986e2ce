"""Writes to assessments. Every write goes through here; views and the API only validate shape."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from assessments.exceptions import (
    AssessmentIncomplete,
    AssessmentMandateEmpty,
    AssessmentNotEditable,
    StaleAssessment,
)
from assessments.facts import CONTEXT_FACTS, FUNCTION_FACTS
from assessments.models import (
    Assessment,
    Evaluation,
    FunctionAssessment,
    HistoryEntry,
    Recommendation,
)
from assessments.selectors import assessment_facts_get
from integration import engine
from integration.models import Rulebook
from integration.services import rulebook_published_get
from missions.models import Function, Mission

EDITABLE_STATUSES = (Assessment.Status.DRAFT, Assessment.Status.RETURNED)
FUNCTION_FIELDS = ("in_mandate", *FUNCTION_FACTS, "desired_impact")


def assessment_create(*, mission: Mission, by, as_of: dt.date | None = None) -> Assessment:
    """A new draft, prefilled from the mission's previous assessment (or the catalogue)."""
    previous = (
        Assessment.objects.filter(mission=mission)
        .prefetch_related("function_assessments__involved_entities")
        .order_by("-as_of", "-id")
        .first()
    )
    with transaction.atomic():
        if previous is not None:
            facts = {name: getattr(previous, name) for name in CONTEXT_FACTS}
        else:
            # The other facts start from their defaults in the engine's table.
            facts = {"presence_type": mission.presence_type}
        assessment = Assessment.objects.create(
            mission=mission,
            as_of=as_of or timezone.localdate(),
            created_by=by,
            updated_by=by,
            **facts,
        )
        previous_rows = (
            {row.function_id: row for row in previous.function_assessments.all()}
            if previous
            else {}
        )
        for function in Function.objects.all():
            source = previous_rows.get(function.pk)
            if source is not None:
                row = FunctionAssessment.objects.create(
                    assessment=assessment,
                    function=function,
                    **{name: getattr(source, name) for name in FUNCTION_FIELDS},
                )
                row.involved_entities.set(source.involved_entities.all())
            else:
                FunctionAssessment.objects.create(
                    assessment=assessment,
                    function=function,
                    dimensions=list(function.default_dimensions),
                )
        history_record(
            assessment_id=assessment.pk,
            by=by,
            action=HistoryEntry.Action.CREATED,
            changes={"prefilled_from": previous.pk if previous else None},
        )
    return assessment


def assessment_update(
    *,
    assessment_id: int,
    by,
    expected_version: int,
    context: dict[str, Any],
    functions: dict[str, dict[str, Any]],
) -> Assessment:
    """Save validated facts if nobody saved since `expected_version`; bump the version.

    `context` holds assessment fields (facts, as_of, notes); `functions` maps a function code to
    its FunctionAssessment fields (and optionally `involved_entities`). Raises StaleAssessment
    when the version moved, AssessmentNotEditable when the assessment is not a draft or returned.
    """
    with transaction.atomic():
        current = Assessment.objects.select_for_update().get(pk=assessment_id)
        if current.status not in EDITABLE_STATUSES:
            status = current.get_status_display()
            raise AssessmentNotEditable(f"Assessment {assessment_id} is {status}: it is read-only.")
        updated = Assessment.objects.filter(pk=assessment_id, version=expected_version).update(
            version=F("version") + 1, updated_by=by, updated_at=timezone.now(), **context
        )
        if not updated:
            raise StaleAssessment(assessment_id, expected_version, current.version)
        changes = _diff("", current, context)
        rows = {
            row.function.code: row
            for row in FunctionAssessment.objects.filter(
                assessment_id=assessment_id
            ).select_related("function")
        }
        for code, values in functions.items():
            row = rows[code]
            values = dict(values)
            entities = values.pop("involved_entities", None)
            changes |= _diff(f"{code}.", row, values)
            for name, value in values.items():
                setattr(row, name, value)
            row.save()
            if entities is not None:
                row.involved_entities.set(entities)
        history_record(
            assessment_id=assessment_id, by=by, action=HistoryEntry.Action.SAVED, changes=changes
        )
    return Assessment.objects.get(pk=assessment_id)


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str | list):
        return value
    return str(value)


def _same(before: Any, after: Any) -> bool:
    # Dimensions are a set stored as a list: forms post them in vocabulary order, the catalogue
    # stores them in its own, and neither order means anything.
    if isinstance(before, list) and isinstance(after, list | tuple):
        return sorted(map(str, before)) == sorted(map(str, after))
    return before == after


def _diff(prefix: str, instance: Any, values: dict[str, Any]) -> dict[str, list[Any]]:
    """{prefix+field: [before, after]} for each value that differs from the instance's."""
    return {
        f"{prefix}{name}": [_jsonable(getattr(instance, name)), _jsonable(value)]
        for name, value in values.items()
        if not _same(getattr(instance, name), value)
    }


def history_record(*, assessment_id: int, by, action: str, changes: dict | None = None) -> None:
    """Append to an assessment's history. Caller is inside the write's transaction."""
    HistoryEntry.objects.create(
        assessment_id=assessment_id, actor=by, action=action, changes=changes or {}
    )


# --- evaluation -----------------------------------------------------------------------------


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


def _recommendation_values(
    *, evaluation_id: int, decision: dict[str, Any] | engine.Decision, functions: dict[str, int]
) -> list[tuple[Any, ...]]:
    """One tuple per (function, level), in _RECOMMENDATION_COLUMNS order.

    `decision` is the public JSON shape, or (in bulk re-evaluation) the engine's Decision, whose
    rows keep the engine's FiredRule and Barrier tuples for _recommendations_insert to encode."""
    rows = []
    if isinstance(decision, engine.Decision):
        for item in decision.recommendations:
            function_id, barriers = functions[item.function], item.barriers
            for level, answer in item.levels.items():
                rows.append(
                    (
                        evaluation_id,
                        function_id,
                        level,
                        item.lead,
                        answer.degree,
                        answer.feasible_degree,
                        answer.rules,
                        tuple(b for b in barriers if b.level == level) if barriers else (),
                    )
                )
        return rows
    for item in decision["recommendations"]:
        for level, answer in item["levels"].items():
            rows.append(
                (
                    evaluation_id,
                    functions[item["function"]],
                    level,
                    item["lead"],
                    answer["degree"],
                    answer["feasible_degree"],
                    answer["rules"],
                    [b for b in item["barriers"] if b["level"] == level],
                )
            )
    return rows


_JSON = json.JSONEncoder(ensure_ascii=False)
# The JSON of a level's rules and of its barriers, by the engine's (immutable, hashable) tuples:
# 10,000 re-evaluated assessments share a few thousand distinct traces, so each is encoded once.
_ENCODED: dict[tuple, str] = {}


def _encoded(items: tuple) -> str:
    """The JSON array of FiredRule or Barrier records, as decision_to_dict would shape them."""
    text = _ENCODED.get(items)
    if text is None:
        if len(_ENCODED) > 50_000:  # bounded: a long run over varied facts starts afresh
            _ENCODED.clear()
        encode = _JSON.encode
        text = _ENCODED[items] = encode(
            [
                {"id": r.id, "principle": r.principle, "explanation": r.explanation}
                if isinstance(r, engine.FiredRule)
                else {
                    "category": r.category,
                    "level": r.level,
                    "explanation": r.explanation,
                    "remedy": r.remedy,
                }
                for r in items
            ]
        )
    return text


_COPY_TEXT: dict[tuple, str] = {}


def _copy_text(items: tuple) -> str:
    """_encoded(items) escaped for COPY's text format, cached the same way."""
    text = _COPY_TEXT.get(items)
    if text is None:
        if len(_COPY_TEXT) > 50_000:
            _COPY_TEXT.clear()
        text = _COPY_TEXT[items] = _encoded(items).replace("\\", "\\\\")
    return text


def _copy_escape(text: str) -> str:
    """A text column for COPY's text format."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _as_json_value(value: Any) -> Any:
    """A row's rules or barriers as JSONField values (engine tuples become lists of dicts)."""
    return json.loads(_encoded(value)) if isinstance(value, tuple) else value


def _recommendations_insert(rows: list[tuple[Any, ...]]) -> None:
    """Insert recommendation rows; on PostgreSQL through COPY, which is several times faster
    than INSERT for the 36 rows each evaluation writes (re-evaluation writes 360,000 for 10,000
    assessments). Other databases get bulk_create. Caller holds the transaction."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        Recommendation.objects.bulk_create(
            [
                Recommendation(
                    **dict(zip(_RECOMMENDATION_COLUMNS[:6], row[:6], strict=True)),
                    rules=_as_json_value(row[6]),
                    barriers=_as_json_value(row[7]),
                )
                for row in rows
            ],
            batch_size=2000,
        )
        return
    # COPY's text format: tab-separated, backslash-escaped. JSON from json.dumps holds no tab
    # or newline (it escapes control characters), so doubling backslashes is all it needs; the
    # other columns are ids and vocabulary values.
    # One encoder for every row: json.dumps(…, ensure_ascii=False) builds a new one per call.
    encode = _JSON.encode
    lines = []
    for row in rows:
        rules, barriers = row[6], row[7]
        if isinstance(rules, tuple):  # the engine's records: encoded and escaped once each
            rules = _copy_text(rules)
        else:
            rules = encode(rules).replace("\\", "\\\\")
        if not barriers:
            barriers = "[]"
        elif isinstance(barriers, tuple):
            barriers = _copy_text(barriers)
        else:
            barriers = encode(barriers).replace("\\", "\\\\")
        lines.append(
            f"{row[0]}\t{row[1]}\t{row[2]}\t{row[3]}\t{row[4]}\t{row[5]}\t{rules}\t{barriers}"
        )
    data = ("\n".join(lines) + "\n").encode()
    table = Recommendation._meta.db_table
    with connection.cursor() as cursor:
        # One read of the whole batch (psycopg2 reads 8 KB at a time by default): each read
        # takes the GIL back, and re-evaluation stores from a second thread while the first
        # computes, so 2,000 small reads a batch meant 2,000 waits for the interpreter.
        cursor.cursor.copy_expert(
            f"COPY {table} ({', '.join(_RECOMMENDATION_COLUMNS)}) FROM STDIN",
            io.BytesIO(data),
            size=len(data),
        )


_EVALUATION_COLUMNS = (
    "id",
    "assessment_id",
    "rulebook_id",
    "assessment_version",
    "facts",
    "applicable",
    "reason",
    "trigger",
    "created_at",
    "created_by_id",
)


def _evaluations_copy(evaluations: list[Evaluation]) -> None:
    """Insert unsaved evaluations through COPY, ids drawn from the table's sequence first
    (bulk_create's INSERT costs several times more per row, and re-evaluation writes 10,000).
    Sets each instance's pk and created_at. PostgreSQL only; caller holds the transaction."""
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
        encode = _JSON.encode
        lines = []
        for pk, evaluation in zip(ids, evaluations, strict=True):
            evaluation.pk, evaluation.created_at = pk, now
            lines.append(
                "\t".join(
                    (
                        str(pk),
                        str(evaluation.assessment_id),
                        str(evaluation.rulebook_id),
                        str(evaluation.assessment_version),
                        _copy_escape(encode(evaluation.facts)),
                        "t" if evaluation.applicable else "f",
                        _copy_escape(evaluation.reason),
                        evaluation.trigger,
                        now.isoformat(),
                        "\\N"
                        if evaluation.created_by_id is None
                        else str(evaluation.created_by_id),
                    )
                )
            )
        data = ("\n".join(lines) + "\n").encode()
        cursor.cursor.copy_expert(
            f"COPY {table} ({', '.join(_EVALUATION_COLUMNS)}) FROM STDIN",
            io.BytesIO(data),
            size=len(data),
        )
    for evaluation in evaluations:
        evaluation._state.adding = False
        evaluation._state.db = connection.alias


def _applicable(decision: dict[str, Any] | engine.Decision) -> bool:
    return decision.applicable if isinstance(decision, engine.Decision) else decision["applicable"]


def _reason(decision: dict[str, Any] | engine.Decision) -> str:
    if isinstance(decision, engine.Decision):
        return decision.reason or ""
    return decision.get("reason") or ""


def evaluation_decide(*, facts: dict[str, Any], rulebook) -> dict[str, Any]:
    """The engine's answer (without what-if) as the public JSON shape. Pure: no database."""
    decision = engine.evaluate(engine.facts_from_dict(facts), rulebook, what_if=False)
    return engine.decision_to_dict(decision)


def evaluations_store(
    *,
    items: list[tuple[Any, dict[str, Any], dict[str, Any]]],
    rulebook: Rulebook,
    trigger: str,
    by=None,
) -> list[Evaluation]:
    """Store evaluations (assessment, facts, decision) in bulk and point each assessment at its
    new one, in one transaction. The caller decides; this only writes.

    `assessment` needs only `pk` and `version` (an Assessment, or a lighter record in bulk
    re-evaluation): the version the facts were read at. An assessment saved or submitted since
    then keeps its current evaluation and gets none from this batch (its facts moved); returns
    the evaluations stored, so the caller can tell which were not. An Assessment instance also
    gets its `current_evaluation` set.
    """
    functions = dict(Function.objects.values_list("code", "id"))
    with transaction.atomic():
        if trigger == Evaluation.Trigger.REEVALUATE and connection.vendor == "postgresql":
            # Re-evaluation writes derived, recomputable rows in large batches: it need not wait
            # for each batch's WAL flush. A crash can only lose whole recent batches (their
            # assessments keep their previous evaluation, consistently), never corrupt them.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        evaluations = [
            Evaluation(
                assessment_id=assessment.pk,
                rulebook=rulebook,
                assessment_version=assessment.version,
                facts=facts,
                applicable=_applicable(decision),
                reason=_reason(decision),
                trigger=trigger,
                created_by=by,
            )
            for assessment, facts, decision in items
        ]
        if trigger == Evaluation.Trigger.REEVALUATE and connection.vendor == "postgresql":
            _evaluations_copy(evaluations)
        else:
            evaluations = Evaluation.objects.bulk_create(evaluations)
        _recommendations_insert(
            [
                row
                for evaluation, (_a, _f, decision) in zip(evaluations, items, strict=True)
                for row in _recommendation_values(
                    evaluation_id=evaluation.pk, decision=decision, functions=functions
                )
            ]
        )
        current = _current_evaluations_point(
            [(a.pk, a.version, e.pk) for (a, _f, _d), e in zip(items, evaluations, strict=True)]
        )
        if len(current) != len(items):
            # Computed from facts that have changed since: never current, so not kept either
            # (the newest evaluation of an assessment is its current one).
            Evaluation.objects.filter(
                pk__in=[e.pk for e in evaluations if e.assessment_id not in current]
            ).delete()
    stored = []
    for (assessment, _f, _d), evaluation in zip(items, evaluations, strict=True):
        if evaluation.assessment_id not in current:
            continue
        stored.append(evaluation)
        if isinstance(assessment, Assessment):
            assessment.current_evaluation = evaluation
    return stored


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


def assessment_evaluate(
    *, assessment_id: int, by=None, trigger: str = Evaluation.Trigger.ON_DEMAND
) -> Evaluation:
    """Compute and store recommendations for an assessment under the published rulebook.

    Reads the facts under the assessment's row lock, so no save slips in before the store.
    Raises AssessmentMandateEmpty when no function is in the mandate.
    """
    rulebook, compiled = rulebook_published_get()
    with transaction.atomic():
        assessment = Assessment.objects.select_for_update().get(pk=assessment_id)
        facts = assessment_facts_get(assessment_id=assessment_id)
        if not facts["functions"]:
            raise AssessmentMandateEmpty(assessment_id)
        decision = evaluation_decide(facts=facts, rulebook=compiled)
        (evaluation,) = evaluations_store(
            items=[(assessment, facts, decision)], rulebook=rulebook, trigger=trigger, by=by
        )
    return evaluation


def assessment_submit(*, assessment_id: int, by, expected_version: int) -> Assessment:
    """Freeze the facts, compute recommendations, move to 'submitted'.

    Needs the desired impact of every function in the mandate (AssessmentIncomplete), at least
    one function in the mandate (AssessmentMandateEmpty), a draft or returned assessment
    (AssessmentNotEditable) and the version the caller read (StaleAssessment).
    """
    with transaction.atomic():
        current = Assessment.objects.select_for_update().get(pk=assessment_id)
        if current.status not in EDITABLE_STATUSES:
            status = current.get_status_display()
            raise AssessmentNotEditable(f"Assessment {assessment_id} is {status}: it is read-only.")
        if current.version != expected_version:
            raise StaleAssessment(assessment_id, expected_version, current.version)
        missing = {
            row.function.code: f"{row.function.name}: the desired impact is required."
            for row in current.function_assessments.select_related("function")
            if row.in_mandate and not row.desired_impact.strip()
        }
        if missing:
            raise AssessmentIncomplete(missing)
        if not current.function_assessments.filter(in_mandate=True).exists():
            raise AssessmentMandateEmpty(assessment_id)
        Assessment.objects.filter(pk=assessment_id).update(
            status=Assessment.Status.SUBMITTED,
            version=F("version") + 1,
            updated_by=by,
            updated_at=timezone.now(),
        )
        history_record(assessment_id=assessment_id, by=by, action=HistoryEntry.Action.SUBMITTED)
        assessment_evaluate(assessment_id=assessment_id, by=by, trigger=Evaluation.Trigger.SUBMIT)
    return Assessment.objects.get(pk=assessment_id)
