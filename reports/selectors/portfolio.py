"""The data of a portfolio report: every mission's latest approved profile (with HQ overrides,
and any newer assessment named with its status), degree distributions, the barrier categories
met most often, the levers across those profiles and the review queue, as dataclasses the
renderers read."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from assessments.engine_texts import engine_texts_get, reader_language
from assessments.models import Assessment, Evaluation, Override, Recommendation
from assessments.selectors.missions import missions_answers_annotate
from assessments.selectors.portfolio_levers import (
    PortfolioLevers,
    PortfolioRemedy,
    portfolio_levers_rank,
)
from missions.models import Function, Mission
from reports.selectors.mission import LEVELS

WAITING_STATUSES = (Assessment.Status.SUBMITTED, Assessment.Status.UNDER_REVIEW)
# The strongest remedies the PDF and HTML list (a page); the XLSX lists them all.
LEVERS_LISTED = 15


@dataclass(frozen=True)
class ProfileCell:
    """One function at one level of a profile: the engine's degrees and any HQ override."""

    degree: str
    feasible_degree: str
    override: str | None = None  # the degree an HQ reviewer set in the engine's place


@dataclass(frozen=True)
class NewerAssessment:
    """An assessment newer than the approved one a profile shows: a draft, one waiting for
    review or a returned one. Reports name it with its status, never show it as the answer."""

    id: int
    as_of: object
    status: str
    updated_at: object

    def get_status_display(self) -> str:
        return str(Assessment.Status(self.status).label)


@dataclass
class Profile:
    """One mission's latest approved assessment: per function, one cell (or None) per level.

    `newer` names a newer assessment that is not approved. An approved assessment without a
    current evaluation is shown as not evaluated: reports read, they never store evaluations."""

    mission: Mission
    assessment: Assessment | None
    evaluation: Evaluation | None
    reason: str
    cells: list[list[ProfileCell | None]]
    newer: NewerAssessment | None = None

    @property
    def not_evaluated(self) -> bool:
        return self.assessment is not None and self.evaluation is None

    @property
    def arrangement(self) -> str:
        """The humanitarian arrangement decided (`two_feet_out` …); "" where none was."""
        stored = self.evaluation.humanitarian_arrangement if self.evaluation else None
        return stored["arrangement"] if stored else ""


@dataclass
class LevelDistribution:
    level: str
    degree: Counter = field(default_factory=Counter)
    feasible_degree: Counter = field(default_factory=Counter)


@dataclass
class FunctionDistribution:
    function: Function
    levels: list[LevelDistribution]


@dataclass
class RemedyCount:
    remedy: str
    count: int


@dataclass
class BarrierCategory:
    """A barrier category: how often it stands in the way, where, and the remedies that apply."""

    category: str
    count: int
    missions: list[str]
    functions: list[Function]
    remedies: list[RemedyCount]


@dataclass
class PortfolioReportData:
    """Everything a portfolio report shows."""

    functions: list[Function]
    levels: list[str]
    profiles: list[Profile]
    distribution: list[FunctionDistribution]
    barriers: list[BarrierCategory]
    # Ranked over the approved profiles the report shows, not the /levers/ page's newer
    # drafts: the report never shows the answers of an assessment that is not approved.
    levers: PortfolioLevers
    waiting: list[Assessment]
    missions_without_assessment: list[Mission]

    @property
    def levers_listed(self) -> list[PortfolioRemedy]:
        return self.levers.remedies[:LEVERS_LISTED]


@dataclass
class _BarrierTally:
    count: int = 0
    missions: set[str] = field(default_factory=set)
    functions: set[int] = field(default_factory=set)
    remedies: Counter = field(default_factory=Counter)


def portfolio_missions(*, user=None) -> QuerySet[Mission]:
    """Missions in a portfolio report (visible to `user`; all for the command line), each with
    its latest approved and latest assessments (missions_answers_annotate)."""
    missions = Mission.objects.visible_to(user) if user is not None else Mission.objects.all()
    return missions_answers_annotate(missions).order_by("acronym")


