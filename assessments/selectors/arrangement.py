"""The humanitarian arrangement of an evaluation as pages and reports show it (domain.md §4, P7):
the OCHA model, the rule that decided it, those it set aside, the barriers in its way and the
risks to review with the Humanitarian Country Team."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from assessments.selectors.labels import PRINCIPLE_NAMES
from assessments.selectors.rule_titles import rules_explained
from integration import engine

# The function through which the arrangement is carried out: its barriers (the HC's seat in
# mission leadership among them) are the barriers in the arrangement's way.
HUMANITARIAN_FUNCTION = "humanitarian_coordination"


@dataclass(frozen=True)
class ArrangementView:
    """One evaluation's humanitarian arrangement, its texts in the reader's language."""

    arrangement: str  # two_feet_in, one_foot_in or two_feet_out
    decided_by: list[dict[str, Any]]  # the rule that decided it (rules open with it)
    set_aside: list[dict[str, Any]]  # the proposals it outranked, "Set aside in favour of …"
    barriers: list[dict[str, Any]]  # humanitarian coordination's barriers, with their remedies
    risks: list[dict[str, Any]]  # to review with the Humanitarian Country Team


def _cited(
    rules: Iterable[dict[str, Any]], rulebook: engine.Rulebook | None
) -> list[dict[str, Any]]:
    """Each rule with its principle's name and, given the rulebook, its human title and the
    title of the rule that set it aside (the page shows titles; machine ids stay in a title
    attribute for experts, as in the matrix's cell details)."""
    rules = list(rules)
    if rulebook is not None:
        rules = rules_explained(rules, rulebook)
    return [
        rule | {"principle_name": PRINCIPLE_NAMES.get(rule.get("principle"), "")} for rule in rules
    ]


def arrangement_view(
    *,
    stored: dict[str, Any] | None,
    texts,
    barriers: Iterable[dict[str, Any]] = (),
    rulebook: engine.Rulebook | None = None,
) -> ArrangementView | None:
    """The arrangement of an evaluation (`stored`: its `humanitarian_arrangement`), None where
    the rulebook decides none. `texts` is the evaluation's EngineTexts (engine_texts.py);
    `barriers` those of humanitarian coordination, already in the reader's language; `rulebook`
    (the evaluation's, compiled) gives each rule its human title. No query."""
    localised = texts.arrangement(stored)
    if not localised:
        return None
    rules = localised.get("rules", [])
    return ArrangementView(
        arrangement=localised["arrangement"],
        decided_by=_cited(rules[:1], rulebook),
        set_aside=_cited(rules[1:], rulebook),
        barriers=list(barriers),
        risks=_cited(localised.get("risks", []), rulebook),
    )
