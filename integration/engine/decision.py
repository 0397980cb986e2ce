"""What the engine answers (domain.md §4), and its one JSON form, which is a public contract."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class FiredRule:
    """A rule (or an engine step, id `engine.…`) that shaped a level's decision."""

    id: str
    principle: str
    explanation: str


@dataclass(frozen=True, slots=True)
class LevelDecision:
    """`degree` is what the desired impact calls for; `feasible_degree` what the context allows."""

    degree: str
    feasible_degree: str
    rules: tuple[FiredRule, ...]


@dataclass(frozen=True, slots=True)
class Barrier:
    """Something that stands between `degree` and `feasible_degree`, with its §VII remedy."""

    category: str
    level: str
    explanation: str
    remedy: str


@dataclass(frozen=True, slots=True)
class WhatIfAlternative:
    """Another single-fact change with the same effect on the same level as a `WhatIf`."""

    fact: str
    from_value: Any
    to_value: Any


@dataclass(frozen=True, slots=True)
class WhatIf:
    """One single-fact change that would move one level's degree or feasible degree."""

    fact: str
    from_value: Any
    to_value: Any
    level: str
    output: str  # "degree" or "feasible_degree"
    from_degree: str
    to_degree: str
    sentence: str  # names the alternatives too
    alternatives: tuple[WhatIfAlternative, ...] = ()
    # Whether the change raises the feasible degree, what to plan for (also when `output` is
    # "degree": the sentence says both). Not part of the public shape: pages pick the
    # suggestions that change the answer with it.
    raises_feasible: bool = field(default=False, compare=False)


@dataclass(frozen=True, slots=True)
class FunctionRecommendation:
    """The recommendation for one function: who leads, and the decision at each level."""

    function: str
    lead: str
    levels: Mapping[str, LevelDecision]
    barriers: tuple[Barrier, ...]
    what_if: tuple[WhatIf, ...] = ()


@dataclass(frozen=True, slots=True)
class HumanitarianArrangement:
    """The OCHA model recommended for the assessment (domain.md §4, P7): `rules` open with the
    rule that decided it, then those it set aside; `risks` are to review with the HCT."""

    arrangement: str
    rules: tuple[FiredRule, ...]
    risks: tuple[FiredRule, ...]


@dataclass(frozen=True, slots=True)
class Decision:
    """The whole answer for one assessment under one rulebook. `humanitarian_arrangement` is
    None where the rulebook decides none (rulebooks before 2008.1)."""

    applicable: bool
    reason: str | None
    rulebook_name: str
    rulebook_version: str
    recommendations: tuple[FunctionRecommendation, ...]
    humanitarian_arrangement: HumanitarianArrangement | None = None


def _fired_to_dict(rule: FiredRule) -> dict[str, str]:
    return {"id": rule.id, "principle": rule.principle, "explanation": rule.explanation}


def _value(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _what_if_to_dict(item: WhatIf) -> dict[str, Any]:
    return {
        "fact": item.fact,
        "from": _value(item.from_value),
        "to": _value(item.to_value),
        "level": item.level,
        "output": item.output,
        "from_degree": item.from_degree,
        "to_degree": item.to_degree,
        "sentence": item.sentence,
        "alternatives": [
            {"fact": other.fact, "from": _value(other.from_value), "to": _value(other.to_value)}
            for other in item.alternatives
        ],
    }


def _recommendation_to_dict(item: FunctionRecommendation) -> dict[str, Any]:
    return {
        "function": item.function,
        "lead": item.lead,
        "levels": {
            level: {
                "degree": decision.degree,
                "feasible_degree": decision.feasible_degree,
                "rules": [
                    {"id": rule.id, "principle": rule.principle, "explanation": rule.explanation}
                    for rule in decision.rules
                ],
            }
            for level, decision in item.levels.items()
        },
        "barriers": [
            {
                "category": barrier.category,
                "level": barrier.level,
                "explanation": barrier.explanation,
                "remedy": barrier.remedy,
            }
            for barrier in item.barriers
        ],
        "what_if": [_what_if_to_dict(what_if) for what_if in item.what_if],
    }


def decision_to_dict(decision: Decision) -> dict[str, Any]:
    """The public JSON shape of a decision (the API returns exactly this)."""
    rulebook = {"name": decision.rulebook_name, "version": decision.rulebook_version}
    if not decision.applicable:
        return {
            "applicable": False,
            "reason": decision.reason,
            "rulebook": rulebook,
            "recommendations": [],
        }
    answer = {
        "applicable": True,
        "rulebook": rulebook,
        "recommendations": [_recommendation_to_dict(item) for item in decision.recommendations],
    }
    arrangement = decision.humanitarian_arrangement
    if arrangement is not None:  # absent, not null, so earlier rulebooks answer as they did
        answer["humanitarian_arrangement"] = arrangement_to_dict(arrangement)
    return answer


def arrangement_to_dict(arrangement: HumanitarianArrangement) -> dict[str, Any]:
    """The public JSON shape of a humanitarian arrangement (stored as is with an evaluation)."""
    return {
        "arrangement": arrangement.arrangement,
        "rules": [_fired_to_dict(rule) for rule in arrangement.rules],
        "risks": [_fired_to_dict(rule) for rule in arrangement.risks],
    }


def decision_to_json(decision: Decision) -> str:
    """Canonical JSON: sorted keys, no optional whitespace, UTF-8. Same decision, same bytes."""
    return json.dumps(
        decision_to_dict(decision), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
