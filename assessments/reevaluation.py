"""Re-evaluating stored assessments under a rulebook, in bounded batches."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from assessments.models import Assessment, Evaluation, FunctionAssessment, Recommendation
from assessments.selectors import assessments_with_rows, facts_dict_build
from assessments.services import evaluation_decide, evaluations_store
from integration.models import Rulebook
from integration.services import rulebook_engine_get

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


def _answers(decision: dict) -> dict[tuple[str, str], str]:
    if not decision["applicable"]:
        return {("*", "*"): "not applicable"}
    return {
        (item["function"], level): f"{answer['degree']}/{answer['feasible_degree']}"
        for item in decision["recommendations"]
        for level, answer in item["levels"].items()
    }


def _stored_answers(evaluation_ids: list[int]) -> dict[int, dict[tuple[str, str], str]]:
    answers: dict[int, dict[tuple[str, str], str]] = {pk: {} for pk in evaluation_ids}
    rows = Recommendation.objects.filter(evaluation_id__in=evaluation_ids).values_list(
        "evaluation_id", "function__code", "level", "degree", "feasible_degree"
    )
    for evaluation_id, code, level, degree, feasible in rows:
        answers[evaluation_id][(code, level)] = f"{degree}/{feasible}"
    not_applicable = Evaluation.objects.filter(pk__in=evaluation_ids, applicable=False)
    for evaluation_id in not_applicable.values_list("pk", flat=True):
        answers[evaluation_id] = {("*", "*"): "not applicable"}
    return answers


def _batches(queryset) -> Iterator[list[Assessment]]:
    """Keyset pagination by id: stable under concurrent inserts, bounded memory."""
    last_id = 0
    while True:
        batch = list(
            assessments_with_rows(queryset.filter(pk__gt=last_id).order_by("pk"))[:BATCH_SIZE]
        )
        if not batch:
            return
        yield batch
        last_id = batch[-1].pk


def assessments_reevaluate(
    *,
    rulebook: Rulebook,
    dry_run: bool,
    progress: Callable[[int], None] = lambda n: None,
) -> ReevaluationResult:
    """Recompute every evaluated assessment under `rulebook`; store unless `dry_run`.

    New evaluations are stored beside the old ones (history is kept) and become current.
    """
    compiled = rulebook_engine_get(rulebook=rulebook)
    result = ReevaluationResult()
    queryset = Assessment.objects.filter(current_evaluation__isnull=False).select_related("mission")
    for batch in _batches(queryset):
        before = _stored_answers([a.current_evaluation_id for a in batch])
        items = []
        for assessment in batch:
            rows: list[FunctionAssessment] = list(assessment.function_assessments.all())
            facts = facts_dict_build(assessment=assessment, rows=rows)
            decision = evaluation_decide(facts=facts, rulebook=compiled)
            items.append((assessment, facts, decision))
            old, new = before[assessment.current_evaluation_id], _answers(decision)
            moved = [
                Change(
                    assessment.pk,
                    assessment.mission.acronym,
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
