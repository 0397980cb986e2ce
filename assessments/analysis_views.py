"""Analysis pages: the recommendation matrix, comparisons and a mission's timeline.

Everyone signed in reads them (LoginRequiredMiddleware sends anonymous users to log in); only
planners of the mission compute recommendations. Reads go through
assessments.selectors, one module per page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessments import charts, review_services, services
from assessments.models import EDITABLE_STATUSES, Assessment
from assessments.selectors.compare import (
    assessment_previous_get,
    assessment_with_evaluation_qs,
    assessments_compare,
)
from assessments.selectors.labels import degree_rank
from assessments.selectors.levers import assessment_levers_get
from assessments.selectors.missions_compare import (
    missions_side_by_side,
    missions_with_latest_evaluated,
)
from assessments.selectors.portfolio_levers import portfolio_levers_get
from assessments.selectors.recommendations import (
    evaluation_is_stale,
    matrix_override_urls_set,
    recommendation_matrix_get,
)
from assessments.selectors.timeline import Timeline, mission_timeline_get
from assessments.templatetags.function_labels import function_label
from integration import engine
from integration.engine import vocabulary
from missions.models import Mission
from missions.roles import is_hq_reviewer


def _can_compute(request: HttpRequest, assessment: Assessment) -> bool:
    return (
        assessment.status in EDITABLE_STATUSES
        and Assessment.objects.editable_by(request.user).filter(pk=assessment.pk).exists()
    )


@require_GET
def assessment_recommendations(request: HttpRequest, pk: int) -> HttpResponse:
    """The matrix of functions × levels, with each cell's reasons, barriers and what-ifs."""
    assessment = get_object_or_404(assessment_with_evaluation_qs(user=request.user), pk=pk)
    matrix = recommendation_matrix_get(assessment=assessment)
    # HQ overrides a recommendation while it reviews the assessment, not before or after.
    reviewable = assessment.status in review_services.REVIEWABLE_STATUSES
    if matrix is not None and is_hq_reviewer(request.user) and reviewable:
        matrix_override_urls_set(matrix=matrix, assessment_id=assessment.pk)
    evaluation = assessment.current_evaluation
    return render(
        request,
        "assessments/recommendations.html",
        {
            "assessment": assessment,
            "evaluation": evaluation,
            "matrix": matrix,
            "levels": vocabulary.LEVELS,
            "degrees": vocabulary.DEGREES,
            "can_compute": _can_compute(request, assessment),
            "stale": evaluation_is_stale(assessment=assessment),
            "levers": assessment_levers_get(evaluation=evaluation),
        },
    )


@require_POST
def assessment_recommendations_compute(request: HttpRequest, pk: int) -> HttpResponse:
    """Compute and store recommendations for a draft or returned assessment."""
    assessment = get_object_or_404(Assessment.objects.visible_to(request.user), pk=pk)
    if not _can_compute(request, assessment):
        raise PermissionDenied(
            _("Only planners of the mission compute recommendations, for drafts and returns.")
        )
    try:
        services.assessment_evaluate(assessment_id=assessment.pk, by=request.user)
    except engine.FactError as exc:
        messages.error(request, _("The facts cannot be evaluated: %(error)s") % {"error": exc})
    else:
        messages.success(request, _("Recommendations computed."))
    return redirect("assessment-recommendations", pk=assessment.pk)


@require_GET
def assessment_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """An assessment against the mission's previous one (or `?with=<id>`): what changed."""
    queryset = assessment_with_evaluation_qs(user=request.user)
    newer = get_object_or_404(queryset, pk=pk)
    other_id = request.GET.get("with", "")
    if other_id:
        if not other_id.isdigit():
            raise Http404
        older = get_object_or_404(queryset, pk=int(other_id))
    else:
        older = assessment_previous_get(assessment=newer, user=request.user)
    comparison = assessments_compare(older=older, newer=newer) if older is not None else None
    others = (
        Assessment.objects.visible_to(request.user)
        .filter(mission_id=newer.mission_id)
        .exclude(pk=newer.pk)
        .only("id", "as_of", "status")
        .order_by("-as_of", "-id")
    )
    return render(
        request,
        "assessments/compare.html",
        {
            "assessment": newer,
            "older": older,
            "others": others,
            "comparison": comparison,
            "levels": vocabulary.LEVELS,
        },
    )


@require_GET
def missions_compare(request: HttpRequest) -> HttpResponse:
    """Missions side by side (`?mission=BINUB&mission=UNMIS`), each at its latest approved
    evaluated assessment (else its latest evaluated one, with its status)."""
    missions = list(missions_with_latest_evaluated(user=request.user))
    chosen = request.GET.getlist("mission")
    if not chosen:
        chosen = [m.acronym for m in missions if m.compared_id][:2]
    selected = [m for m in missions if m.acronym in chosen]
    comparison = missions_side_by_side(missions=selected, user=request.user)
    return render(
        request,
        "assessments/compare_missions.html",
        {
            "missions": missions,
            "chosen": {m.acronym for m in selected},
            "comparison": comparison,
            "levels": vocabulary.LEVELS,
        },
    )


@require_GET
def portfolio_levers(request: HttpRequest) -> HttpResponse:
    """The remedies ranked by how many missions, functions and levels they would unblock."""
    return render(
        request,
        "assessments/portfolio_levers.html",
        {"portfolio": portfolio_levers_get(user=request.user)},
    )


def _timeline_charts(timeline: Timeline) -> list[tuple[object, object]]:
    """(function timeline, SVG) per function: one line per level over the assessments."""
    x_labels = [a.as_of.strftime("%Y-%m-%d") for a in timeline.assessments]
    y_labels = [_(label) for _value, label in vocabulary.DEGREES]
    found = []
    for item in timeline.functions:
        series = [
            charts.ChartSeries(
                label=_(level_label),
                points=[
                    None
                    if point is None
                    else charts.ChartPoint(
                        value=degree_rank(point.degree),
                        hollow=point.feasible_degree != point.degree,
                        note=_("%(date)s; feasible: %(feasible)s")
                        % {
                            "date": point.assessment.as_of.strftime("%Y-%m-%d"),
                            "feasible": _(dict(vocabulary.DEGREES)[point.feasible_degree]),
                        },
                    )
                    for point in item.levels[level]
                ],
            )
            for level, level_label in vocabulary.LEVELS
        ]
        svg = charts.line_chart_svg(
            chart_id=f"timeline-{item.function.code}",
            title=_("%(function)s: degree of integration over time")
            % {"function": function_label(item.function)},
            description=_(
                "One line per level (strategic, programmatic, administrative) across "
                "%(count)s assessments; a hollow marker means the feasible degree is lower."
            )
            % {"count": len(x_labels)},
            x_labels=x_labels,
            y_labels=y_labels,
            series=series,
        )
        found.append((item, svg))
    return found


@require_GET
def mission_timeline(request: HttpRequest, acronym: str) -> HttpResponse:
    """The degree of each function across the mission's assessments, as server-side SVG."""
    mission = get_object_or_404(Mission.objects.visible_to(request.user), acronym=acronym)
    timeline = mission_timeline_get(mission=mission, user=request.user)
    legend = charts.line_legend_svg(
        labels=[_(label) for _value, label in vocabulary.LEVELS],
        hollow_label=_("Feasible degree lower"),
    )
    return render(
        request,
        "missions/timeline.html",
        {
            "mission": mission,
            "timeline": timeline,
            "charts": _timeline_charts(timeline),
            "legend": legend,
            "levels": vocabulary.LEVELS,
        },
    )
