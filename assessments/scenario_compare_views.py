"""The scenario comparison page, and "Try it" on a lever (a lever opened as a scenario).

Everyone signed in reads the comparison; only planners of the mission try a lever, while the
assessment is a draft or returned (it writes a scenario).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessments import scenario_services
from assessments.engine_texts import reader_language
from assessments.exceptions import AssessmentNotEditable, ScenarioInvalid
from assessments.scenario_forms import NAME_MAX_LENGTH, change_rows
from assessments.scenario_models import MAX_COMPARED, Scenario
from assessments.scenario_views import (
    assessment_for_scenario_writes,
    assessment_for_scenarios,
    compare_url,
    may_write_scenarios,
)
from assessments.selectors.labels import scenario_errors_text
from assessments.selectors.levers import LEVERS_SHOWN, evaluation_levers
from assessments.selectors.scenarios import scenario_comparison_get
from integration.engine import vocabulary
from integration.engine.facts import FACT_SPECS


def _chosen(request: HttpRequest, scenarios: list[Scenario]) -> list[Scenario]:
    """The scenarios of `?s=<id>&s=<id>` (unknown ids ignored), at most MAX_COMPARED; without
    any, the first ones."""
    asked = [value for value in request.GET.getlist("s") if value.isdigit()]
    if not asked:
        return scenarios[:MAX_COMPARED]
    by_id = {str(scenario.pk): scenario for scenario in scenarios}
    chosen = [by_id[value] for value in dict.fromkeys(asked) if value in by_id]
    if len(chosen) > MAX_COMPARED:
        messages.warning(
            request,
            _("The page compares up to %(count)s scenarios with the assessment: the first ones.")
            % {"count": MAX_COMPARED},
        )
    return chosen[:MAX_COMPARED]


@require_GET
def scenario_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """The assessment's facts (baseline) and up to three scenarios side by side: per function
    and level the degree and feasible degree, what moved, barriers that appear or disappear,
    and the lead, all under the current published rulebook."""
    assessment = assessment_for_scenarios(request, pk)
    scenarios = list(Scenario.objects.filter(assessment=assessment).order_by("created_at", "id"))
    chosen = _chosen(request, scenarios)
    comparison = scenario_comparison_get(assessment=assessment, scenarios=chosen)
    return render(
        request,
        "assessments/scenario_compare.html",
        {
            "assessment": assessment,
            "scenarios": scenarios,
            "chosen": {scenario.pk for scenario in chosen},
            "comparison": comparison,
            "levels": vocabulary.LEVELS,
            "max_compared": MAX_COMPARED,
            "can_write": may_write_scenarios(request.user, assessment),
            "changes": [(scenario, change_rows(assessment, scenario)) for scenario in chosen],
        },
    )


def _engine_value(fact: str, value):
    """A lever's value in the API's shape: a set fact as a list in vocabulary order."""
    if isinstance(value, set | frozenset | tuple | list):
        order = list(FACT_SPECS[fact].choices)
        return sorted(value, key=lambda item: order.index(item) if item in order else len(order))
    return value


def lever_changes(lever) -> dict:
    """The engine lever's changes as a scenario's `changes`."""
    changes: dict = {"context": {}, "functions": {}}
    for change in lever.changes:
        name = change.fact.rsplit(".", 1)[-1]
        value = _engine_value(change.fact, change.to_value)
        if change.function is None:
            changes["context"][name] = value
        else:
            changes["functions"].setdefault(change.function, {})[name] = value
    return changes


def _free_name(wanted: str, taken: set[str]) -> str:
    wanted = wanted[:NAME_MAX_LENGTH]
    number = 2
    name = wanted
    while name in taken:
        suffix = f" ({number})"
        name = wanted[: NAME_MAX_LENGTH - len(suffix)] + suffix
        number += 1
    return name


@require_POST
def scenario_from_lever(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a lever of the recommendations page as a scenario (named after it, with its
    changes), then compare it with the assessment. The same lever tried twice opens the
    scenario made the first time."""
    assessment = assessment_for_scenario_writes(request, pk)
    found = evaluation_levers(
        evaluation=assessment.current_evaluation, language=reader_language(), limit=LEVERS_SHOWN
    )
    index = request.POST.get("lever", "")
    lever = found[int(index)] if index.isdigit() and int(index) < len(found) else None
    if lever is None or lever.condition != request.POST.get("condition"):
        messages.warning(
            request,
            _("The levers have changed since the page was shown: here they are again."),
        )
        return redirect("assessment-recommendations", pk=pk)
    changes = lever_changes(lever)
    existing = {
        scenario.name: scenario for scenario in Scenario.objects.filter(assessment=assessment)
    }
    same = [
        scenario
        for scenario in existing.values()
        if scenario.name.startswith(lever.condition[:NAME_MAX_LENGTH])
        and scenario.changes == changes
    ]
    if same:
        return redirect(compare_url(pk, same[0].pk))
    try:
        scenario = scenario_services.scenario_create(
            assessment_id=pk,
            by=request.user,
            name=_free_name(lever.condition, set(existing)),
            note=_("Opened from a lever of the recommendations page."),
            changes=changes,
        )
    except AssessmentNotEditable:
        messages.error(request, _("This assessment is no longer a draft: it has no new scenarios."))
        return redirect("assessment-recommendations", pk=pk)
    except ScenarioInvalid as exc:
        messages.error(
            request,
            _("This lever cannot be opened as a scenario: %(errors)s")
            % {"errors": scenario_errors_text(exc.errors.items())},
        )
        return redirect("assessment-recommendations", pk=pk)
    messages.success(request, _("Scenario “%(name)s” created.") % {"name": scenario.name})
    return redirect(compare_url(pk, scenario.pk))
