"""How levers read (levers.py finds them): the change as a condition ("If agency service
agreements were permitted"), the barriers it lifts with their remedies, and who carries each.

Who carries a remedy is read from the rulebook's own (English) remedy text: §VII says who must
act, and CARRIERS only says how each actor is named there. A remedy that names no one is the
integrated presence's own work: the mission and the UNCT.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .combine import Outcome
from .facts import Facts
from .plan import LEVEL_NAMES, Plan
from .texts_en import HELD_FROM_ABOVE, NAMES_IN_SENTENCE
from .texts_fr import FUNCTION_NAMES_FR
from .trace_texts import ContextValues, TraceTexts
from .what_if_sentences import PHRASES
from .what_if_sentences import condition as change_condition

if TYPE_CHECKING:
    from .levers import FactChange


def _(text: str) -> str:
    """Mark a label for translation without importing Django (xgettext looks for `_`)."""
    return text


# Who carries a remedy, by the words its English text names them with.
CARRIERS = (
    (
        "member_states",
        _("Member States in the Fifth Committee"),
        ("fifth committee", "general assembly", "assessed contributions", "member states"),
    ),
    ("donors", _("donors"), ("donor", "world bank", "pooled fund", "common fund", "voluntary")),
    (
        "host_government",
        _("host government"),
        ("host government", "national actors", "national programming", "national capacity"),
    ),
    ("unct", _("UNCT"), ("unct", "agencies", "inter-agency", "country team")),
    (
        "mission",
        _("mission"),
        (
            "mission",
            "dsrsg",
            "humanitarian coordinator",
            "director of administration",
            "chief administrative officer",
            "regional organisation",
        ),
    ),
)
CARRIER_LABELS = {code: label for code, label, _words in CARRIERS}
JOINED = {"en": " and ", "fr": " et "}


@dataclass(frozen=True, slots=True)
class LiftedBarrier:
    """A barrier a lever lifts, with its §VII remedy, for every function where it stood."""

    rule: str  # the barrier rule's id, or the engine's step for a level held from above
    category: str
    level: str
    functions: tuple[str, ...]
    remedy: str
    carriers: tuple[str, ...]  # codes of CARRIERS, in the order the remedy names them


def carriers_of(remedy: str) -> tuple[str, ...]:
    """The actors an (English) remedy names, in the order it names them; else the mission and
    the UNCT."""
    text = remedy.lower()
    found = []
    for code, _label, words in CARRIERS:
        positions = [text.find(word) for word in words if word in text]
        if positions:
            found.append((min(positions), code))
    return tuple(code for _position, code in sorted(found)) or ("mission", "unct")


def lever_condition(changes: Sequence[FactChange], language: str) -> str:
    """The changes as one condition: "If … and …", "Si … et …"."""
    names = FUNCTION_NAMES_FR if language == "fr" else NAMES_IN_SENTENCE
    phrases = PHRASES[language]
    parts = [
        change_condition(c.fact, c.from_value, c.to_value, names.get(c.function or "", ""), phrases)
        for c in changes
    ]
    return phrases.opening(JOINED[language].join(parts))


def lifted_barriers(
    plan: Plan, facts: Facts, before: list[Outcome], after: list[Outcome], language: str
) -> tuple[LiftedBarrier, ...]:
    """The barriers standing `before` and gone `after`, one per rule and remedy text, with every
    function it stood in. The engine's own barriers of a level held from above show only where
    no rule's barrier is lifted: they point at that rule's remedy."""
    context = facts.context
    shared = ContextValues(context)
    rules: dict[tuple[str, str, str, str], tuple[str, list[str]]] = {}
    held: dict[tuple[str, str, str, str], tuple[str, list[str]]] = {}
    for index, (old, new) in enumerate(zip(before, after, strict=True)):
        function = facts.functions[index]
        texts = TraceTexts(plan, language, context, function, shared)
        for rule in sorted(set(old.barriers) - set(new.barriers)):
            barrier = texts.barrier(rule)
            key = (plan.rules[rule].id, barrier.category, barrier.level, barrier.remedy)
            rules.setdefault(key, (plan.rules[rule].effect.remedy, []))[1].append(function.function)
        for level, category in sorted(set(old.held_from_above) - set(new.held_from_above)):
            barrier = texts.held_from_above(level, category)
            key = (
                f"engine.held-from-above.{barrier.level}",
                category,
                barrier.level,
                barrier.remedy,
            )
            english = HELD_FROM_ABOVE[LEVEL_NAMES[level]][1]
            held.setdefault(key, (english, []))[1].append(function.function)
    return tuple(
        LiftedBarrier(
            rule=rule,
            category=category,
            level=level,
            functions=tuple(functions),
            remedy=remedy,
            carriers=carriers_of(english),
        )
        for (rule, category, level, remedy), (english, functions) in (rules or held).items()
    )
