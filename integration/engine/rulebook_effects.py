"""Rule effects: what a rule does when its condition holds, read and checked from YAML.

Part of the rulebook loader (rulebook.py): one builder per effect type, each refusing a fault
with a `RulebookError` that names the rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .vocabulary import (
    BARRIER_CATEGORIES,
    DEGREES,
    HUMANITARIAN_ARRANGEMENTS,
    LEADS,
    LEVELS,
    values,
)

EFFECT_TYPES = (
    "floor",
    "cap",
    "necessity",
    "barrier",
    "lead",
    "not_applicable",
    "note",
    "humanitarian_arrangement",
    "humanitarian_risk",
)
_EFFECT_KEYS = {
    "floor": ("level", "levels", "degree"),
    "cap": ("level", "levels", "degree"),
    "necessity": (),
    "barrier": ("category", "level", "cap", "remedy", "remedy_fr"),
    "lead": ("lead", "priority", "level", "levels"),
    "not_applicable": (),
    "note": ("level", "levels"),
    "humanitarian_arrangement": ("arrangement", "priority"),
    "humanitarian_risk": (),
}
_LEVELS = values(LEVELS)
_DEGREES = values(DEGREES)


class RulebookError(ValueError):
    """A rulebook cannot be loaded; the message names the rule and the fault."""


@dataclass(frozen=True, slots=True)
class Effect:
    """What a rule does when its condition holds. Unused fields stay empty."""

    type: str
    levels: tuple[str, ...] = ()
    degree: str = ""
    category: str = ""
    remedy: str = ""
    remedy_fr: str = ""  # the remedy in French; empty: the engine falls back to English
    lead: str = ""
    priority: int = 0
    arrangement: str = ""  # humanitarian_arrangement: the OCHA model it proposes


def rule_fault(rule_label: str, message: str) -> RulebookError:
    return RulebookError(f"{rule_label}: {message}")


def _levels(label: str, body: dict[str, Any], *, default: tuple[str, ...] = ()) -> tuple[str, ...]:
    if "level" in body and "levels" in body:
        raise rule_fault(label, 'effect takes "level" or "levels", not both')
    raw = body.get("levels", [body["level"]] if "level" in body else list(default))
    if not isinstance(raw, list) or not raw:
        raise rule_fault(label, "effect needs a level (or a non-empty list of levels)")
    for level in raw:
        if level not in _LEVELS:
            raise rule_fault(label, f'level "{level}" is unknown (allowed: {", ".join(_LEVELS)})')
    if len(set(raw)) != len(raw):
        raise rule_fault(label, "effect lists a level twice")
    return tuple(level for level in _LEVELS if level in raw)


def _degree(label: str, value: object, key: str) -> str:
    if value not in _DEGREES:
        raise rule_fault(label, f'{key} "{value}" is not a degree (allowed: {", ".join(_DEGREES)})')
    return str(value)


def _bound_effect(label: str, kind: str, body: dict[str, Any]) -> Effect:
    """A floor or a cap: levels and a degree that can move something."""
    if "degree" not in body:
        raise rule_fault(label, f'effect "{kind}" needs a degree')
    degree = _degree(label, body["degree"], "degree")
    if (kind, degree) == ("floor", "parallel"):
        raise rule_fault(label, 'a floor of "parallel" would never raise anything')
    if (kind, degree) == ("cap", "full"):
        raise rule_fault(label, 'a cap of "full" would never lower anything')
    return Effect(kind, _levels(label, body), degree=degree)


def _note_effect(label: str, kind: str, body: dict[str, Any]) -> Effect:
    return Effect(kind, _levels(label, body))


def _lead_effect(label: str, kind: str, body: dict[str, Any]) -> Effect:
    """Who leads, with a whole-number priority; strategic unless levels are given."""
    if body.get("lead") not in values(LEADS):
        allowed = ", ".join(values(LEADS))
        raise rule_fault(label, f'lead "{body.get("lead")}" is unknown (allowed: {allowed})')
    priority = body.get("priority", 0)
    if type(priority) is not int:
        raise rule_fault(label, f"lead priority {priority!r} must be a whole number")
    levels = _levels(label, body, default=("strategic",))
    return Effect(kind, levels, lead=body["lead"], priority=priority)


def _arrangement_effect(label: str, kind: str, body: dict[str, Any]) -> Effect:
    """The OCHA model a rule proposes for the assessment, with a whole-number priority."""
    if body.get("arrangement") not in values(HUMANITARIAN_ARRANGEMENTS):
        allowed = ", ".join(values(HUMANITARIAN_ARRANGEMENTS))
        raise rule_fault(
            label, f'arrangement "{body.get("arrangement")}" is unknown (allowed: {allowed})'
        )
    priority = body.get("priority", 0)
    if type(priority) is not int:
        raise rule_fault(label, f"arrangement priority {priority!r} must be a whole number")
    return Effect(kind, (), arrangement=body["arrangement"], priority=priority)


def _barrier_remedies(label: str, body: dict[str, Any]) -> tuple[str, str]:
    """A barrier's remedy and its French, each citing §VII of the source, normalised."""
    remedy = body.get("remedy")
    if not isinstance(remedy, str) or not remedy.strip():
        raise rule_fault(label, "a barrier needs a remedy (from §VII of the source)")
    if "§VII" not in remedy:
        raise rule_fault(
            label, "a barrier remedy must cite §VII of the source (e.g. §VII Funding reforms)"
        )
    remedy_fr = body.get("remedy_fr", "")
    if not isinstance(remedy_fr, str) or ("remedy_fr" in body and not remedy_fr.strip()):
        raise rule_fault(label, "remedy_fr, where given, must be the remedy in French (text)")
    if remedy_fr and "§VII" not in remedy_fr:
        raise rule_fault(label, "remedy_fr must cite §VII of the source, as the remedy does")
    return remedy.strip(), " ".join(remedy_fr.split())


