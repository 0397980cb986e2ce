"""Sample data (shared/domain.md §7): the five missions of 2007 with their assessments.

The data lives in YAML under `assessments/data/missions/` so a planner can read and correct it
without reading Python. This module turns it into typed records and checks it against the
vocabulary and the reference data (`missions.reference_data`), so a typo fails with the file and
the key before anything is written, not as a half-loaded database. Nothing here touches the
database: `assessments.sample_data_services` does the writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.utils import translation

from assessments.facts import CONTEXT_FACT_SPECS, CONTEXT_FACTS, FUNCTION_FACT_SPECS, FUNCTION_FACTS
from assessments.models import Assessment
from integration.engine import vocabulary
from integration.engine.facts import FactSpec
from missions.reference_data import (
    SampleDataError,
    entities_read,
    flag,
    mapping_keys,
    one_of,
    require,
    text,
    yaml_load,
)

__all__ = ["SampleDataError", "missions_read"]

MISSIONS_DIR = Path(__file__).resolve().parent / "data" / "missions"

ROLES = ("mission_component", "unct_member", "partner")
STATUSES = Assessment.Status.values
SOURCE = (
    "Campbell, Multidimensional and Integrated Peace Operations: Trends and Challenges, "
    "seminar proceedings, Addis Ababa, 26-27 April 2007"
)


@dataclass(frozen=True, slots=True)
class FactData:
    """One context fact with where it comes from: a source citation, or why the source is silent.

    Exactly one of `source` and `silent` is set; `silent` may be "" when there is nothing to add
    to "Source silent on ...".
    """

    name: str
    value: bool | int | str | None
    source: str | None
    silent: str | None

    @property
    def label(self) -> str:
        # Always English: the notes are stored, and a locale that changed between two loads
        # would otherwise rewrite them and break idempotence.
        with translation.override(None):
            return str(Assessment._meta.get_field(self.name).verbose_name)

    @property
    def shown_value(self) -> str:
        if self.value is None:
            return "none"
        if isinstance(self.value, bool):
            return "yes" if self.value else "no"
        return str(self.value)

    def note(self) -> str:
        label, value = self.label, self.shown_value
        if self.source is not None:
            return f"- {label[:1].upper()}{label[1:]}: {value}. Source: {self.source}"
        detail = f" {self.silent}" if self.silent else ""
        spec = _CONTEXT_SPECS[self.name]
        if spec.optional and self.value == spec.default:
            # An optional fact left at its default is not stated, not assumed either way.
            return (
                f"- {label[:1].upper()}{label[1:]}: not stated ({value} by default). Source "
                f"silent on {label}.{detail}"
            )
        # The sample assessments are approved (the API's profile reads approved ones only), so
        # the note says what the value is, an assumption, not that someone will review it.
        return (
            f"- {label[:1].upper()}{label[1:]}: {value}. Source silent on {label}; "
            f"{value} is an assumption the source neither confirms nor contradicts.{detail}"
        )


@dataclass(frozen=True, slots=True)
class FunctionData:
    """The facts of one catalogue function inside a sample assessment."""

    code: str
    in_mandate: bool
    facts: dict[str, Any]  # the engine's function facts, by name
    desired_impact: str
    involved_entities: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AssessmentData:
    """One sample assessment: every context fact of the engine's table and all 12 functions."""

    as_of: dt.date
    status: str
    facts: tuple[FactData, ...]
    function_notes: str
    functions: tuple[FunctionData, ...]

    @property
    def context(self) -> dict[str, Any]:
        return {fact.name: fact.value for fact in self.facts}

    @property
    def notes(self) -> str:
        sourced = [fact.note() for fact in self.facts if fact.source is not None]
        silent = [fact.note() for fact in self.facts if fact.source is None]
        parts = [f"Facts as of {self.as_of.isoformat()}, from {SOURCE}; § refers to its sections."]
        if sourced:
            parts.append("Sourced facts:\n" + "\n".join(sourced))
        if silent:
            parts.append("Where the source is silent:\n" + "\n".join(silent))
        parts.append(f"Functions: {self.function_notes}")
        return "\n\n".join(parts)


@dataclass(frozen=True, slots=True)
class MissionData:
    """A mission, the roles of its entities and its sample assessments."""

    acronym: str
    name: str
    country: str
    presence_type: str
    mandate_notes: str
    entity_roles: tuple[tuple[str, str], ...]  # (entity acronym, role)
    assessments: tuple[AssessmentData, ...]


# --- reading --------------------------------------------------------------------------------


_CONTEXT_SPECS = {spec.name: spec for spec in CONTEXT_FACT_SPECS}


def _value_read(spec: FactSpec, value: object, where: str) -> Any:
    """A fact's value, checked against the engine's table."""
    if spec.kind == "enum":
        return one_of(value, spec.vocabulary, where)
    if spec.kind == "set":
        require(isinstance(value, list | tuple), where, "expected a list")
        return [one_of(item, spec.vocabulary, where) for item in value]
    if spec.kind == "text":
        # Blank is the default (nothing stated); anything else must be some text.
        return "" if value == spec.default else text(value, where)
    if spec.kind == "int_or_null":
        maximum = spec.maximum or 0
        require(
            value is None or (type(value) is int and 0 <= value <= maximum),
            where,
            f"expected a number of months (0-{maximum}) or null",
        )
        return value
    return flag(value, where)


