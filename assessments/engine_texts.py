"""The engine's texts (rule explanations, barriers, remedies, the not-applicable reason, the
humanitarian arrangement's rules and risks) in the reader's language.

Stored recommendations keep the engine's English: they are the record, and the API's contract.
A French reader gets the same answers with their texts rendered in French, by replaying the
evaluation's facts snapshot under its own rulebook (the engine is pure and deterministic, so the
replay fires the same rules in the same order). Where a replay does not match the stored row
(the engine's own steps changed since it was stored), the stored English is shown: a reader may
get English, never a text that belongs to another answer.

The replay reads no database (the caller loads `evaluation.rulebook` with select_related) and
costs about a millisecond, ten with the what-if list, which the matrix replays anyway.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import translation

from integration import engine
from integration.services import rulebook_engine_get

ENGINE_LANGUAGES = ("en", "fr")


def reader_language(language: str | None = None) -> str:
    """The engine language for a Django language code ("fr-ca" → "fr"; unknown → "en")."""
    code = (language or translation.get_language() or "en").split("-")[0].lower()
    return code if code in ENGINE_LANGUAGES else "en"


def _ids(rules: list[dict[str, Any]]) -> list[str]:
    return [rule.get("id", "") for rule in rules]


@dataclass
class EngineTexts:
    """One evaluation's texts in one language; `localise_*` take the stored English and give
    the reader's version of it."""

    language: str
    payload: dict[str, Any] | None = None  # the replayed decision, None when nothing was replayed
    _rules: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    _barriers: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.payload is None:
            return
        for item in self.payload["recommendations"]:
            for level, answer in item["levels"].items():
                self._rules[(item["function"], level)] = answer["rules"]
                self._barriers[(item["function"], level)] = [
                    barrier for barrier in item["barriers"] if barrier["level"] == level
                ]

    def reason(self, stored: str) -> str:
        if self.language == "en" or self.payload is None or self.payload["applicable"]:
            return stored
        return self.payload["reason"] or stored

    def rules(self, function: str, level: str, stored: list[dict[str, Any]]) -> list[dict]:
        if self.language == "en":
            return list(stored)
        replayed = self._rules.get((function, level))
        if replayed is None or _ids(replayed) != _ids(stored):
            return list(stored)
        return [
            rule | {"explanation": new["explanation"]}
            for rule, new in zip(stored, replayed, strict=True)
        ]

    def barriers(self, function: str, level: str, stored: list[dict[str, Any]]) -> list[dict]:
        if self.language == "en":
            return list(stored)
        replayed = self._barriers.get((function, level))
        if replayed is None or [b["category"] for b in replayed] != [
            b.get("category") for b in stored
        ]:
            return list(stored)
        return [
            barrier | {"explanation": new["explanation"], "remedy": new["remedy"]}
            for barrier, new in zip(stored, replayed, strict=True)
        ]

    def arrangement(self, stored: dict[str, Any] | None) -> dict[str, Any] | None:
        """The stored humanitarian arrangement with its rules' and risks' texts localised."""
        if stored is None or self.language == "en" or self.payload is None:
            return stored
        replayed = self.payload.get("humanitarian_arrangement")
        if replayed is None or replayed["arrangement"] != stored.get("arrangement"):
            return stored
        localised = dict(stored)
        for key in ("rules", "risks"):
            mine, theirs = stored.get(key, []), replayed[key]
            if _ids(mine) == _ids(theirs):
                localised[key] = [
                    rule | {"explanation": new["explanation"]}
                    for rule, new in zip(mine, theirs, strict=True)
                ]
        return localised

    def what_ifs(self, function: str) -> list[dict[str, Any]]:
        """The replay's what-if suggestions for a function (with `what_if=True` only), each
        with `raises_feasible` beside the public fields."""
        if self.payload is None:
            return []
        for item in self.payload["recommendations"]:
            if item["function"] == function:
                return item["what_if"]
        return []


def engine_texts_get(*, evaluation, language: str | None = None, what_if: bool = False):
    """The texts of `evaluation` in `language` (default: the active one).

    English needs no replay unless `what_if` asks for the suggestions, which are never stored.
    """
    language = reader_language(language)
    if evaluation is None or (language == "en" and not what_if):
        return EngineTexts(language)
    compiled = rulebook_engine_get(rulebook=evaluation.rulebook)
    try:
        facts = engine.facts_from_dict(evaluation.facts)
    except engine.FactError:  # a snapshot the engine no longer reads: show what was stored
        return EngineTexts(language)
    decision = engine.evaluate(facts, compiled, what_if=what_if, language=language)
    payload = engine.decision_to_dict(decision)
    # The public shape leaves out whether a suggestion raises the feasible degree: the pages
    # read it from the decision, to show first the suggestions that change the answer.
    for item, recommendation in zip(
        payload["recommendations"], decision.recommendations, strict=True
    ):
        for entry, what_if_found in zip(item["what_if"], recommendation.what_if, strict=True):
            entry["raises_feasible"] = what_if_found.raises_feasible
    return EngineTexts(language, payload)
