"""Reference data (shared/domain.md §7): the UN entities and partners, and the checks every data
file shares.

The data lives in YAML under `missions/data/` so a planner can read and correct it without
reading Python. This module turns it into typed records and checks it against the vocabulary, so
a typo fails with the file and the key before anything is written, not as a half-loaded database.
Nothing here touches the database: `missions.services` does the writes. The sample missions and
their assessments are read by `assessments.sample_data` with the same checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from integration.engine import vocabulary

DATA_DIR = Path(__file__).resolve().parent / "data"
ENTITIES_FILE = DATA_DIR / "entities.yaml"


class SampleDataError(ValueError):
    """A YAML data file does not match the vocabulary or the catalogue."""


@dataclass(frozen=True, slots=True)
class EntityData:
    """One UN entity or partner."""

    acronym: str
    name: str
    kind: str
    funding_basis: str
    humanitarian_mandate: bool
    neutral: bool


# --- checks shared by every data file ---------------------------------------------------------


def require(condition: bool, where: str, message: str) -> None:
    """Raise SampleDataError naming `where` unless `condition` holds."""
    if not condition:
        raise SampleDataError(f"{where}: {message}")


def mapping_keys(raw: object, where: str, *, required: set[str], optional: set[str]) -> dict:
    """`raw` as a mapping holding every `required` key and no key outside `optional`."""
    if not isinstance(raw, dict):
        raise SampleDataError(f"{where}: expected a mapping")
    missing = required - raw.keys()
    unknown = raw.keys() - required - optional
    require(not missing, where, f"missing {', '.join(sorted(missing))}")
    require(not unknown, where, f"unknown {', '.join(sorted(unknown))}")
    return raw


def one_of(value: object, choices: tuple[tuple[str, str], ...], where: str) -> str:
    allowed = vocabulary.values(choices)
    require(value in allowed, where, f"{value!r} is not one of {', '.join(allowed)}")
    return str(value)


def flag(value: object, where: str) -> bool:
    require(isinstance(value, bool), where, f"{value!r} is not true or false")
    return bool(value)


def text(value: object, where: str) -> str:
    require(isinstance(value, str) and value.strip() != "", where, "expected some text")
    return str(value).strip()


def yaml_load(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


# --- entities ---------------------------------------------------------------------------------


def _entity_read(raw: object, where: str) -> EntityData:
    raw = mapping_keys(
        raw,
        where,
        required={"acronym", "name", "kind", "funding_basis", "humanitarian_mandate"},
        optional={"neutral"},
    )
    where = f"{where} ({raw['acronym']})"
    return EntityData(
        acronym=text(raw["acronym"], where),
        name=text(raw["name"], where),
        kind=one_of(raw["kind"], vocabulary.ENTITY_KINDS, f"{where} kind"),
        funding_basis=one_of(
            raw["funding_basis"], vocabulary.FUNDING_BASES, f"{where} funding_basis"
        ),
        humanitarian_mandate=flag(raw["humanitarian_mandate"], f"{where} humanitarian_mandate"),
        neutral=flag(raw.get("neutral", False), f"{where} neutral"),
    )


@cache
def entities_read() -> tuple[EntityData, ...]:
    """The entities of entities.yaml, checked against the vocabulary."""
    raw = yaml_load(ENTITIES_FILE)
    require(isinstance(raw, list), ENTITIES_FILE.name, "expected a list of entities")
    entities = tuple(
        _entity_read(item, f"{ENTITIES_FILE.name}[{index}]") for index, item in enumerate(raw)
    )
    acronyms = [entity.acronym for entity in entities]
    require(len(set(acronyms)) == len(acronyms), ENTITIES_FILE.name, "duplicate acronym")
    return entities
