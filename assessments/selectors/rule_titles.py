"""The rules a cell's trace cites, as people read them: a human title for each rule and engine
step (machine ids stay in a title attribute for experts), and each one's part in the answer.

The engine orders a level's trace from the decision outwards and marks every rule that fired
but did not decide as set aside, naming what overrode it (combine.py, invariant 13). So, in a
stored trace, an unmarked rule that raises or holds a degree decided it; barriers and the
feasibility couplings lowered what is feasible today; then come the lead and notes. The kind of
each rule is read from the evaluation's own rulebook, never guessed from its id.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integration import engine
from integration.engine.texts_en import ENGINE_STEPS, SET_ASIDE
from integration.engine.texts_fr import SET_ASIDE_FR
from integration.templatetags.vocab import label

# The parts a rule plays in a cell's answer, in the order the details show them.
DECIDED, LOWERED, LEAD, NOTE, SET_ASIDE_ROLE = "decided", "lowered", "lead", "note", "set_aside"

# The engine's own steps (integration/engine/texts_en.py ENGINE_STEPS), by id.
ENGINE_TITLES = {
    "engine.baseline": gettext_lazy("No rule calls for integration"),
    "engine.p2.full-needs-necessity": gettext_lazy("Full integration needs a justification"),
    "engine.coupling.programmatic-le-strategic": gettext_lazy(
        "Programmes go no further than strategy"
    ),
    "engine.coupling.administrative-full-needs-programmatic-full": gettext_lazy(
        "Integrated administration needs fully integrated programmes"
    ),
    "engine.coupling.parallel-keeps-common-services-only": gettext_lazy(
        "Parallel programmes share common services only"
    ),
    "engine.feasibility.programmatic-le-strategic": gettext_lazy(
        "Feasible programmes go no further than feasible strategy"
    ),
    "engine.feasibility.administrative-full-needs-programmatic-full": gettext_lazy(
        "Integrated administration is out of reach without fully integrated programmes"
    ),
    "engine.feasibility.parallel-keeps-common-services-only": gettext_lazy(
        "Programmes feasible only in parallel share common services only"
    ),
    "engine.lead.default": gettext_lazy("Joint lead when no rule names one"),
    "engine.p7.humanitarian-coordination-parallel": gettext_lazy(
        "Humanitarian coordination stays apart from the mission"
    ),
    "engine.p7.open-combat-humanitarian-coordination-parallel": gettext_lazy(
        "Open combat: humanitarian coordination keeps its own strategy"
    ),
    "engine.p11.no-full-programmatic-near-transition": gettext_lazy(
        "Near a transition, no full programmatic integration"
    ),
}


def _marker(template: str) -> re.Pattern[str]:
    """The set-aside template ("Set aside in favour of {by}: {explanation}") as a pattern."""
    head, tail = template.split("{by}")
    middle, _rest = tail.split("{explanation}")
    # French sets a no-break space before its colon; a plain one reads the same
    middle = re.escape(middle).replace("\u00a0", "[ \u00a0]")
    return re.compile(rf"^{re.escape(head)}(?P<by>\S+?){middle}(?P<text>.*)$", re.S)


SET_ASIDE_MARKERS = (_marker(SET_ASIDE), _marker(SET_ASIDE_FR))


def rule_title(rule_id: str, rulebook: engine.Rulebook) -> str:
    """What a rule or engine step does, in the reader's language: "Calls for Full"."""
    if rule_id in ENGINE_TITLES:
        return str(ENGINE_TITLES[rule_id])
    rule = rulebook.by_id.get(rule_id)
    if rule is None:  # a step this page does not know: the id is all there is to show
        return rule_id
    effect = rule.effect
    degree = label(effect.degree, "DEGREES").lower()
    titles = {
        "floor": lambda: _("Calls for %(degree)s integration") % {"degree": degree},
        "cap": lambda: _("Holds integration at %(degree)s at most") % {"degree": degree},
        "necessity": lambda: _("Makes integration necessary"),
        "barrier": lambda: (
            _("Barrier: %(category)s") % {"category": label(effect.category, "BARRIER_CATEGORIES")}
        ),
        "lead": lambda: _("Names the lead: %(lead)s") % {"lead": label(effect.lead, "LEADS")},
        "note": lambda: _("Note"),
        "not_applicable": lambda: _("Integration policy does not apply"),
        "humanitarian_arrangement": lambda: (
            _("Proposes the humanitarian arrangement: %(model)s")
            % {"model": label(effect.arrangement, "HUMANITARIAN_ARRANGEMENTS")}
        ),
        "humanitarian_risk": lambda: _("A risk to review with the Humanitarian Country Team"),
    }
    return titles[effect.type]() if effect.type in titles else rule_id


def _principle(rule_id: str, rulebook: engine.Rulebook) -> str:
    if rule_id in ENGINE_STEPS:
        return ENGINE_STEPS[rule_id][0]
    rule = rulebook.by_id.get(rule_id)
    return rule.principle if rule is not None else ""


def _role(rule_id: str, rulebook: engine.Rulebook) -> str:
    if rule_id.startswith("engine.feasibility."):
        return LOWERED
    if rule_id == "engine.lead.default":
        return LEAD
    rule = rulebook.by_id.get(rule_id)
    kind = rule.effect.type if rule is not None else ""
    return {"barrier": LOWERED, "lead": LEAD, "note": NOTE}.get(kind, DECIDED)


def rules_explained(rules: list[dict[str, Any]], rulebook: engine.Rulebook) -> list[dict]:
    """A cell's trace (already in the reader's language), each rule with its `title`, its
    `role` and, when set aside, the title of the rule that decided in its place (`by_title`)
    and its own explanation without the marker. No query."""
    explained = []
    for rule in rules:
        text = rule.get("explanation", "")
        found = next((m for m in (p.match(text) for p in SET_ASIDE_MARKERS) if m), None)
        extra: dict[str, Any] = {"role": _role(rule.get("id", ""), rulebook)}
        if found:
            extra = {
                "role": SET_ASIDE_ROLE,
                "by_title": rule_title(found["by"], rulebook),
                "by_principle": _principle(found["by"], rulebook),
                "by_id": found["by"],
                "explanation": found["text"],
            }
        explained.append(rule | {"title": rule_title(rule.get("id", ""), rulebook)} | extra)
    return explained
