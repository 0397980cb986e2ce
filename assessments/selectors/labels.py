"""How the analysis pages name facts, values, principles and degrees, translated."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.facts import FACT_VOCABULARIES
from assessments.models import (
    Assessment,
    FunctionAssessment,
)
from assessments.templatetags.function_labels import function_label
from integration import engine
from integration.engine import vocabulary

LEVELS = vocabulary.values(vocabulary.LEVELS)

# Principle names of domain.md §5, for citations beside a rule's id.
PRINCIPLE_NAMES = {
    "P1": gettext_lazy("Strategic primacy"),
    "P2": gettext_lazy("Full only when necessary"),
    "P3": gettext_lazy("Partial as system-wide default"),
    "P4": gettext_lazy("Conflicting imperatives lead to parallel structures"),
    "P5": gettext_lazy("Form follows function"),
    "P6": gettext_lazy("Phase and violence"),
    "P7": gettext_lazy("Humanitarian space"),
    "P8": gettext_lazy("Neutral NGOs"),
    "P9": gettext_lazy("Administrative enablers"),
    "P10": gettext_lazy("Funding"),
    "P11": gettext_lazy("Reversibility"),
    "P12": gettext_lazy("No duplication"),
    "P13": gettext_lazy("Regional organisations"),
    "P14": gettext_lazy("National capacity and ownership"),
    "P15": gettext_lazy("Quick impact projects"),
    "P16": gettext_lazy("Applicability"),
}


def fact_label(name: str) -> str:
    """The translated name of a context fact or function fact (`phase`, `function.dimensions`)."""
    name = name.removeprefix("context.")
    if name.startswith("function."):
        return str(FunctionAssessment._meta.get_field(name.removeprefix("function.")).verbose_name)
    return str(Assessment._meta.get_field(name).verbose_name)


def fact_value_label(name: str, value: Any) -> str:
    """A fact's value as a translated label: vocabulary label, yes/no, number or list."""
    name = name.removeprefix("context.").removeprefix("function.")
    if value is None:
        return _("none")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    fact_vocabulary = FACT_VOCABULARIES.get(name)
    if isinstance(value, list | tuple):
        # In vocabulary order (unknown values last), so the same set always reads the same.
        labels = dict(fact_vocabulary or ())
        rank = {item: position for position, item in enumerate(labels)}
        items = sorted(value, key=lambda item: (rank.get(item, len(rank)), str(item)))
        return ", ".join(_(labels[item]) if item in labels else str(item) for item in items)
    if fact_vocabulary is not None:
        text = dict(fact_vocabulary).get(value)
        return _(text) if text else str(value)
    return str(value)


def degree_rank(degree: str) -> int:
    """parallel 0 < partial 1 < full 2."""
    return vocabulary.DEGREE_ORDER[degree]


def _fact_path_label(path: str) -> str:
    """An engine path ("context.pooled_fund", "functions[2].funding_source") in words."""
    name = path.rsplit(".", 1)[-1]
    return fact_label(name if path.startswith("context.") else f"function.{name}")


def contradiction_message(error: engine.ContradictoryFacts) -> str:
    """Both facts in words, in the reader's language, as the edit page says it: the engine's
    own message names paths and values (functions[2].funding_source 'pooled')."""
    first, second = error.paths
    return _("%(first)s contradicts %(second)s: %(reason)s.") % {
        "first": capfirst(_fact_path_label(first)),
        "second": _fact_path_label(second),
        "reason": _(error.reason),
    }


def _scenario_path_label(path: str) -> str:
    """A scenario path ("context.phase", "functions.ddr.funding_source") in words; "" for the
    scenario's own fields, whose messages say what they are about."""
    head, _dot, rest = path.partition(".")
    code, _dot, name = rest.partition(".")
    try:
        if head == "context" and rest:
            return capfirst(fact_label(rest))
        if head == "functions" and name:
            return f"{function_label(code)} · {capfirst(fact_label(f'function.{name}'))}"
    except FieldDoesNotExist:
        return path
    return function_label(code) if head == "functions" else ""


def scenario_errors_text(errors: Iterable[tuple[str, str]]) -> str:
    """A scenario's errors ((path, message) pairs, as ScenarioInvalid holds them) in one line:
    each led by the fact it is about, in words. A message given for several paths (a
    contradiction, which names both facts) is said once, as it is."""
    errors = list(errors)
    counts = Counter(message for _path, message in errors)
    texts: list[str] = []
    for path, message in errors:
        about = "" if counts[message] > 1 else _scenario_path_label(path)
        text = (
            _("%(label)s: %(message)s") % {"label": about, "message": message} if about else message
        )
        if text not in texts:
            texts.append(text)
    return "; ".join(texts)
