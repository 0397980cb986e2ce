"""The portfolio page: every mission's latest approved answer, function by function, for HQ.

A row is a mission at its latest approved assessment (the answer HQ stands by), never a draft,
a submitted or a returned one: a newer assessment than the approved one is named beside it with
its status (missions_answers_annotate, as on the home page and in the portfolio reports). A cell
is what to plan for at each level, an HQ override winning as in the matrix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from assessments.models import Assessment, Override, Recommendation
from assessments.selectors.labels import LEVELS, degree_rank
from assessments.selectors.missions import NEWEST_FIRST, missions_answers_annotate
from integration.engine import vocabulary
from missions.models import Function, Mission

PAGE_SIZE = 50
LEVEL_LABELS = dict(vocabulary.LEVELS)
DEGREE_LABELS = dict(vocabulary.DEGREES)

# The "show" filter: which missions by where their answers stand.
SHOW_ALL = ""
SHOW_NEWER = "newer"  # a newer assessment than the approved one is a draft, in review or returned
SHOW_NONE_APPROVED = "none_approved"
SHOW_CHOICES = (SHOW_ALL, SHOW_NEWER, SHOW_NONE_APPROVED)


@dataclass(frozen=True)
class PortfolioLevel:
    """One level of one function: the engine's degrees and any HQ override."""

    level: str
    degree: str
    feasible_degree: str
    override: str | None = None

    @property
    def plan_degree(self) -> str:
        """What to plan for: an HQ override, else what today's context allows (as the matrix)."""
        return self.override or self.feasible_degree

    @property
    def constrained(self) -> bool:
        """The context allows less than needed, and no override stands in its place."""
        return not self.override and degree_rank(self.feasible_degree) < degree_rank(self.degree)

    @property
    def summary(self) -> str:
        """The level in words, for screen readers and the cell's tooltip."""
        words = {
            "level": gettext(LEVEL_LABELS[self.level]),
            "degree": gettext(DEGREE_LABELS[self.plan_degree]),
            "engine": gettext(DEGREE_LABELS[self.degree]),
        }
        if self.override:
            return (
                gettext("%(level)s: plan for %(degree)s (HQ override; engine: %(engine)s).") % words
            )
        if self.constrained:
            return gettext("%(level)s: plan for %(degree)s (%(engine)s needed).") % words
        return gettext("%(level)s: plan for %(degree)s.") % words


@dataclass
class PortfolioCell:
    """One function of one mission: its levels in order (none: outside the mandate)."""

    function: Function
    levels: list[PortfolioLevel] = field(default_factory=list)

    @property
    def lowest(self) -> str:
        """The lowest degree to plan for across the levels ("" outside the mandate)."""
        return min((lv.plan_degree for lv in self.levels), key=degree_rank, default="")

    @cached_property
    def summary(self) -> str:
        """The levels in words, once per cell (the page reads it twice)."""
        return " ".join(level.summary for level in self.levels)


@dataclass
class PortfolioRow:
    """One mission: its approved assessment's answers, function by function."""

    mission: Mission
    cells: list[PortfolioCell]

    @property
    def newer(self) -> bool:
        """A newer assessment than the approved one exists (a draft, in review or returned)."""
        latest = self.mission.latest_id
        return latest is not None and latest != self.mission.approved_id

    @property
    def evaluated(self) -> bool:
        return self.mission.approved_evaluation_id is not None


@dataclass
class Portfolio:
    functions: list[Function]
    rows: list[PortfolioRow]
    page: Page


@dataclass(frozen=True)
class PortfolioFilters:
    """The GET filters, each checked against its vocabulary ("" is "any")."""

    presence_type: str = ""
    phase: str = ""
    show: str = SHOW_ALL

    @classmethod
    def from_query(cls, query) -> PortfolioFilters:
        def pick(name: str, allowed) -> str:
            value = query.get(name, "")
            return value if value in allowed else ""

        return cls(
            presence_type=pick("presence_type", vocabulary.values(vocabulary.PRESENCE_TYPES)),
            phase=pick("phase", vocabulary.values(vocabulary.PHASES)),
            show=pick("show", SHOW_CHOICES),
        )


def portfolio_missions(*, user, filters: PortfolioFilters) -> QuerySet[Mission]:
    """Visible missions with their approved and latest assessments (missions_answers_annotate),
    the approved one's presence type (else the mission's), evaluation and applicability;
    filtered."""
    approved = Assessment.objects.filter(
        mission=OuterRef("pk"), status=Assessment.Status.APPROVED
    ).order_by(*NEWEST_FIRST)
    missions = missions_answers_annotate(Mission.objects.visible_to(user)).annotate(
        shown_presence_type=Coalesce(
            Subquery(approved.values("presence_type")[:1]), F("presence_type")
        ),
        approved_evaluation_id=Subquery(approved.values("current_evaluation_id")[:1]),
        approved_applicable=Subquery(approved.values("current_evaluation__applicable")[:1]),
    )
    if filters.presence_type:
        missions = missions.filter(shown_presence_type=filters.presence_type)
    if filters.phase:
        missions = missions.filter(approved_phase=filters.phase)
    if filters.show == SHOW_NEWER:
        # newer than an approved one; a mission with none approved is the other choice's
        missions = missions.filter(approved_id__isnull=False).exclude(latest_id=F("approved_id"))
    elif filters.show == SHOW_NONE_APPROVED:
        missions = missions.filter(approved_id__isnull=True)
    return missions.order_by("acronym")


def portfolio_get(*, user, filters: PortfolioFilters, page_number=1) -> Portfolio:
    """One page (PAGE_SIZE missions) of the portfolio. Five queries whatever the number of
    missions: the count, the page of missions (with their assessments' annotations), the
    functions, the approved evaluations' recommendations and the approved assessments' overrides.
    """
    paginator = Paginator(portfolio_missions(user=user, filters=filters), PAGE_SIZE)
    page = paginator.get_page(page_number)
    missions = list(page.object_list)
    functions = list(Function.objects.order_by("position", "code"))
    evaluations = {m.approved_evaluation_id: m for m in missions if m.approved_evaluation_id}
    overrides = {
        (o.assessment_id, o.function_id, o.level): o.degree
        for o in Override.objects.filter(
            assessment_id__in=[m.approved_id for m in evaluations.values()]
        ).only("assessment_id", "function_id", "level", "degree")
    }
    found: dict[tuple[int, int], list[PortfolioLevel]] = {}
    for rec in Recommendation.objects.filter(evaluation_id__in=list(evaluations)).only(
        "evaluation_id", "function_id", "level", "degree", "feasible_degree"
    ):
        mission = evaluations[rec.evaluation_id]
        found.setdefault((mission.pk, rec.function_id), []).append(
            PortfolioLevel(
                level=rec.level,
                degree=rec.degree,
                feasible_degree=rec.feasible_degree,
                override=overrides.get((mission.approved_id, rec.function_id, rec.level)),
            )
        )
    rows = []
    for mission in missions:
        cells = []
        for function in functions:
            levels = found.get((mission.pk, function.pk), [])
            levels.sort(key=lambda lv: LEVELS.index(lv.level))
            cells.append(PortfolioCell(function=function, levels=levels))
        rows.append(PortfolioRow(mission=mission, cells=cells))
    page.object_list = rows
    return Portfolio(functions=functions, rows=rows, page=page)
