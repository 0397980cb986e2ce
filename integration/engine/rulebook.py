"""Rulebooks: rules as data (YAML), validated and compiled once at load.

A rulebook is a mapping with `name`, `version` (a string), an optional `description` and
`rules`. Each rule has `id`, `principle` (P1..P16, domain.md §5), `source` (a section of the
source document), `when` (a condition, see conditions.py), `effect` and `explanation` (a
one-sentence template filled from the facts). `explanation_fr` (and a barrier's `remedy_fr`) give
the same texts in French, with the same placeholders; where absent, French readers get the
English. See docs/engine.md for the effects and how the engine combines them.

Every fault is refused at load with a `RulebookError` that names the rule and the fault, so a
rulebook that loads is one the engine can run without surprises.
"""

from __future__ import annotations

import hashlib
import json
import re
import string
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .conditions import Compiled, ConditionError, compile_condition
from .facts import ENGINE_CONTEXT_FACTS
from .rulebook_yaml import RecordedMapping, RulebookYamlError, read_rulebook_yaml, repeated_key
from .vocabulary import (
    BARRIER_CATEGORIES,
    DEGREES,
    HUMANITARIAN_ARRANGEMENTS,
    LEADS,
    LEVELS,
    values,
)

RULEBOOKS_DIR = Path(__file__).resolve().parent.parent / "rulebooks"
# The rulebook shipped as the default (published on a fresh install); earlier versions stay
# beside it, one file per version, so their stored answers can be replayed and compared.
DEFAULT_RULEBOOK_VERSION = "2008.1"
DEFAULT_RULEBOOK_PATH = RULEBOOKS_DIR / f"{DEFAULT_RULEBOOK_VERSION}.yaml"