def portfolio_report_data(*, user=None, top_categories: int = 10) -> PortfolioReportData:
    """Every mission's latest approved profile, degree distributions, the barrier categories
    met most often (each with its remedies), the levers of those profiles, review queue.

    Six queries whatever the number of missions (tests/reports/test_selectors.py).
    """
    missions = list(portfolio_missions(user=user))
    approved_ids = [m.approved_id for m in missions if m.approved_id]
    assessments = {
        a.mission_id: a
        for a in Assessment.objects.filter(pk__in=approved_ids).select_related(
            "current_evaluation__rulebook"
        )
    }
    overrides = {
        (o.assessment_id, o.function_id, o.level): o.degree
        for o in Override.objects.filter(assessment_id__in=approved_ids).only(
            "assessment_id", "function_id", "level", "degree"
        )
    }
    functions = list(Function.objects.order_by("position", "code"))
    distribution = {
        (f.pk, level): LevelDistribution(level=level) for f in functions for level in LEVELS
    }
    # The remedies in the reader's language (a replay per evaluation in French; none in English).
    texts = {
        a.current_evaluation_id: engine_texts_get(evaluation=a.current_evaluation)
        for a in assessments.values()
        if a.current_evaluation_id
    }
    evaluation_assessment = {a.current_evaluation_id: a for a in assessments.values()}
    acronyms = {m.pk: m.acronym for m in missions}
    codes = {f.pk: f.code for f in functions}
    cells: dict[int, dict[tuple[int, str], ProfileCell]] = defaultdict(dict)
    tallies: dict[str, _BarrierTally] = defaultdict(_BarrierTally)
    for rec in Recommendation.objects.filter(evaluation_id__in=list(texts)).only(
        "evaluation_id", "function_id", "level", "lead", "degree", "feasible_degree", "barriers"
    ):
        assessment = evaluation_assessment[rec.evaluation_id]
        mission_id = assessment.mission_id
        cells[mission_id][(rec.function_id, rec.level)] = ProfileCell(
            degree=rec.degree,
            feasible_degree=rec.feasible_degree,
            override=overrides.get((assessment.pk, rec.function_id, rec.level)),
        )
        slot = distribution[(rec.function_id, rec.level)]
        slot.degree[rec.degree] += 1
        slot.feasible_degree[rec.feasible_degree] += 1
        localised = texts[rec.evaluation_id].barriers(
            codes[rec.function_id], rec.level, rec.barriers
        )
        for barrier in localised:
            tally = tallies[barrier["category"]]
            tally.count += 1
            tally.missions.add(acronyms[mission_id])
            tally.functions.add(rec.function_id)
            tally.remedies[barrier["remedy"]] += 1

    profiles = [
        _profile(mission, assessments.get(mission.pk), texts, cells[mission.pk], functions)
        for mission in missions
    ]
    waiting = list(
        Assessment.objects.filter(mission__in=[m.pk for m in missions], status__in=WAITING_STATUSES)
        .select_related("mission")
        .order_by("updated_at", "id")
    )
    return PortfolioReportData(
        functions=functions,
        levels=LEVELS,
        profiles=profiles,
        distribution=[
            FunctionDistribution(
                function=f, levels=[distribution[(f.pk, level)] for level in LEVELS]
            )
            for f in functions
        ],
        barriers=_barrier_categories(tallies, functions, top_categories),
        levers=portfolio_levers_rank(
            evaluations=((p.mission.acronym, p.evaluation) for p in profiles),
            language=reader_language(),
        ),
        waiting=waiting,
        missions_without_assessment=[p.mission for p in profiles if not p.assessment],
    )


def _profile(mission, assessment, texts, cells, functions) -> Profile:
    evaluation = assessment.current_evaluation if assessment else None
    newer = None
    if mission.latest_id is not None and mission.latest_id != mission.approved_id:
        newer = NewerAssessment(
            id=mission.latest_id,
            as_of=mission.latest_as_of,
            status=mission.latest_status,
            updated_at=mission.latest_updated_at,
        )
    return Profile(
        mission=mission,
        assessment=assessment,
        evaluation=evaluation,
        reason=texts[evaluation.pk].reason(evaluation.reason) if evaluation else "",
        cells=[[cells.get((f.pk, level)) for level in LEVELS] for f in functions],
        newer=newer,
    )


def _barrier_categories(
    tallies: dict[str, _BarrierTally], functions: list[Function], limit: int
) -> list[BarrierCategory]:
    """The `limit` categories met most often, most often first."""
    names = {f.pk: f for f in functions}
    ranked = sorted(tallies.items(), key=lambda pair: -pair[1].count)[:limit]
    return [
        BarrierCategory(
            category=category,
            count=tally.count,
            missions=sorted(tally.missions),
            functions=[
                names[pk] for pk in sorted(tally.functions, key=lambda pk: names[pk].position)
            ],
            remedies=[
                RemedyCount(remedy=remedy, count=times)
                for remedy, times in tally.remedies.most_common()
            ],
        )
        for category, tally in ranked
    ]
