"""Re-evaluating stored assessments under a rulebook, in bounded batches.

This is the one bulk path (the `reevaluate` command and the rulebook preview in the admin), so
it reads plain values instead of model instances: it must re-evaluate and store every stored
assessment within the target docs/benchmarks.md sets (bench/reevaluate.py measures it).

It compares what a planner reads: each level's degree and feasible degree, each level's barriers
(their categories) and each function's lead.
"""

from __future__ import annotations

import concurrent.futures
import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db import connection, connections
from django.db.models import TextField
from django.db.models.functions import Cast

from assessments.evaluation_storage import EvaluationInput, evaluations_store
from assessments.exceptions import AssessmentMandateEmpty
from assessments.facts import CONTEXT_FACTS, FUNCTION_FACTS
from assessments.models import (
    Assessment,
    Evaluation,
    FunctionAssessment,
    Recommendation,
)
from assessments.services import decision_compute
from integration import engine
from integration.engine import FactError
from integration.exceptions import RulebookStateError
from integration.models import Rulebook
from integration.services import rulebook_engine_get
from missions.models import Function

BATCH_SIZE = 500


@dataclass(frozen=True)
class Change:
    """One answer that moves under the new rulebook: a (function, level)'s degrees, a level's
    barriers (their categories), or a function's lead (`level` then reads "lead")."""

    assessment_id: int
    mission: str
    function: str
    level: str  # "strategic", "strategic barriers" … or "lead"
    before: str  # "degree/feasible", the barrier categories, the lead, or "not applicable"
    after: str


@dataclass(frozen=True)
class Failure:
    """An assessment the engine refused to evaluate (e.g. no function in the mandate)."""

    assessment_id: int
    mission: str
    reason: str


@dataclass
class ReevaluationResult:
    assessments: int = 0
    changed_assessments: int = 0
    changes: list[Change] = field(default_factory=list)
    # Refused by the engine: reported, and the run goes on.
    failed: list[Failure] = field(default_factory=list)
    # Saved or submitted while being re-evaluated: they keep their evaluation (run again).
    skipped: list[int] = field(default_factory=list)


# What a planner reads of one (function, level): "degree/feasible", the function's lead, and the
# categories of the level's barriers ("none" without any).
Answer = tuple[str, str, str]
_NOT_APPLICABLE: dict[tuple[str, str], Answer] = {("*", "*"): ("not applicable", "", "")}


def _categories(barriers: list[dict[str, Any]]) -> str:
    return ", ".join(sorted({barrier["category"] for barrier in barriers})) or "none"


def _answers(decision: engine.Decision) -> dict[tuple[str, str], Answer]:
    """A decision's answers by (function, level), for comparing."""
    if not decision.applicable:
        return dict(_NOT_APPLICABLE)
    answers: dict[tuple[str, str], Answer] = {}
    for item in decision.recommendations:
        function, lead, barriers = item.function, item.lead, item.barriers
        for level, answer in item.levels.items():
            at_level = {b.category for b in barriers if b.level == level} if barriers else ()
            answers[(function, level)] = (
                f"{answer.degree}/{answer.feasible_degree}",
                lead,
                ", ".join(sorted(at_level)) if at_level else "none",
            )
    return answers


def _stored_answers(
    evaluation_ids: list[int], codes: dict[int, str]
) -> dict[int, dict[tuple[str, str], Answer]]:
    answers: dict[int, dict[tuple[str, str], Answer]] = {pk: {} for pk in evaluation_ids}
    if connection.vendor == "postgresql":
        _stored_answers_aggregated(evaluation_ids, codes, answers)
    else:
        # Barriers as text: most levels have none ("[]"), and decoding every level's JSON to
        # find that out costs more than the rest of the comparison.
        rows = (
            Recommendation.objects.filter(evaluation_id__in=evaluation_ids)
            .annotate(barriers_text=Cast("barriers", TextField()))
            .values_list(
                "evaluation_id", "function_id", "level", "lead", "degree", "feasible_degree",
                "barriers_text",
            )
        )  # fmt: skip
        for evaluation_id, function_id, level, lead, degree, feasible, barriers in rows:
            answers[evaluation_id][(codes[function_id], level)] = (
                f"{degree}/{feasible}",
                lead,
                "none" if barriers == "[]" else _categories(json.loads(barriers)),
            )
    not_applicable = Evaluation.objects.filter(pk__in=evaluation_ids, applicable=False)
    for evaluation_id in not_applicable.values_list("pk", flat=True):
        answers[evaluation_id] = dict(_NOT_APPLICABLE)
    return answers