PRINCIPLES = tuple(f"P{n}" for n in range(1, 17))
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
# Effects that speak of the assessment as a whole, not of one function: their rules read context
# facts only, and (being new since 2008.1) must give their French.
ASSESSMENT_EFFECTS = ("not_applicable", "humanitarian_arrangement", "humanitarian_risk")
_FRENCH_REQUIRED = ("humanitarian_arrangement", "humanitarian_risk")
CONTEXT_PLACEHOLDERS = ENGINE_CONTEXT_FACTS
FUNCTION_PLACEHOLDERS = (
    "function",
    "function_name",
    "dimensions",
    "funding_source",
    "conflicting_imperatives",
    "unct_programmes",
    "necessity",
)
_RULE_KEYS = ("id", "principle", "source", "when", "effect", "explanation", "explanation_fr")
_TOP_KEYS = ("name", "version", "description", "own_level_barriers", "rules")
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
_ID = re.compile(r"^[a-z0-9][a-z0-9.-]*$")
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


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule of a rulebook; `condition` is the compiled form of `when`."""

    id: str
    principle: str
    source: str
    explanation: str
    effect: Effect
    when: Any = field(compare=False, repr=False)
    condition: Compiled = field(compare=False, repr=False)
    explanation_fr: str = ""  # the explanation in French; empty: the engine falls back to English


@dataclass(frozen=True, slots=True)
class Rulebook:
    """A loaded, validated rulebook. `checksum` is the sha256 of its canonical content."""

    name: str
    version: str
    description: str
    rules: tuple[Rule, ...]
    checksum: str
    by_id: dict[str, Rule] = field(compare=False, repr=False, hash=False)
    # Whether a level held down only through a coupling gets a barrier of its own (combine.py
    # step 8b; invariant 11 in its plain reading). Off for rulebooks written before 2008.1, so
    # their stored answers replay as they were.
    own_level_barriers: bool = False

    def rule(self, rule_id: str) -> Rule:
        return self.by_id[rule_id]


def _fail(rule_label: str, message: str) -> RulebookError:
    return RulebookError(f"{rule_label}: {message}")


def _levels(label: str, body: dict[str, Any], *, default: tuple[str, ...] = ()) -> tuple[str, ...]:
    if "level" in body and "levels" in body:
        raise _fail(label, 'effect takes "level" or "levels", not both')
    raw = body.get("levels", [body["level"]] if "level" in body else list(default))
    if not isinstance(raw, list) or not raw:
        raise _fail(label, "effect needs a level (or a non-empty list of levels)")
    for level in raw:
        if level not in _LEVELS:
            raise _fail(label, f'level "{level}" is unknown (allowed: {", ".join(_LEVELS)})')
    if len(set(raw)) != len(raw):
        raise _fail(label, "effect lists a level twice")
    return tuple(level for level in _LEVELS if level in raw)


def _degree(label: str, value: object, key: str) -> str:
    if value not in _DEGREES:
        raise _fail(label, f'{key} "{value}" is not a degree (allowed: {", ".join(_DEGREES)})')
    return str(value)


def _bound_effect(label: str, kind: str, body: dict[str, Any]) -> Effect:
    """A floor or a cap: levels and a degree that can move something."""
    if "degree" not in body:
        raise _fail(label, f'effect "{kind}" needs a degree')
    degree = _degree(label, body["degree"], "degree")
    if (kind, degree) == ("floor", "parallel"):
        raise _fail(label, 'a floor of "parallel" would never raise anything')
    if (kind, degree) == ("cap", "full"):
        raise _fail(label, 'a cap of "full" would never lower anything')
    return Effect(kind, _levels(label, body), degree=degree)


def _note_effect(label: str, kind: str, body: dict[str, Any]) -> Effect:
    return Effect(kind, _levels(label, body))


def _lead_effect(label: str, kind: str, body: dict[str, Any]) -> Effect:
    """Who leads, with a whole-number priority; strategic unless levels are given."""
    if body.get("lead") not in values(LEADS):
        allowed = ", ".join(values(LEADS))
        raise _fail(label, f'lead "{body.get("lead")}" is unknown (allowed: {allowed})')
    priority = body.get("priority", 0)
    if type(priority) is not int:
        raise _fail(label, f"lead priority {priority!r} must be a whole number")
    levels = _levels(label, body, default=("strategic",))
    return Effect(kind, levels, lead=body["lead"], priority=priority)


def _arrangement_effect(label: str, kind: str, body: dict[str, Any]) -> Effect:
    """The OCHA model a rule proposes for the assessment, with a whole-number priority."""
    if body.get("arrangement") not in values(HUMANITARIAN_ARRANGEMENTS):
        allowed = ", ".join(values(HUMANITARIAN_ARRANGEMENTS))
        raise _fail(
            label, f'arrangement "{body.get("arrangement")}" is unknown (allowed: {allowed})'
        )
    priority = body.get("priority", 0)
    if type(priority) is not int:
        raise _fail(label, f"arrangement priority {priority!r} must be a whole number")
    return Effect(kind, (), arrangement=body["arrangement"], priority=priority)


def _barrier_remedies(label: str, body: dict[str, Any]) -> tuple[str, str]:
    """A barrier's remedy and its French, each citing §VII of the source, normalised."""
    remedy = body.get("remedy")
    if not isinstance(remedy, str) or not remedy.strip():
        raise _fail(label, "a barrier needs a remedy (from §VII of the source)")
    if "§VII" not in remedy:
        raise _fail(
            label, "a barrier remedy must cite §VII of the source (e.g. §VII Funding reforms)"
        )
    remedy_fr = body.get("remedy_fr", "")
    if not isinstance(remedy_fr, str) or ("remedy_fr" in body and not remedy_fr.strip()):
        raise _fail(label, "remedy_fr, where given, must be the remedy in French (text)")
    if remedy_fr and "§VII" not in remedy_fr:
        raise _fail(label, "remedy_fr must cite §VII of the source, as the remedy does")
    return remedy.strip(), " ".join(remedy_fr.split())


def _barrier_effect(label: str, kind: str, body: dict[str, Any]) -> Effect:
    """A barrier: a category, exactly one level, a cap below full and a remedy."""
    if body.get("category") not in values(BARRIER_CATEGORIES):
        allowed = ", ".join(values(BARRIER_CATEGORIES))
        raise _fail(
            label, f'barrier category "{body.get("category")}" is unknown (allowed: {allowed})'
        )
    if isinstance(body.get("level"), list) or "level" not in body:
        raise _fail(label, "a barrier needs exactly one level")
    levels = _levels(label, body)
    if "cap" not in body:
        raise _fail(label, "a barrier needs a cap (the highest feasible degree it allows)")
    cap = _degree(label, body["cap"], "cap")
    if cap == "full":
        raise _fail(label, 'a barrier cap of "full" would never lower anything')
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


