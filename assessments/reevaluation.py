"""Re-evaluating stored assessments under a rulebook, in bounded batches.

This is the one bulk path (the `reevaluate` command and the rulebook preview in the admin), so
it reads plain values instead of model instances: 10,000 assessments with 12 function rows each
must re-evaluate and store within a minute on PostgreSQL (bench/reevaluate.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from assessments.models import (
    CONTEXT_FACTS,
    Assessment,
    Evaluation,
    FunctionAssessment,
    Recommendation,
)
from assessments.services import evaluation_decide, evaluations_store
from integration.models import Rulebook
from integration.services import rulebook_engine_get
from missions.models import Function

BATCH_SIZE = 500


@dataclass(frozen=True)
class Change:
    """One (function, level) whose answer moves under the new rulebook."""

    assessment_id: int
    mission: str
    function: str
    level: str
    before: str  # "degree/feasible" or "not applicable"
    after: str


@dataclass
class ReevaluationResult:
    assessments: int = 0
    changed_assessments: int = 0
    changes: list[Change] = field(default_factory=list)


@dataclass(frozen=True)
class _AssessmentRef:
    """What storing needs of an assessment (see services.evaluations_store)."""

    pk: int
    version: int


def _answers(decision: dict) -> dict[tuple[str, str], str]:
    if not decision["applicable"]:
        return {("*", "*"): "not applicable"}
    return {
        (item["function"], level): f"{answer['degree']}/{answer['feasible_degree']}"
        for item in decision["recommendations"]
        for level, answer in item["levels"].items()
    }


def _stored_answers(
    evaluation_ids: list[int], codes: dict[int, str]
) -> dict[int, dict[tuple[str, str], str]]:
    answers: dict[int, dict[tuple[str, str], str]] = {pk: {} for pk in evaluation_ids}
    rows = Recommendation.objects.filter(evaluation_id__in=evaluation_ids).values_list(
        "evaluation_id", "function_id", "level", "degree", "feasible_degree"
    )
    for evaluation_id, function_id, level, degree, feasible in rows:
        answers[evaluation_id][(codes[function_id], level)] = f"{degree}/{feasible}"
    not_applicable = Evaluation.objects.filter(pk__in=evaluation_ids, applicable=False)
    for evaluation_id in not_applicable.values_list("pk", flat=True):
        answers[evaluation_id] = {("*", "*"): "not applicable"}
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
    progress: Callable[[int], None] = lambda n: None,
) -> ReevaluationResult:
    """Recompute every evaluated assessment under `rulebook`; store unless `dry_run`.

    New evaluations are stored beside the old ones (history is kept) and become current. The
    facts are built exactly as `selectors.facts_dict_build` builds them for one assessment.
    """
    compiled = rulebook_engine_get(rulebook=rulebook)
    codes = dict(Function.objects.values_list("id", "code"))
    result = ReevaluationResult()
    for batch in _batches():
        before = _stored_answers([row["current_evaluation_id"] for row in batch], codes)
        functions = _function_facts([row["pk"] for row in batch], codes)
        items = []
        for row in batch:
            facts = {
                "context": {name: row[name] for name in CONTEXT_FACTS},
                "functions": functions.get(row["pk"], []),
            }
            decision = evaluation_decide(facts=facts, rulebook=compiled)
            items.append((_AssessmentRef(row["pk"], row["version"]), facts, decision))
            old, new = before[row["current_evaluation_id"]], _answers(decision)
            moved = [
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
            result.changes.extend(moved)
            result.changed_assessments += bool(moved)
        if not dry_run:
            evaluations_store(items=items, rulebook=rulebook, trigger=Evaluation.Trigger.REEVALUATE)
        result.assessments += len(batch)
        progress(len(batch))
    return result
