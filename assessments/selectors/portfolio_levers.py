"""Levers across the portfolio, for HQ and Member States: the remedies of §VII ranked by how
many missions, functions and levels they would unblock.

Each mission counts with the assessment the missions comparison shows (its latest approved one
with recommendations, else its latest one with recommendations). A remedy unblocks a level when
a lever of that mission lifts its barrier in that function and closes the level's gap; a pair
counts for the remedies of both its changes, since it needs both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache

from django.utils.translation import gettext

from assessments.engine_texts import reader_language
from assessments.models import Assessment, Evaluation
from assessments.selectors.levers import evaluations_levers, lever_fact
from assessments.selectors.missions_compare import missions_with_latest_evaluated
from integration.engine.lever_texts import CARRIER_LABELS, LiftedBarrier
from integration.engine.levers import FactChange, Lever


@dataclass
class PortfolioRemedy:
    """One remedy (one barrier rule) and what it would unblock across the missions."""

    rule: str
    category: str
    remedy: str
    carriers: list[str]
    missions: set[str] = field(default_factory=set)
    cells: set[tuple[str, str, str]] = field(default_factory=set)  # (mission, function, level)
    changes: dict[str, set[str]] = field(default_factory=dict)  # change label → missions

    @property
    def functions(self) -> int:
        """Functions unblocked somewhere, counted once per mission."""
        return len({(mission, function) for mission, function, _level in self.cells})

    @property
    def levels(self) -> int:
        return len(self.cells)

    @property
    def missions_listed(self) -> list[str]:
        return sorted(self.missions)

    @property
    def changes_listed(self) -> list[tuple[str, list[str]]]:
        """(change, missions) by how many missions it serves."""
        return sorted(
            ((label, sorted(missions)) for label, missions in self.changes.items()),
            key=lambda item: (-len(item[1]), item[0]),
        )


@dataclass
class PortfolioLevers:
    remedies: list[PortfolioRemedy]
    missions: int  # missions counted (with recommendations)


def _change_label(changes: tuple[FactChange, ...]) -> str:
    facts = [lever_fact(change) for change in changes]
    return " + ".join(f"{fact.label}: {fact.before} → {fact.after}" for fact in facts)


def _add(
    remedies: dict[str, PortfolioRemedy],
    acronym: str,
    lever: Lever,
    barrier: LiftedBarrier,
    change_label: Callable[[tuple[FactChange, ...]], str],
):
    cells = {
        (acronym, function, level)
        for function, level in lever.closes
        if function in barrier.functions
    }
    if not cells:
        return
    entry = remedies.get(barrier.rule)
    if entry is None:
        entry = remedies[barrier.rule] = PortfolioRemedy(
            rule=barrier.rule,
            category=barrier.category,
            remedy=barrier.remedy,
            carriers=[gettext(CARRIER_LABELS[code]) for code in barrier.carriers],
        )
    entry.missions.add(acronym)
    entry.cells |= cells
    entry.changes.setdefault(change_label(lever.changes), set()).add(acronym)


def portfolio_levers_rank(
    *, evaluations: Iterable[tuple[str, Evaluation | None]], language: str
) -> PortfolioLevers:
    """The remedies of these (mission acronym, evaluation) pairs, ranked by missions, then levels
    unblocked; a pair without an evaluation is not counted. No query: each evaluation comes with
    its rulebook. The portfolio report ranks its approved profiles' evaluations with it."""
    counted = [
        (acronym, evaluation) for acronym, evaluation in evaluations if evaluation is not None
    ]
    # Every mission's levers at once: one round trip to the shared cache, not one a mission.
    found = evaluations_levers(
        evaluations=[evaluation for _acronym, evaluation in counted], language=language
    )
    remedies: dict[str, PortfolioRemedy] = {}
    # Missions meet the same changes again and again: each is put in words once.
    change_label = cache(_change_label)
    for (acronym, _evaluation), mission_levers in zip(counted, found, strict=True):
        for lever in mission_levers:
            for barrier in lever.barriers:
                _add(remedies, acronym, lever, barrier, change_label)
    ranked = sorted(
        remedies.values(), key=lambda r: (-len(r.missions), -r.levels, -r.functions, r.rule)
    )
    return PortfolioLevers(remedies=ranked, missions=len(counted))


def portfolio_levers_get(*, user, language: str | None = None) -> PortfolioLevers:
    """The remedies ranked by missions, then levels unblocked. Two queries whatever the number
    of missions: the visible missions with the assessment each counts with, and those
    assessments with their evaluations and rulebooks."""
    ids = [m.compared_id for m in missions_with_latest_evaluated(user=user) if m.compared_id]
    assessments = (
        Assessment.objects.visible_to(user)
        .filter(pk__in=ids)
        .select_related("mission", "current_evaluation__rulebook")
        .order_by("mission__acronym")
    )
    return portfolio_levers_rank(
        evaluations=((a.mission.acronym, a.current_evaluation) for a in assessments),
        language=reader_language(language),
    )