def _effect(label: str, raw: object) -> Effect:
    """The effect of a rule: its type, only the keys that type takes, each checked."""
    if not isinstance(raw, dict) or "type" not in raw:
        raise _fail(label, "effect must be a mapping with a type")
    kind = raw["type"]
    if kind not in EFFECT_TYPES:
        raise _fail(label, f'effect "{kind}" is unknown (allowed: {", ".join(EFFECT_TYPES)})')
    body = {key: value for key, value in raw.items() if key != "type"}
    for key in body:
        if key not in _EFFECT_KEYS[kind]:
            allowed = ", ".join(("type", *_EFFECT_KEYS[kind]))
            raise _fail(label, f'effect "{kind}" has unknown key "{key}" (allowed: {allowed})')
    return EFFECT_BUILDERS[kind](label, kind, body)


def _check_template(label: str, template: str, allowed: tuple[str, ...], what: str) -> None:
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as error:
        raise _fail(label, f"{what} is not a valid template ({error})") from None
    for _text, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in allowed or spec or conversion:
            raise _fail(
                label,
                f'{what} placeholder "{{{name}}}" is unknown (allowed: {", ".join(allowed)})',
            )


def _rule_label(index: int, raw: object, seen: set[str]) -> tuple[str, dict[str, Any]]:
    """How errors name the rule, once its id is well formed, unique and not the engine's, and
    the rule as a mapping of known keys."""
    if not isinstance(raw, dict):
        raise RulebookError(f"rule #{index + 1}: must be a mapping")
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not _ID.match(rule_id):
        raise RulebookError(
            f"rule #{index + 1}: id {rule_id!r} is missing or malformed "
            "(lowercase letters, digits, - and .)"
        )
    label = f'rule "{rule_id}"'
    repeated = repeated_key(raw)
    if repeated is not None:
        raise _fail(label, f'key "{repeated}" is given twice in one mapping')
    if rule_id.startswith("engine."):
        raise _fail(label, 'ids starting with "engine." are reserved for the engine')
    if rule_id in seen:
        raise _fail(label, "duplicate id")
    seen.add(rule_id)
    for key in raw:
        if key not in _RULE_KEYS:
            raise _fail(label, f'unknown key "{key}" (allowed: {", ".join(_RULE_KEYS)})')
    return label, raw


def _rule_texts(label: str, raw: dict[str, Any]) -> tuple[str, str, str, str]:
    """principle, source, explanation and its French (empty where not given)."""
    principle = raw.get("principle")
    if principle not in PRINCIPLES:
        raise _fail(label, f'principle "{principle}" is unknown (allowed: P1 to P16)')
    source = raw.get("source")
    if not isinstance(source, str) or not source.strip():
        raise _fail(label, "source is missing (cite a section, e.g. §IV.2)")
    explanation = raw.get("explanation")
    if not isinstance(explanation, str) or not explanation.strip():
        raise _fail(label, "explanation is missing")
    explanation_fr = raw.get("explanation_fr", "")
    given = "explanation_fr" in raw
    if not isinstance(explanation_fr, str) or (given and not explanation_fr.strip()):
        raise _fail(label, "explanation_fr, where given, must be the explanation in French (text)")
    return principle, source, explanation, explanation_fr


def _rule_logic(label: str, raw: dict[str, Any]) -> tuple[Effect, Compiled]:
    """The effect and the compiled condition; a not_applicable rule reads context facts only."""
    if "when" not in raw:
        raise _fail(label, "when is missing (use {all: []} for a rule that always applies)")
    if "effect" not in raw:
        raise _fail(label, "effect is missing")
    effect = _effect(label, raw["effect"])
    try:
        condition = compile_condition(raw["when"])
    except ConditionError as error:
        raise _fail(label, str(error)) from None
    if effect.type in ASSESSMENT_EFFECTS and condition.reads_function:
        raise _fail(label, f"a {effect.type} rule may test context facts only")
    return effect, condition