def fact_read(name: str, raw: object, where: str) -> FactData:
    where = f"{where} facts.{name}"
    raw = mapping_keys(raw, where, required={"value"}, optional={"source", "silent"})
    require(
        ("source" in raw) != ("silent" in raw),
        where,
        "give either `source` (where the source says it) or `silent` (why it does not)",
    )
    value = _value_read(_CONTEXT_SPECS[name], raw["value"], where)
    source = text(raw["source"], f"{where}.source") if "source" in raw else None
    silent = None if "source" in raw else str(raw["silent"] or "").strip()
    return FactData(name=name, value=value, source=source, silent=silent)


def _function_read(code: str, raw: object, where: str, linked: set[str]) -> FunctionData:
    where = f"{where} functions.{code}"
    require(code in vocabulary.FUNCTIONS_BY_CODE, where, "not a function of the catalogue")
    raw = mapping_keys(
        raw,
        where,
        required={"desired_impact", "involved_entities"},
        optional={"in_mandate", *FUNCTION_FACTS},
    )
    # Omitted facts take the catalogue's dimensions and the table's defaults.
    defaults = {
        spec.name: spec.default for spec in FUNCTION_FACT_SPECS if spec.default is not None
    } | {"dimensions": vocabulary.FUNCTIONS_BY_CODE[code].default_dimensions}
    facts = {
        spec.name: _value_read(
            spec, raw.get(spec.name, defaults[spec.name]), f"{where}.{spec.name}"
        )
        for spec in FUNCTION_FACT_SPECS
    }
    involved = tuple(raw["involved_entities"] or ())
    # An entity can only take part in a function of a mission it works beside.
    strangers = sorted(set(involved) - linked)
    require(not strangers, where, f"involved but not linked to the mission: {strangers}")
    return FunctionData(
        code=code,
        in_mandate=flag(raw.get("in_mandate", True), f"{where}.in_mandate"),
        facts=facts,
        desired_impact=text(raw["desired_impact"], f"{where}.desired_impact"),
        involved_entities=involved,
    )


def _assessment_read(raw: object, where: str, linked: set[str]) -> AssessmentData:
    raw = mapping_keys(
        raw,
        where,
        required={"as_of", "status", "facts", "function_notes", "functions"},
        optional=set(),
    )
    require(isinstance(raw["as_of"], dt.date), where, "as_of must be a date (YYYY-MM-DD)")
    require(raw["status"] in STATUSES, where, f"status must be one of {', '.join(STATUSES)}")
    facts = mapping_keys(
        raw["facts"], f"{where} facts", required=set(CONTEXT_FACTS), optional=set()
    )
    functions = mapping_keys(
        raw["functions"],
        f"{where} functions",
        required={spec.code for spec in vocabulary.FUNCTIONS},
        optional=set(),
    )
    return AssessmentData(
        as_of=raw["as_of"],
        status=raw["status"],
        facts=tuple(fact_read(name, facts[name], where) for name in CONTEXT_FACTS),
        function_notes=text(raw["function_notes"], f"{where} function_notes"),
        functions=tuple(
            _function_read(spec.code, functions[spec.code], where, linked)
            for spec in vocabulary.FUNCTIONS
        ),
    )


def _mission_read(raw: object, where: str, known: set[str]) -> MissionData:
    raw = mapping_keys(
        raw,
        where,
        required={"acronym", "name", "country", "presence_type", "mandate_notes", "entities"},
        optional={"assessments"},
    )
    roles = mapping_keys(raw["entities"], f"{where} entities", required=set(), optional=set(ROLES))
    entity_roles = tuple((acronym, role) for role in ROLES for acronym in roles.get(role) or ())
    acronyms = [acronym for acronym, _role in entity_roles]
    unknown = sorted(set(acronyms) - known)
    require(not unknown, f"{where} entities", f"not in entities.yaml: {unknown}")
    require(len(set(acronyms)) == len(acronyms), f"{where} entities", "an entity has two roles")
    presence_type = one_of(
        raw["presence_type"], vocabulary.PRESENCE_TYPES, f"{where} presence_type"
    )
    assessments = tuple(
        _assessment_read(item, f"{where} assessments[{index}]", set(acronyms))
        for index, item in enumerate(raw.get("assessments") or ())
    )
    dates = [assessment.as_of for assessment in assessments]
    require(len(set(dates)) == len(dates), where, "two assessments share a date")
    return MissionData(
        acronym=text(raw["acronym"], where),
        name=text(raw["name"], where),
        country=text(raw["country"], where),
        presence_type=presence_type,
        mandate_notes=text(raw["mandate_notes"], f"{where} mandate_notes"),
        entity_roles=entity_roles,
        assessments=assessments,
    )


@cache
def missions_read() -> tuple[MissionData, ...]:
    """The missions under data/missions/, one file each, in file-name order."""
    known = {entity.acronym for entity in entities_read()}
    missions = tuple(
        _mission_read(yaml_load(path), f"missions/{path.name}", known)
        for path in sorted(MISSIONS_DIR.glob("*.yaml"))
    )
    acronyms = [mission.acronym for mission in missions]
    require(len(set(acronyms)) == len(acronyms), MISSIONS_DIR.name, "duplicate mission acronym")
    return missions
