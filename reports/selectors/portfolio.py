"""The data of a portfolio report: every mission's latest profile, degree distributions, the
barrier categories met most often and the review queue, as dataclasses the renderers read."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import OuterRef, QuerySet, Subquery

from assessments.engine_texts import engine_texts_get
from assessments.models import Assessment, Evaluation, Recommendation
from missions.models import Function, Mission
from reports.selectors.mission import LEVELS

WAITING_STATUSES = (Assessment.Status.SUBMITTED, Assessment.Status.UNDER_REVIEW)


@dataclass
class Profile:
    """One mission's latest assessment: per function, one recommendation (or None) per level.

    An assessment without a current evaluation (a draft nobody computed yet) is shown as not
    evaluated: reports read, they never store evaluations."""

    mission: Mission
    assessment: Assessment | None
    evaluation: Evaluation | None
    reason: str
    cells: list[list[Recommendation | None]]

    @property
    def not_evaluated(self) -> bool:
        return self.assessment is not None and self.evaluation is None


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
    waiting: list[Assessment]
    missions_without_assessment: list[Mission]


@dataclass
class _BarrierTally:
    count: int = 0
    missions: set[str] = field(default_factory=set)
    functions: set[int] = field(default_factory=set)
    remedies: Counter = field(default_factory=Counter)


def portfolio_missions(*, user=None) -> QuerySet[Mission]:
    """Missions in a portfolio report (visible to `user`; all for the command line), each with
    the id of its latest assessment."""
    missions = Mission.objects.visible_to(user) if user is not None else Mission.objects.all()
    latest = Assessment.objects.filter(mission=OuterRef("pk")).order_by("-as_of", "-id")
    return missions.annotate(latest_id=Subquery(latest.values("id")[:1])).order_by("acronym")


def portfolio_report_data(*, user=None, top_categories: int = 10) -> PortfolioReportData:
    """Every mission's latest profile, degree distributions, the barrier categories met most
    often (each with its remedies), review queue.

    Five queries whatever the number of missions (tests/reports/test_selectors.py).
    """
    missions = list(portfolio_missions(user=user))
    latest_ids = [m.latest_id for m in missions if m.latest_id]
    assessments = {
        a.mission_id: a
        for a in Assessment.objects.filter(pk__in=latest_ids).select_related(
            "current_evaluation__rulebook"
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
    evaluation_mission = {a.current_evaluation_id: a.mission_id for a in assessments.values()}
    acronyms = {m.pk: m.acronym for m in missions}
    codes = {f.pk: f.code for f in functions}
    cells: dict[int, dict[tuple[int, str], Recommendation]] = defaultdict(dict)
    tallies: dict[str, _BarrierTally] = defaultdict(_BarrierTally)
    for rec in Recommendation.objects.filter(evaluation_id__in=list(texts)).only(
        "evaluation_id", "function_id", "level", "lead", "degree", "feasible_degree", "barriers"
    ):
        mission_id = evaluation_mission[rec.evaluation_id]
        cells[mission_id][(rec.function_id, rec.level)] = rec
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
        waiting=waiting,
        missions_without_assessment=[p.mission for p in profiles if not p.assessment],
    )


def _profile(mission, assessment, texts, cells, functions) -> Profile:
    evaluation = assessment.current_evaluation if assessment else None
    return Profile(
        mission=mission,
        assessment=assessment,
        evaluation=evaluation,
        reason=texts[evaluation.pk].reason(evaluation.reason) if evaluation else "",
        cells=[[cells.get((f.pk, level)) for level in LEVELS] for f in functions],
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