def _rule(index: int, given: object, seen: set[str]) -> Rule:
    """One rule checked (id, texts, effect, condition, then its templates) and compiled."""
    label, raw = _rule_label(index, given, seen)
    principle, source, explanation, explanation_fr = _rule_texts(label, raw)
    effect, condition = _rule_logic(label, raw)
    if effect.type in _FRENCH_REQUIRED and not explanation_fr:
        raise _fail(label, f"a {effect.type} rule needs its explanation_fr (French)")
    context_only = effect.type in ASSESSMENT_EFFECTS
    allowed = CONTEXT_PLACEHOLDERS + (() if context_only else FUNCTION_PLACEHOLDERS)
    _check_template(label, explanation, allowed, "explanation")
    if explanation_fr:
        _check_template(label, explanation_fr, allowed, "explanation_fr")
    if effect.remedy:
        _check_template(label, effect.remedy, allowed, "remedy")
    if effect.remedy_fr:
        _check_template(label, effect.remedy_fr, allowed, "remedy_fr")
    return Rule(
        id=raw["id"],
        principle=principle,
        source=source.strip(),
        explanation=" ".join(explanation.split()),
        effect=effect,
        when=raw["when"],
        condition=condition,
        explanation_fr=" ".join(explanation_fr.split()),
    )


def load_rulebook(text: str) -> Rulebook:
    """Parse, validate and compile a YAML rulebook."""
    try:
        data = read_rulebook_yaml(text)
    except RulebookYamlError as error:
        raise RulebookError(str(error)) from None
    if not isinstance(data, dict):
        raise RulebookError("rulebook must be a mapping with name, version and rules")
    if isinstance(data, RecordedMapping) and data.repeated:
        raise RulebookError(f'rulebook has the key "{data.repeated[0]}" twice')
    for key in data:
        if key not in _TOP_KEYS:
            raise RulebookError(
                f'rulebook has unknown key "{key}" (allowed: {", ".join(_TOP_KEYS)})'
            )
    name, version = data.get("name"), data.get("version")
    if not isinstance(name, str) or not name.strip():
        raise RulebookError("rulebook name is missing")
    if not isinstance(version, str) or not version.strip():
        raise RulebookError('rulebook version must be a string (quote it: version: "2007.1")')
    description = data.get("description", "")
    if not isinstance(description, str):
        raise RulebookError("rulebook description must be text")
    own_level_barriers = data.get("own_level_barriers", False)
    if type(own_level_barriers) is not bool:
        raise RulebookError("rulebook own_level_barriers must be true or false")
    raw_rules = data.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise RulebookError("rulebook needs a non-empty list of rules")
    seen: set[str] = set()
    rules = tuple(_rule(index, raw, seen) for index, raw in enumerate(raw_rules))
    # The checksum covers meaning, not layout: comments and YAML style do not change it.
    content = {"name": name, "version": version, "description": description, "rules": raw_rules}
    if "own_level_barriers" in data:
        content["own_level_barriers"] = own_level_barriers
    canonical = json.dumps(
        content,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return Rulebook(
        name=name,
        version=version,
        description=" ".join(description.split()),
        rules=rules,
        checksum=hashlib.sha256(canonical.encode()).hexdigest(),
        by_id={rule.id: rule for rule in rules},
        own_level_barriers=own_level_barriers,
    )


@cache
def shipped_rulebook(version: str) -> Rulebook:
    """A rulebook version shipped with the code (integration/rulebooks/<version>.yaml), loaded
    once."""
    path = RULEBOOKS_DIR / f"{version}.yaml"
    if not path.is_file():
        raise RulebookError(f'no shipped rulebook "{version}"')
    return load_rulebook(path.read_text(encoding="utf-8"))


def default_rulebook() -> Rulebook:
    """The default rulebook shipped with the code, loaded once."""
    return shipped_rulebook(DEFAULT_RULEBOOK_VERSION)