# One text per evaluation: "function level lead degree/feasible categories|…", the barrier
# categories sorted and joined as _categories joins them ("none" without any). PostgreSQL does
# the reading and joining, so Python splits one string per evaluation instead of building a row
# per level (re-evaluation is bound by the one core Python runs on; the database has the other).
_ANSWERS_SQL = """
SELECT r.evaluation_id, string_agg(
    r.function_id || ' ' || r.level || ' ' || r.lead || ' ' || r.degree || '/'
    || r.feasible_degree || ' ' || CASE WHEN r.barriers = '[]'::jsonb THEN 'none' ELSE (
        SELECT string_agg(DISTINCT (b.value ->> 'category') COLLATE "C", ', '
                          ORDER BY (b.value ->> 'category') COLLATE "C")
        FROM jsonb_array_elements(r.barriers) AS b) END,
    '|')
FROM {table} AS r WHERE r.evaluation_id = ANY(%s) GROUP BY r.evaluation_id
"""


def _stored_answers_aggregated(
    evaluation_ids: list[int],
    codes: dict[int, str],
    answers: dict[int, dict[tuple[str, str], Answer]],
) -> None:
    table = connection.ops.quote_name(Recommendation._meta.db_table)
    codes_text = {str(pk): code for pk, code in codes.items()}
    with connection.cursor() as cursor:
        cursor.execute(_ANSWERS_SQL.format(table=table), [evaluation_ids])
        for evaluation_id, text in cursor.fetchall():
            found = answers[evaluation_id]
            for entry in text.split("|"):
                function_id, level, lead, degrees, categories = entry.split(" ", 4)
                found[(codes_text[function_id], level)] = (degrees, lead, categories)


def _changes(
    row: dict[str, Any], old: dict[tuple[str, str], Answer], new: dict[tuple[str, str], Answer]
) -> list[Change]:
    """What moves between two sets of answers: degrees, barriers, and each function's lead once."""
    found: list[Change] = []
    leads: set[str] = set()
    pk, mission = row["pk"], row["mission__acronym"]
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        function, level = key
        if before is None or after is None or "*" in (function, level):
            # a function (or the whole answer) appears on one side only
            shown = (before[0] if before else "—", after[0] if after else "—")
            found.append(Change(pk, mission, function, level, *shown))
            continue
        if before[0] != after[0]:
            found.append(Change(pk, mission, function, level, before[0], after[0]))
        if before[2] != after[2]:
            found.append(Change(pk, mission, function, f"{level} barriers", before[2], after[2]))
        if before[1] != after[1] and function not in leads:
            leads.add(function)
            found.append(Change(pk, mission, function, "lead", before[1], after[1]))
    return found


def _batches() -> Iterator[list[dict[str, Any]]]:
    """Evaluated assessments as value dicts, by keyset on id: stable, bounded memory."""
    last_id = 0
    columns = ("pk", "version", "current_evaluation_id", "mission__acronym", *CONTEXT_FACTS)
    while True:
        batch = list(
            Assessment.objects.filter(current_evaluation__isnull=False, pk__gt=last_id)
            .order_by("pk")
            .values(*columns)[:BATCH_SIZE]
        )
        if not batch:
            return
        yield batch
        last_id = batch[-1]["pk"]


def _function_facts(assessment_ids: list[int], codes: dict[int, str]) -> dict[int, list[dict]]:
    """The API-shaped function facts of each assessment, in catalogue order (one query)."""
    facts: dict[int, list[dict]] = defaultdict(list)
    rows = (
        FunctionAssessment.objects.filter(assessment_id__in=assessment_ids, in_mandate=True)
        .order_by("assessment_id", "function__position")
        .values_list("assessment_id", "function_id", *FUNCTION_FACTS)
    )
    for assessment_id, function_id, *values in rows:
        facts[assessment_id].append(
            {"function": codes[function_id], **dict(zip(FUNCTION_FACTS, values, strict=True))}
        )
    return facts


