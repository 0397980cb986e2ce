"""What the rulebook preview shows of a re-evaluation's changes: readable, with links.

`reevaluation.Change` keeps machine values ("full/partial", barrier categories, lead codes) for
the `reevaluate` command and the tests; the admin reads labels, in the admin's language, and
reaches the mission and the assessment's matrix in one click.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.reevaluation import Change
from assessments.templatetags.function_labels import function_label
from integration.templatetags.vocab import label

_BARRIERS_SUFFIX = " barriers"


@dataclass(frozen=True)
class ChangeRow:
    """One change as the preview shows it."""

    mission: str
    mission_url: str
    assessment_id: int
    assessment_url: str
    function: str
    what: str  # "Strategic", "Strategic: barriers", "Lead" or "Whole assessment"
    before: str
    after: str


def _degrees(text: str) -> str:
    """ "full/partial" → "Full (feasible: Partial)"; "full/full" → "Full"."""
    if "/" not in text:
        return _("not applicable") if text == "not applicable" else text
    degree, feasible = text.split("/", 1)
    if degree == feasible:
        return label(degree, "DEGREES")
    return _("%(degree)s (feasible: %(feasible)s)") % {
        "degree": label(degree, "DEGREES"),
        "feasible": label(feasible, "DEGREES"),
    }


def _barriers(text: str) -> str:
    if text in ("none", ""):
        return _("no barrier")
    return ", ".join(label(code, "BARRIER_CATEGORIES") for code in text.split(", "))


def change_row(change: Change) -> ChangeRow:
    """The readable form of one change."""
    if change.level == "lead":
        what, shown = _("Lead"), (label(change.before, "LEADS"), label(change.after, "LEADS"))
    elif change.level.endswith(_BARRIERS_SUFFIX):
        level = change.level.removesuffix(_BARRIERS_SUFFIX)
        what = _("%(level)s: barriers") % {"level": label(level, "LEVELS")}
        shown = (_barriers(change.before), _barriers(change.after))
    elif change.level == "*":
        what, shown = _("Whole assessment"), (_degrees(change.before), _degrees(change.after))
    else:
        what = label(change.level, "LEVELS")
        shown = (_degrees(change.before), _degrees(change.after))
    return ChangeRow(
        mission=change.mission,
        mission_url=reverse("mission-detail", args=[change.mission]),
        assessment_id=change.assessment_id,
        assessment_url=reverse("assessment-recommendations", args=[change.assessment_id]),
        function="—" if change.function == "*" else function_label(change.function),
        what=what,
        before=shown[0] or "—",
        after=shown[1] or "—",
    )
