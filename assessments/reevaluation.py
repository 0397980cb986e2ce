"""Re-evaluating stored assessments under a rulebook, in bounded batches.

This is the one bulk path (the `reevaluate` command and the rulebook preview in the admin), so
it reads plain values instead of model instances: 10,000 assessments with 12 function rows each
must re-evaluate and store within a minute on PostgreSQL (bench/reevaluate.py).

It compares what a planner reads: each level's degree and feasible degree, each level's barriers
(their categories) and each function's lead.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from assessments.exceptions import AssessmentMandateEmpty
from assessments.models import (
    CONTEXT_FACTS,
    Assessment,
    Evaluation,
    FunctionAssessment,
    Recommendation,
)
from assessments.services import evaluation_decide, evaluations_store
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


@dataclass(frozen=True)
class _AssessmentRef:
    """What storing needs of an assessment (see services.evaluations_store)."""

    pk: int
    version: int


_NOT_APPLICABLE = {("*", "*"): "not applicable"}


def _level_answers(
    answers: dict[tuple[str, str], str],
    function: str,
    level: str,
    degree: str,
    feasible: str,
    categories: list[str],
) -> None:
    answers[(function, level)] = f"{degree}/{feasible}"
    answers[(function, f"{level} barriers")] = ", ".join(sorted(set(categories))) or "none"


def _answers(decision: dict) -> dict[tuple[str, str], str]:
    """What a planner reads of a decision, keyed by (function, aspect), for comparing."""
    if not decision["applicable"]:
        return dict(_NOT_APPLICABLE)
    answers: dict[tuple[str, str], str] = {}
    for item in decision["recommendations"]:
        answers[(item["function"], "lead")] = item["lead"]
        for level, answer in item["levels"].items():
            categories = [b["category"] for b in item["barriers"] if b["level"] == level]
            _level_answers(
                answers,
                item["function"],
                level,
                answer["degree"],
                answer["feasible_degree"],
                categories,
            )
    return answers


def _stored_answers(
    evaluation_ids: list[int], codes: dict[int, str]
) -> dict[int, dict[tuple[str, str], str]]:
    answers: dict[int, dict[tuple[str, str], str]] = {pk: {} for pk in evaluation_ids}
    rows = Recommendation.objects.filter(evaluation_id__in=evaluation_ids).values_list(
        "evaluation_id", "function_id", "level", "lead", "degree", "feasible_degree", "barriers"
    )
    for evaluation_id, function_id, level, lead, degree, feasible, barriers in rows:
        function = codes[function_id]
        stored = answers[evaluation_id]
        stored[(function, "lead")] = lead
        categories = [barrier["category"] for barrier in barriers]
        _level_answers(stored, function, level, degree, feasible, categories)
    not_applicable = Evaluation.objects.filter(pk__in=evaluation_ids, applicable=False)
    for evaluation_id in not_applicable.values_list("pk", flat=True):
        answers[evaluation_id] = dict(_NOT_APPLICABLE)
    return answers


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
        .values_list(
            "assessment_id",
            "function_id",
            "dimensions",
            "conflicting_imperatives",
            "unct_programmes",
            "funding_source",
        )
    )
    for assessment_id, function_id, dimensions, conflicting, unct, funding in rows:
        facts[assessment_id].append(
            {
                "function": codes[function_id],
                "dimensions": list(dimensions),
                "conflicting_imperatives": conflicting,
                "unct_programmes": unct,
                "funding_source": funding,
            }
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
                decision = evaluation_decide(facts=facts, rulebook=compiled)
            except FactError as exc:
                result.failed.append(Failure(row["pk"], row["mission__acronym"], str(exc)))
                continue
            items.append((_AssessmentRef(row["pk"], row["version"]), facts, decision))
            old, new = before[row["current_evaluation_id"]], _answers(decision)
            changes[row["pk"]] = [
                Change(
                    row["pk"],
                    row["mission__acronym"],
                    key[0],
                    key[1],
                    old.get(key, "—"),
                    new.get(key, "—"),
                )
                for key in sorted(set(old) | set(new))
                if old.get(key) != new.get(key)
            ]
        if not dry_run and items:
            trigger = Evaluation.Trigger.REEVALUATE
            stored = evaluations_store(items=items, rulebook=rulebook, trigger=trigger)
            current = {evaluation.assessment_id for evaluation in stored}
            for ref, _facts, _decision in items:
                if ref.pk not in current:
                    result.skipped.append(ref.pk)
                    del changes[ref.pk]  # computed from facts that have moved since
        for moved in changes.values():
            result.changes.extend(moved)
            result.changed_assessments += bool(moved)
        result.assessments += len(changes)
        progress(len(batch))
    return result
