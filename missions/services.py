"""Writes for the reference data (functions, entities) and the 2007 sample missions.

Both loads are idempotent: each row is found by its natural key and written only where a value
differs, so a second run writes nothing (no version bump, no `updated_at` churn) and `make run`
can call them on every start. Reference data (functions, entities) is brought back to the data;
missions, their entity links and their assessments are only created when missing: once a row
exists it belongs to its users, and a restart must never undo their saved work.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TextIO, TypeVar

from django.db import models, transaction

from assessments.models import Assessment, FunctionAssessment
from integration.engine.vocabulary import FUNCTIONS
from missions import sample_data
from missions.models import Function, Mission, MissionEntity, UNEntity

ModelT = TypeVar("ModelT", bound=models.Model)


@dataclass
class _Tally:
    """What one load did to one model, for the command's report."""

    label: str
    loaded: int = 0
    created: int = 0
    updated: int = 0

    def line(self) -> str:
        return f"{self.label}: {self.loaded} ({self.created} created, {self.updated} updated)"


def _upsert(
    model: type[ModelT],
    *,
    existing: ModelT | None,
    lookup: dict[str, Any],
    values: dict[str, Any],
    tally: _Tally,
    create_only: bool = False,
) -> tuple[ModelT, bool]:
    """Create the row, or save only the fields that differ; validate before any write.

    `lookup` is the natural key (never compared: it found `existing`); returns the row and
    whether it was written.
    """
    tally.loaded += 1
    if existing is None:
        instance = model(**lookup, **values)
        instance.full_clean()
        instance.save(force_insert=True)
        tally.created += 1
        return instance, True
    if create_only:
        return existing, False
    changed = [name for name, value in values.items() if getattr(existing, name) != value]
    if not changed:
        return existing, False
    for name in changed:
        setattr(existing, name, values[name])
    existing.full_clean()
    # `auto_now` fields are only written when update_fields names them.
    auto_now = [
        field.name for field in model._meta.concrete_fields if getattr(field, "auto_now", False)
    ]
    existing.save(update_fields=[*changed, *auto_now])
    tally.updated += 1
    return existing, True


def _report(stdout: TextIO | None, tallies: list[_Tally]) -> dict[str, int]:
    if stdout is not None:
        for tally in tallies:
            stdout.write(tally.line() + "\n")
    return {tally.label: tally.loaded for tally in tallies}


def _functions_load() -> _Tally:
    tally = _Tally(Function._meta.label)
    existing = {function.code: function for function in Function.objects.all()}
    for position, spec in enumerate(FUNCTIONS):
        _upsert(
            Function,
            existing=existing.get(spec.code),
            lookup={"code": spec.code},
            values={
                "name": spec.name,
                "description": spec.description,
                "default_dimensions": list(spec.default_dimensions),
                "position": position,
            },
            tally=tally,
        )
    return tally


def _entities_load() -> _Tally:
    tally = _Tally(UNEntity._meta.label)
    existing = {entity.acronym: entity for entity in UNEntity.objects.all()}
    for data in sample_data.entities_read():
        _upsert(
            UNEntity,
            existing=existing.get(data.acronym),
            lookup={"acronym": data.acronym},
            values={
                "name": data.name,
                "kind": data.kind,
                "funding_basis": data.funding_basis,
                "humanitarian_mandate": data.humanitarian_mandate,
                "neutral": data.neutral,
            },
            tally=tally,
        )
    return tally


def reference_data_load(*, stdout: TextIO | None = None) -> dict[str, int]:
    """Load the function catalogue (vocabulary.FUNCTIONS, position = index) and the entities.

    Returns the number of rows the data holds per model label; writes one line per model
    (created / updated) to `stdout` when given.
    """
    with transaction.atomic():
        tallies = [_functions_load(), _entities_load()]
    return _report(stdout, tallies)


@dataclass
class _MissionTallies:
    missions: _Tally
    links: _Tally
    assessments: _Tally
    rows: _Tally
    involved: _Tally

    @classmethod
    def start(cls) -> _MissionTallies:
        return cls(
            _Tally(Mission._meta.label),
            _Tally(MissionEntity._meta.label),
            _Tally(Assessment._meta.label),
            _Tally(FunctionAssessment._meta.label),
            # Links added count as created, links removed as updated.
            _Tally(FunctionAssessment.involved_entities.through._meta.label),
        )

    def all(self) -> list[_Tally]:
        return [self.missions, self.links, self.assessments, self.rows, self.involved]


def _assessment_load(
    *,
    mission: Mission,
    data: sample_data.AssessmentData,
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
    assessment, _written = _upsert(
        Assessment,
        existing=None,
        lookup={"mission": mission, "as_of": data.as_of},
        values={"status": data.status, "notes": data.notes, **data.context},
        tally=tallies.assessments,
    )
    for item in data.functions:
        row, _row_written = _upsert(
            FunctionAssessment,
            existing=None,
            lookup={"assessment": assessment, "function": functions[item.code]},
            values={
                "in_mandate": item.in_mandate,
                "dimensions": list(item.dimensions),
                "conflicting_imperatives": item.conflicting_imperatives,
                "unct_programmes": item.unct_programmes,
                "funding_source": item.funding_source,
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
    data: sample_data.MissionData,
    existing: Mission | None,
    functions: dict[str, Function],
    entities: dict[str, UNEntity],
    tallies: _MissionTallies,
) -> None:
    mission, _written = _upsert(
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
        _upsert(
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
    `sample_data.SampleDataError` before writing anything when the YAML is wrong.
    """
    # Read and check every file first, so a typo cannot leave half the missions loaded.
    missions = sample_data.missions_read()
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
    return counts | _report(stdout, tallies.all())


def _sample_assessments_evaluate() -> None:
    """Give each seeded assessment its recommendations once, so pages and the API have answers
    on a fresh install. Assessments that already have an evaluation are left as they are."""
    from assessments.services import assessment_evaluate

    pending = Assessment.objects.filter(
        mission__acronym__in=[m.acronym for m in sample_data.missions_read()],
        current_evaluation__isnull=True,
    ).values_list("pk", flat=True)
    for assessment_id in pending:
        assessment_evaluate(assessment_id=assessment_id)
