"""Writes for the reference data (functions, entities), and the row loader the sample data uses.

Loads are idempotent: each row is found by its natural key and written only where a value
differs, so a second run writes nothing (no version bump, no `updated_at` churn) and `make run`
can call them on every start. Reference data (functions, entities) is brought back to the data;
the sample missions and their assessments (`assessments.sample_data_services`) are only created
when missing: once a row exists it belongs to its users, and a restart must never undo their
saved work.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TextIO, TypeVar

from django.db import models, transaction

from integration.engine.vocabulary import FUNCTIONS
from missions.models import Function, UNEntity
from missions.reference_data import entities_read

ModelT = TypeVar("ModelT", bound=models.Model)


@dataclass
class LoadTally:
    """What one load did to one model, for the command's report."""

    label: str
    loaded: int = 0
    created: int = 0
    updated: int = 0

    def line(self) -> str:
        return f"{self.label}: {self.loaded} ({self.created} created, {self.updated} updated)"


def row_upsert(
    model: type[ModelT],
    *,
    existing: ModelT | None,
    lookup: dict[str, Any],
    values: dict[str, Any],
    tally: LoadTally,
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


def tallies_report(stdout: TextIO | None, tallies: list[LoadTally]) -> dict[str, int]:
    if stdout is not None:
        for tally in tallies:
            stdout.write(tally.line() + "\n")
    return {tally.label: tally.loaded for tally in tallies}


def _functions_load() -> LoadTally:
    tally = LoadTally(Function._meta.label)
    existing = {function.code: function for function in Function.objects.all()}
    for position, spec in enumerate(FUNCTIONS):
        row_upsert(
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


def _entities_load() -> LoadTally:
    tally = LoadTally(UNEntity._meta.label)
    existing = {entity.acronym: entity for entity in UNEntity.objects.all()}
    for data in entities_read():
        row_upsert(
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
    return tallies_report(stdout, tallies)
