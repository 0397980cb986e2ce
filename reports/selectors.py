"""Reads for reports: the jobs a user sees, and the data of a mission or portfolio report.

Report data holds codes, rows and counts; renderers turn codes into translated labels. Query
counts stay flat in the number of functions (mission) and missions (portfolio).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.text import get_text_list
from django.utils.translation import gettext

from assessments.engine_texts import engine_texts_get, reader_language
from assessments.models import (
    CONTEXT_FACTS,
    Assessment,
    FunctionAssessment,
    Override,
    Recommendation,
    ReviewComment,
)
from assessments.selectors.labels import PRINCIPLE_NAMES
from integration.engine import vocabulary as v
from integration.engine.texts_en import NAMES_IN_SENTENCE
from integration.engine.texts_fr import FUNCTION_NAMES_FR
from missions.models import Function, Mission
from reports.models import ReportJob

LEVELS = v.values(v.LEVELS)
DEGREES = v.values(v.DEGREES)
WAITING_STATUSES = (Assessment.Status.SUBMITTED, Assessment.Status.UNDER_REVIEW)


def report_jobs_list(*, user, mission: Mission | None = None, limit: int = 50) -> list[ReportJob]:
    """The newest jobs `user` may read (one mission's, if given), with their requesters."""
    jobs = ReportJob.objects.visible_to(user).select_related("mission", "requested_by")
    if mission is not None:
        jobs = jobs.filter(mission=mission)
    return list(jobs.order_by("-created_at", "-id")[:limit])


def report_job_get(*, user, job_id: int) -> ReportJob:
    """One job `user` may read, or ReportJob.DoesNotExist."""
    return (
        ReportJob.objects.visible_to(user).select_related("mission", "requested_by").get(pk=job_id)
    )


def mission_report_assessment_get(*, mission: Mission, assessment_id: int | None = None):
    """The assessment a mission report is about: the one named, or the mission's latest."""
    assessments = Assessment.objects.filter(mission=mission).order_by("-as_of", "-id")
    if assessment_id is not None:
        return assessments.filter(pk=assessment_id).first()
    return assessments.first()


def _context_rows(assessment: Assessment) -> list[tuple[str, str]]:
    rows = []
    for name in CONTEXT_FACTS:
        field = Assessment._meta.get_field(name)
        value = getattr(assessment, name)
        if field.choices:
            shown = getattr(assessment, f"get_{name}_display")()
        elif value is None:
            shown = "—"
        elif isinstance(value, bool):
            shown = gettext("yes") if value else gettext("no")
        else:
            shown = str(value)
        rows.append((str(field.verbose_name), str(shown)))
    return rows


def _recommendations(evaluation_id: int | None) -> list[Recommendation]:
    if evaluation_id is None:
        return []
    return list(
        Recommendation.objects.filter(evaluation_id=evaluation_id)
        .select_related("function")
        .order_by("function__position", "level")
    )


def mission_report_data(*, assessment_id: int, top_barriers: int = 5) -> dict[str, Any]:
    """Everything a mission report shows, for one assessment with a current evaluation.

    Six queries (seven with a previous assessment to compare with) whatever the number of
    functions (tests/reports/test_selectors.py).
    """
    assessment = Assessment.objects.select_related("mission", "current_evaluation__rulebook").get(
        pk=assessment_id
    )
    evaluation = assessment.current_evaluation
    rows = {
        row.function_id: row
        for row in FunctionAssessment.objects.filter(assessment=assessment).select_related(
            "function"
        )
    }
    recommendations = _recommendations(evaluation.pk if evaluation else None)
    texts = engine_texts_get(evaluation=evaluation)
    overrides = list(
        Override.objects.filter(assessment=assessment)
        .select_related("function", "author")
        .order_by("function__position", "level")
    )
    override_at = {(o.function_id, o.level): o for o in overrides}

    functions: dict[int, dict[str, Any]] = {}
    for rec in recommendations:
        item = functions.setdefault(
            rec.function_id,
            {
                "function": rec.function,
                "desired_impact": rows[rec.function_id].desired_impact
                if rec.function_id in rows
                else "",
                "lead": rec.lead,
                "levels": [],
                "barriers": [],
            },
        )
        item["levels"].append(
            {
                "level": rec.level,
                "degree": rec.degree,
                "feasible_degree": rec.feasible_degree,
                "override": override_at.get((rec.function_id, rec.level)),
                "rules": texts.rules(rec.function.code, rec.level, rec.rules),
            }
        )
        item["barriers"].extend(texts.barriers(rec.function.code, rec.level, rec.barriers))
    for item in functions.values():
        item["levels"].sort(key=lambda level: LEVELS.index(level["level"]))

    barriers = _barriers_merged(list(functions.values()))
    categories = v.values(v.BARRIER_CATEGORIES)
    by_category: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for barrier in barriers:
        by_category[barrier["category"]].append(barrier)
    barrier_register = sorted(
        by_category.items(),
        key=lambda pair: categories.index(pair[0]) if pair[0] in categories else 99,
    )

    previous = (
        Assessment.objects.filter(mission=assessment.mission)
        .filter(as_of__lte=assessment.as_of)
        .exclude(pk=assessment.pk)
        .order_by("-as_of", "-id")
        .first()
    )
    return {
        "mission": assessment.mission,
        "assessment": assessment,
        "evaluation": evaluation,
        "reason": texts.reason(evaluation.reason) if evaluation else "",
        "rulebook": evaluation.rulebook if evaluation else None,
        "context": _context_rows(assessment),
        "functions": list(functions.values()),
        "outside_mandate": [
            row.function
            for row in sorted(rows.values(), key=lambda row: row.function.position)
            if not row.in_mandate
        ],
        "gaps": _gaps(list(functions.values())),
        "levels_assessed": len(recommendations),
        "barrier_register": barrier_register,
        "top_barriers": _top_barriers(barriers, top_barriers),
        "principles": _principles_cited(recommendations),
        "changes": _changes(assessment, previous, recommendations),
        "comments": list(
            ReviewComment.objects.filter(assessment=assessment).select_related("author")
        ),
        "overrides": overrides,
        "degree_counts": _degree_counts(recommendations),
    }


def _names_in_sentence() -> dict[str, str]:
    """Function names as the engine writes them inside a sentence, in the reader's language."""
    return FUNCTION_NAMES_FR if reader_language() == "fr" else NAMES_IN_SENTENCE


def _barriers_merged(functions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per barrier, listing every (function, level) it stands in the way of.

    The engine words a barrier for each function ("... no administrative link for DDR."), so
    the same barrier comes once per function and level. Entries with the same category, remedy
    and wording (the function's name aside) are one barrier; its explanation names all the
    functions it affects.
    """
    merged: dict[tuple[str, str, str], dict[str, Any]] = {}
    in_sentence = _names_in_sentence()
    for item in functions:
        # The engine names a function in lower case inside a sentence ("for rule of law") and
        # capitalised at its start, so both forms stand for the function (longest first: the
        # French name carries its article, "le DDR").
        name = in_sentence.get(item["function"].code, str(item["function"].name))
        forms = sorted({name, name[:1].upper() + name[1:]}, key=len, reverse=True)
        for barrier in item["barriers"]:
            template = barrier["explanation"]
            for form in forms if name else ():
                template = template.replace(form, "\x00")
            key = (barrier["category"], barrier["remedy"], template)
            entry = merged.setdefault(
                key,
                {
                    "category": barrier["category"],
                    "remedy": barrier["remedy"],
                    "template": template,
                    "affects": {},
                    "pairs": [],
                },
            )
            entry["affects"].setdefault(item["function"].pk, (item["function"], []))
            levels = entry["affects"][item["function"].pk][1]
            if barrier["level"] not in levels:
                levels.append(barrier["level"])
                entry["pairs"].append((item["function"], barrier["level"]))
    result = []
    for entry in merged.values():
        affects = [
            {"function": function, "levels": sorted(levels, key=_level_index)}
            for function, levels in entry.pop("affects").values()
        ]
        names = get_text_list(
            [in_sentence.get(a["function"].code, str(a["function"].name)) for a in affects],
            gettext("and"),
        )
        explanation = entry.pop("template").replace("\x00", names)
        entry["explanation"] = explanation[:1].upper() + explanation[1:]
        entry["affects"] = affects
        # The same functions, grouped by the levels they are affected at (for one short line).
        by_levels: dict[tuple[str, ...], list[Function]] = {}
        for a in affects:
            by_levels.setdefault(tuple(a["levels"]), []).append(a["function"])
        entry["by_levels"] = list(by_levels.items())
        result.append(entry)
    return result


def _top_barriers(barriers: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """The barriers that stand in the way of the most (function, level) pairs, those of one
    category together (the most widespread category first)."""
    top = sorted(barriers, key=lambda b: -len(b["pairs"]))[:limit]
    first = {}
    for index, barrier in enumerate(top):
        first.setdefault(barrier["category"], index)
    return sorted(top, key=lambda b: first[b["category"]])


def _level_index(level: str) -> int:
    return LEVELS.index(level) if level in LEVELS else len(LEVELS)


def _gaps(functions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each (function, level) where today's context allows less than the desired impact calls
    for, with the categories of the barriers that explain the gap."""
    gaps = []
    for item in functions:
        for level in item["levels"]:
            if level["degree"] == level["feasible_degree"]:
                continue
            categories = []
            for barrier in item["barriers"]:
                if barrier["level"] == level["level"] and barrier["category"] not in categories:
                    categories.append(barrier["category"])
            gaps.append({"function": item["function"], **level, "categories": categories})
    return gaps


def _principles_cited(recommendations: list[Recommendation]) -> list[tuple[str, str]]:
    """(id, short name) of every principle the report's rules cite, P1 before P10."""
    cited = {rule.get("principle", "") for rec in recommendations for rule in rec.rules}
    cited.discard("")

    def number(pid: str) -> tuple[int, str]:
        digits = pid.lstrip("P")
        return (int(digits), pid) if digits.isdigit() else (999, pid)

    return [(pid, str(PRINCIPLE_NAMES.get(pid, ""))) for pid in sorted(cited, key=number)]


def _changes(
    assessment: Assessment, previous: Assessment | None, recommendations: list[Recommendation]
) -> dict[str, Any]:
    """Facts and recommendations that differ from the previous assessment's."""
    if previous is None:
        return {"previous": None, "facts": [], "recommendations": []}
    before_context = dict(_context_rows(previous))
    facts = [
        (label, before_context[label], value)
        for label, value in _context_rows(assessment)
        if before_context[label] != value
    ]
    before = {
        (rec.function_id, rec.level): rec
        for rec in _recommendations(previous.current_evaluation_id)
    }
    changed = []
    for rec in recommendations:
        old = before.get((rec.function_id, rec.level))
        old_pair = (old.degree, old.feasible_degree) if old else None
        if old_pair != (rec.degree, rec.feasible_degree):
            changed.append(
                {
                    "function": rec.function,
                    "level": rec.level,
                    "before": old_pair,
                    "after": (rec.degree, rec.feasible_degree),
                }
            )
    return {"previous": previous, "facts": facts, "recommendations": changed}


def _degree_counts(recommendations) -> dict[str, dict[str, Counter]]:
    """{"degree"|"feasible_degree": {level: Counter(degree)}} for the charts."""
    counts: dict[str, dict[str, Counter]] = {
        "degree": {level: Counter() for level in LEVELS},
        "feasible_degree": {level: Counter() for level in LEVELS},
    }
    for rec in recommendations:
        counts["degree"][rec.level][rec.degree] += 1
        counts["feasible_degree"][rec.level][rec.feasible_degree] += 1
    return counts


def portfolio_missions(*, user=None) -> QuerySet[Mission]:
    """Missions in a portfolio report (visible to `user`; all for the command line), each with
    the id of its latest assessment."""
    missions = Mission.objects.visible_to(user) if user is not None else Mission.objects.all()
    latest = Assessment.objects.filter(mission=OuterRef("pk")).order_by("-as_of", "-id")
    return missions.annotate(latest_id=Subquery(latest.values("id")[:1])).order_by("acronym")


def portfolio_report_data(*, user=None, top_categories: int = 10) -> dict[str, Any]:
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
    evaluation_ids = [
        a.current_evaluation_id for a in assessments.values() if a.current_evaluation_id
    ]
    functions = list(Function.objects.order_by("position", "code"))
    cells: dict[int, dict[tuple[int, str], Recommendation]] = defaultdict(dict)
    distribution = {
        (f.pk, level): {"degree": Counter(), "feasible_degree": Counter()}
        for f in functions
        for level in LEVELS
    }
    # Per barrier category: how often it stands in the way, where, and which remedies apply.
    barrier_counts: Counter = Counter()
    barrier_missions: dict[str, set[str]] = defaultdict(set)
    barrier_functions: dict[str, set[int]] = defaultdict(set)
    barrier_remedies: dict[str, Counter] = defaultdict(Counter)
    evaluation_mission = {a.current_evaluation_id: a.mission_id for a in assessments.values()}
    acronyms = {m.pk: m.acronym for m in missions}
    codes = {f.pk: f.code for f in functions}
    # The remedies in the reader's language (a replay per evaluation in French; none in English).
    texts = {
        a.current_evaluation_id: engine_texts_get(evaluation=a.current_evaluation)
        for a in assessments.values()
        if a.current_evaluation_id
    }
    for rec in Recommendation.objects.filter(evaluation_id__in=evaluation_ids).only(
        "evaluation_id", "function_id", "level", "lead", "degree", "feasible_degree", "barriers"
    ):
        mission_id = evaluation_mission[rec.evaluation_id]
        cells[mission_id][(rec.function_id, rec.level)] = rec
        slot = distribution[(rec.function_id, rec.level)]
        slot["degree"][rec.degree] += 1
        slot["feasible_degree"][rec.feasible_degree] += 1
        localised = texts[rec.evaluation_id].barriers(
            codes[rec.function_id], rec.level, rec.barriers
        )
        for barrier in localised:
            category = barrier["category"]
            barrier_counts[category] += 1
            barrier_missions[category].add(acronyms[mission_id])
            barrier_functions[category].add(rec.function_id)
            barrier_remedies[category][barrier["remedy"]] += 1

    names = {f.pk: f for f in functions}
    profiles = []
    for mission in missions:
        assessment = assessments.get(mission.pk)
        profiles.append(
            {
                "mission": mission,
                "assessment": assessment,
                "evaluation": assessment.current_evaluation if assessment else None,
                "reason": (
                    texts[assessment.current_evaluation_id].reason(
                        assessment.current_evaluation.reason
                    )
                    if assessment and assessment.current_evaluation_id
                    else ""
                ),
                "cells": [
                    [cells[mission.pk].get((f.pk, level)) for level in LEVELS] for f in functions
                ],
            }
        )
    waiting = list(
        Assessment.objects.filter(mission__in=[m.pk for m in missions], status__in=WAITING_STATUSES)
        .select_related("mission")
        .order_by("updated_at", "id")
    )
    return {
        "functions": functions,
        "levels": LEVELS,
        "profiles": profiles,
        "distribution": [
            {
                "function": f,
                "levels": [{"level": level, **distribution[(f.pk, level)]} for level in LEVELS],
            }
            for f in functions
        ],
        "barriers": [
            {
                "category": category,
                "count": count,
                "missions": sorted(barrier_missions[category]),
                "functions": [
                    names[pk]
                    for pk in sorted(barrier_functions[category], key=lambda pk: names[pk].position)
                ],
                "remedies": [
                    {"remedy": remedy, "count": times}
                    for remedy, times in barrier_remedies[category].most_common()
                ],
            }
            for category, count in barrier_counts.most_common(top_categories)
        ],
        "waiting": waiting,
        "missions_without_assessment": [p["mission"] for p in profiles if not p["assessment"]],
    }