def _barrier_effect(label: str, kind: str, body: dict[str, Any]) -> Effect:
    """A barrier: a category, exactly one level, a cap below full and a remedy."""
    if body.get("category") not in values(BARRIER_CATEGORIES):
        allowed = ", ".join(values(BARRIER_CATEGORIES))
        raise rule_fault(
            label, f'barrier category "{body.get("category")}" is unknown (allowed: {allowed})'
        )
    if isinstance(body.get("level"), list) or "level" not in body:
        raise rule_fault(label, "a barrier needs exactly one level")
    levels = _levels(label, body)
    if "cap" not in body:
        raise rule_fault(label, "a barrier needs a cap (the highest feasible degree it allows)")
    cap = _degree(label, body["cap"], "cap")
    if cap == "full":
        raise rule_fault(label, 'a barrier cap of "full" would never lower anything')
    remedy, remedy_fr = _barrier_remedies(label, body)
    return Effect(
        kind, levels, degree=cap, category=body["category"], remedy=remedy, remedy_fr=remedy_fr
    )


def _fixed_effect(label: str, kind: str, body: dict[str, Any]) -> Effect:
    """Necessity (always programmatic) and not_applicable (no level) take no keys."""
    return Effect(kind, ("programmatic",) if kind == "necessity" else ())


EFFECT_BUILDERS = {
    "floor": _bound_effect,
    "cap": _bound_effect,
    "necessity": _fixed_effect,
    "barrier": _barrier_effect,
    "lead": _lead_effect,
    "not_applicable": _fixed_effect,
    "note": _note_effect,
    "humanitarian_arrangement": _arrangement_effect,
    "humanitarian_risk": _fixed_effect,
}


def effect_from_yaml(label: str, raw: object) -> Effect:
    """The effect of a rule: its type, only the keys that type takes, each checked."""
    if not isinstance(raw, dict) or "type" not in raw:
        raise rule_fault(label, "effect must be a mapping with a type")
    kind = raw["type"]
    if kind not in EFFECT_TYPES:
        raise rule_fault(label, f'effect "{kind}" is unknown (allowed: {", ".join(EFFECT_TYPES)})')
    body = {key: value for key, value in raw.items() if key != "type"}
    for key in body:
        if key not in _EFFECT_KEYS[kind]:
            allowed = ", ".join(("type", *_EFFECT_KEYS[kind]))
            raise rule_fault(label, f'effect "{kind}" has unknown key "{key}" (allowed: {allowed})')
    return EFFECT_BUILDERS[kind](label, kind, body)
