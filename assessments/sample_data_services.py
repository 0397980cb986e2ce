"""Writes for the 2007 sample missions: the reference data, then each mission, its entity roles
and its assessments with their function rows, then their history and recommendations.

The sample assessments describe the missions as the source saw them (April 2007), so each gets
the history it would have had then: created, submitted and reviewed on its date, with the answer
computed at submission under rulebook 2007.3, the rulebook of that time. Today's answer, under the
published rulebook, is stored after it. The integration profile `?as_of=2007-12-31` then shows
the profile as it stood in 2007, and today's profile the current answer.

Idempotent, like the reference data load (`missions.services`): missions, their entity links and
their assessments are only created when missing, so a restart never undoes a user's saved work.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from assessments.evaluation_storage import EvaluationInput, evaluations_store
from assessments.models import Assessment, Evaluation, FunctionAssessment, HistoryEntry
from assessments.sample_data import AssessmentData, MissionData, missions_read
from assessments.selectors import assessment_facts_get
from assessments.services import assessment_evaluate, decision_compute
from integration.services import rulebook_engine_get, rulebook_retired_ensure
from missions.models import Function, Mission, MissionEntity, UNEntity
from missions.services import LoadTally, reference_data_load, row_upsert, tallies_report


@dataclass
class _MissionTallies:
    missions: LoadTally
    links: LoadTally
    assessments: LoadTally
    rows: LoadTally
    involved: LoadTally

    @classmethod
    def start(cls) -> _MissionTallies:
        return cls(
            LoadTally(Mission._meta.label),
            LoadTally(MissionEntity._meta.label),
            LoadTally(Assessment._meta.label),
            LoadTally(FunctionAssessment._meta.label),
            # Links added count as created, links removed as updated.
            LoadTally(FunctionAssessment.involved_entities.through._meta.label),
        )

    def all(self) -> list[LoadTally]:
        return [self.missions, self.links, self.assessments, self.rows, self.involved]


def _assessment_load(
    *,
    mission: Mission,
    data: AssessmentData,
    existing: Assessment | None,
    functions: dict[str, Function],
    entities: dict[str, UNEntity],
    tallies: _MissionTallies,
) -> None:
    if existing is not None:
        # The assessment may have been edited, submitted or reviewed since it was seeded.
        tallies.assessments.loaded += 1
        tallies.rows.loaded += len(data.functions)
        tallies.involved.loaded += sum(len(item.involved_entities) for item in data.functions)
        return
    # A new assessment: create it, then its rows and their entity links (none exist yet).
    assessment, _written = row_upsert(
        Assessment,
        existing=None,
        lookup={"mission": mission, "as_of": data.as_of},
        values={"status": data.status, "notes": data.notes, **data.context},
        tally=tallies.assessments,
    )
    for item in data.functions:
        row, _row_written = row_upsert(
            FunctionAssessment,
            existing=None,
            lookup={"assessment": assessment, "function": functions[item.code]},
            values={
                "in_mandate": item.in_mandate,
                **item.facts,
                "desired_impact": item.desired_impact,
            },
            tally=tallies.rows,
        )
        wanted = {entities[acronym].pk for acronym in item.involved_entities}
        tallies.involved.loaded += len(wanted)
        if wanted:
            row.involved_entities.set(wanted)
            tallies.involved.created += len(wanted)


def _mission_load(
    *,
    data: MissionData,
    existing: Mission | None,
    functions: dict[str, Function],
    entities: dict[str, UNEntity],
    tallies: _MissionTallies,
) -> None:
    mission, _written = row_upsert(
        Mission,
        # Seed once: an admin's later edits to a mission are theirs to keep.
        existing=existing,
        lookup={"acronym": data.acronym},
        values={
            "name": data.name,
            "country": data.country,
            "presence_type": data.presence_type,
            "mandate_notes": data.mandate_notes,
        },
        tally=tallies.missions,
        create_only=True,
    )
    links = {link.entity_id: link for link in MissionEntity.objects.filter(mission=mission)}
    for acronym, role in data.entity_roles:
        entity = entities[acronym]
        row_upsert(
            MissionEntity,
            existing=links.get(entity.pk),
            lookup={"mission": mission, "entity": entity},
            values={"role": role},
            tally=tallies.links,
            create_only=True,
        )
    assessments = {
        assessment.as_of: assessment for assessment in Assessment.objects.filter(mission=mission)
    }
    for item in data.assessments:
        _assessment_load(
            mission=mission,
            data=item,
            existing=assessments.get(item.as_of),
            functions=functions,
            entities=entities,
            tallies=tallies,
        )


def sample_data_load(*, stdout: TextIO | None = None) -> dict[str, int]:
    """Load the reference data, then the five 2007 missions with their entity roles, one
    assessment each and its twelve function rows, in one transaction.

    Returns the number of rows the data holds per model label (the same on every run); writes
    one line per model (created / updated) to `stdout` when given. Raises
    `SampleDataError` before writing anything when the YAML is wrong.
    """
    # Read and check every file first, so a typo cannot leave half the missions loaded.
    missions = missions_read()
    with transaction.atomic():
        counts = reference_data_load(stdout=stdout)
        functions = {function.code: function for function in Function.objects.all()}
        entities = {entity.acronym: entity for entity in UNEntity.objects.all()}
        existing = {
            mission.acronym: mission
            for mission in Mission.objects.filter(acronym__in=[m.acronym for m in missions])
        }
        tallies = _MissionTallies.start()
        for data in missions:
            _mission_load(
                data=data,
                existing=existing.get(data.acronym),
                functions=functions,
                entities=entities,
                tallies=tallies,
            )
    _sample_assessments_evaluate()
    return counts | tallies_report(stdout, tallies.all())


# The rulebook the sample answers of 2007 were computed under.
SAMPLE_RULEBOOK_VERSION = "2007.3"

# The review steps each status had gone through, each with the hour it is dated at on the
# assessment's date (in the site's time zone).
_STEPS = {
    Assessment.Status.DRAFT: (),
    Assessment.Status.SUBMITTED: ((HistoryEntry.Action.SUBMITTED, 11),),
    Assessment.Status.UNDER_REVIEW: (
        (HistoryEntry.Action.SUBMITTED, 11),
        (HistoryEntry.Action.REVIEW_STARTED, 14),
    ),
    Assessment.Status.APPROVED: (
        (HistoryEntry.Action.SUBMITTED, 11),
        (HistoryEntry.Action.REVIEW_STARTED, 14),
        (HistoryEntry.Action.APPROVED, 16),
    ),
    Assessment.Status.RETURNED: (
        (HistoryEntry.Action.SUBMITTED, 11),
        (HistoryEntry.Action.REVIEW_STARTED, 14),
        (HistoryEntry.Action.RETURNED, 16),
    ),
}


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _sample_history_record(*, assessment: Assessment) -> None:
    """The assessment's history up to its status, dated on its date; at submission, its answer
    under rulebook 2007.3 (stored, then dated). Caller holds the transaction."""
    steps = ((HistoryEntry.Action.CREATED, 9), *_STEPS[assessment.status])
    for action, hour in steps:
        entry = HistoryEntry.objects.create(assessment=assessment, action=action)
        HistoryEntry.objects.filter(pk=entry.pk).update(created_at=_at(assessment.as_of, hour))
    if assessment.status == Assessment.Status.DRAFT:
        return
    rulebook = rulebook_retired_ensure(version=SAMPLE_RULEBOOK_VERSION)
    facts = assessment_facts_get(assessment_id=assessment.pk)
    (evaluation,) = evaluations_store(
        items=[
            EvaluationInput(
                assessment_id=assessment.pk,
                version=assessment.version,
                facts=facts,
                decision=decision_compute(
                    facts=facts, rulebook=rulebook_engine_get(rulebook=rulebook)
                ),
            )
        ],
        rulebook=rulebook,
        trigger=Evaluation.Trigger.SUBMIT,
    )
    Evaluation.objects.filter(pk=evaluation.pk).update(created_at=_at(assessment.as_of, 11))


def _sample_assessments_evaluate() -> None:
    """Give each seeded assessment its history and recommendations once, so pages and the API
    have answers (and the API's `as_of` a past) on a fresh install. Assessments that already
    have an evaluation are left as they are."""
    pending = Assessment.objects.filter(
        mission__acronym__in=[m.acronym for m in missions_read()],
        current_evaluation__isnull=True,
    )
    for assessment in pending:
        with transaction.atomic():
            if not assessment.history.exists():
                _sample_history_record(assessment=assessment)
            assessment_evaluate(
                assessment_id=assessment.pk,
                trigger=Evaluation.Trigger.ON_DEMAND
                if assessment.status == Assessment.Status.DRAFT
                else Evaluation.Trigger.REEVALUATE,
            )