def assessments_reevaluate(
    *,
    rulebook: Rulebook,
    dry_run: bool,
    make_current: bool = False,
    progress: Callable[[int], None] = lambda n: None,
) -> ReevaluationResult:
    """Recompute every evaluated assessment under `rulebook`; store unless `dry_run`.

    New evaluations are stored beside the old ones (history is kept) and become current, so
    storing under a rulebook that is not the published one needs `make_current`
    (RulebookStateError otherwise). An assessment the engine refuses is reported in `failed`
    and the run goes on; one saved or submitted while its batch was computed keeps its
    evaluation and is reported in `skipped`. The facts are built exactly as
    `selectors.facts_dict_build` builds them for one assessment.
    """
    if not dry_run and not make_current and rulebook.status != Rulebook.Status.PUBLISHED:
        raise RulebookStateError(
            f"Rulebook {rulebook.version} is {rulebook.get_status_display().lower()}, not "
            "published: storing its answers would make them current."
        )
    compiled = rulebook_engine_get(rulebook=rulebook)
    codes = dict(Function.objects.values_list("id", "code"))
    result = ReevaluationResult()
    with _Storer(rulebook=rulebook, enabled=not dry_run) as storer:
        for batch in _batches():
            before = _stored_answers([row["current_evaluation_id"] for row in batch], codes)
            functions = _function_facts([row["pk"] for row in batch], codes)
            items = []
            changes: dict[int, list[Change]] = {}
            for row in batch:
                facts = {
                    "context": {name: row[name] for name in CONTEXT_FACTS},
                    "functions": functions.get(row["pk"], []),
                }
                try:
                    if not facts["functions"]:
                        raise AssessmentMandateEmpty(row["pk"])
                    decision = decision_compute(facts=facts, rulebook=compiled)
                except FactError as exc:
                    result.failed.append(Failure(row["pk"], row["mission__acronym"], str(exc)))
                    continue
                items.append(EvaluationInput(row["pk"], row["version"], facts, decision))
                old = before[row["current_evaluation_id"]]
                changes[row["pk"]] = _changes(row, old, _answers(decision))
            storer.store(items, partial(_count, result, changes, len(batch), progress))
    return result


def _count(
    result: ReevaluationResult,
    changes: dict[int, list[Change]],
    batch_size: int,
    progress: Callable[[int], None],
    stored: set[int] | None,
) -> None:
    """Add one batch to the result once it is stored (`stored`: the assessments whose new
    evaluation became current; None on a dry run)."""
    if stored is not None:
        for pk in [pk for pk in changes if pk not in stored]:
            result.skipped.append(pk)
            del changes[pk]  # computed from facts that have moved since
    for moved in changes.values():
        result.changes.extend(moved)
        result.changed_assessments += bool(moved)
    result.assessments += len(changes)
    progress(batch_size)


class _Storer:
    """Stores each batch's evaluations, on PostgreSQL in a second thread while the next batch
    is read and computed: the engine is Python on one core, and PostgreSQL's COPY and index
    work runs on the other, so overlapping them is most of what keeps re-evaluation within its
    target on two cores (docs/benchmarks.md). At most one batch is in flight (bounded memory);
    each batch is its own transaction either way, as evaluations_store makes it.

    Inside a caller's transaction (tests, the admin preview) a second connection would not see
    that transaction's rows, so storing then stays on the caller's connection, in order."""

    def __init__(self, *, rulebook: Rulebook, enabled: bool) -> None:
        self.rulebook = rulebook
        self.enabled = enabled
        self.threaded = (
            enabled and connection.vendor == "postgresql" and not (connection.in_atomic_block)
        )
        self.executor: ThreadPoolExecutor | None = None
        self.pending: _InFlight | None = None

    def __enter__(self) -> _Storer:
        if self.threaded:
            self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reevaluate")
        return self

    def _store(self, items) -> set[int]:
        if not items:
            return set()
        stored = evaluations_store(
            items=items, rulebook=self.rulebook, trigger=Evaluation.Trigger.REEVALUATE
        )
        return {evaluation.assessment_id for evaluation in stored}

    def _wait(self) -> None:
        if self.pending is not None:
            pending, self.pending = self.pending, None
            stored = pending.future.result()
            pending.done(stored)

    def store(self, items, done: Callable[[set[int] | None], None]) -> None:
        """Store `items` (or nothing on a dry run), then call `done` with what was stored."""
        if not self.enabled:
            done(None)
            return
        if self.executor is None:
            done(self._store(items))
            return
        self._wait()  # one batch in flight at most, and results counted in order
        self.pending = _InFlight(self.executor.submit(self._store, items), done)

    def __exit__(self, *exc_info) -> None:
        if self.executor is None:
            return
        try:
            if exc_info[0] is None:
                self._wait()
        finally:
            # The thread's own database connection is closed there, where it lives.
            self.executor.submit(connections.close_all).result()
            self.executor.shutdown(wait=True)


@dataclass(frozen=True)
class _InFlight:
    """A batch being stored in the storer's thread, and what to do with its result."""

    future: concurrent.futures.Future
    done: Callable[[set[int] | None], None]
