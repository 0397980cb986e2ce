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
from .facts import CONTEXT_FACTS
from .rulebook_effects import (
    Effect,
    RulebookError,
    effect_from_yaml,
    rule_fault,
)
from .rulebook_yaml import RecordedMapping, RulebookYamlError, read_rulebook_yaml, repeated_key

RULEBOOKS_DIR = Path(__file__).resolve().parent.parent / "rulebooks"
# The rulebook shipped as the default (published on a fresh install); earlier versions stay
# beside it, one file per version, so their stored answers can be replayed and compared.
DEFAULT_RULEBOOK_VERSION = "2008.1"
DEFAULT_RULEBOOK_PATH = RULEBOOKS_DIR / f"{DEFAULT_RULEBOOK_VERSION}.yaml"

PRINCIPLES = tuple(f"P{n}" for n in range(1, 17))
# Effects that speak of the assessment as a whole, not of one function: their rules read context
# facts only, and (being new since 2008.1) must give their French.
ASSESSMENT_EFFECTS = ("not_applicable", "humanitarian_arrangement", "humanitarian_risk")
_FRENCH_REQUIRED = ("humanitarian_arrangement", "humanitarian_risk")
CONTEXT_PLACEHOLDERS = CONTEXT_FACTS
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
_ID = re.compile(r"^[a-z0-9][a-z0-9.-]*$")


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


def _check_template(label: str, template: str, allowed: tuple[str, ...], what: str) -> None:
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as error:
        raise rule_fault(label, f"{what} is not a valid template ({error})") from None
    for _text, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in allowed or spec or conversion:
            raise rule_fault(
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
        raise rule_fault(label, f'key "{repeated}" is given twice in one mapping')
    if rule_id.startswith("engine."):
        raise rule_fault(label, 'ids starting with "engine." are reserved for the engine')
    if rule_id in seen:
        raise rule_fault(label, "duplicate id")
    seen.add(rule_id)
    for key in raw:
        if key not in _RULE_KEYS:
            raise rule_fault(label, f'unknown key "{key}" (allowed: {", ".join(_RULE_KEYS)})')
    return label, raw


def _rule_texts(label: str, raw: dict[str, Any]) -> tuple[str, str, str, str]:
    """principle, source, explanation and its French (empty where not given)."""
    principle = raw.get("principle")
    if principle not in PRINCIPLES:
        raise rule_fault(label, f'principle "{principle}" is unknown (allowed: P1 to P16)')
    source = raw.get("source")
    if not isinstance(source, str) or not source.strip():
        raise rule_fault(label, "source is missing (cite a section, e.g. §IV.2)")
    explanation = raw.get("explanation")
    if not isinstance(explanation, str) or not explanation.strip():
        raise rule_fault(label, "explanation is missing")
    explanation_fr = raw.get("explanation_fr", "")
    given = "explanation_fr" in raw
    if not isinstance(explanation_fr, str) or (given and not explanation_fr.strip()):
        raise rule_fault(
            label, "explanation_fr, where given, must be the explanation in French (text)"
        )
    return principle, source, explanation, explanation_fr


def _rule_logic(label: str, raw: dict[str, Any]) -> tuple[Effect, Compiled]:
    """The effect and the compiled condition; a not_applicable rule reads context facts only."""
    if "when" not in raw:
        raise rule_fault(label, "when is missing (use {all: []} for a rule that always applies)")
    if "effect" not in raw:
        raise rule_fault(label, "effect is missing")
    effect = effect_from_yaml(label, raw["effect"])
    try:
        condition = compile_condition(raw["when"])
    except ConditionError as error:
        raise rule_fault(label, str(error)) from None
    if effect.type in ASSESSMENT_EFFECTS and condition.reads_function:
        raise rule_fault(label, f"a {effect.type} rule may test context facts only")
    return effect, condition


def _rule(index: int, given: object, seen: set[str]) -> Rule:
    """One rule checked (id, texts, effect, condition, then its templates) and compiled."""
    label, raw = _rule_label(index, given, seen)
    principle, source, explanation, explanation_fr = _rule_texts(label, raw)
    effect, condition = _rule_logic(label, raw)
    if effect.type in _FRENCH_REQUIRED and not explanation_fr:
        raise rule_fault(label, f"a {effect.type} rule needs its explanation_fr (French)")
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
