"""Scenario pages: create, edit, delete and apply an assessment's scenarios (issue 13).

Everyone signed in reads scenarios (the comparison page, assessments/scenario_compare_views.py);
only planners of the mission write them, and only while the assessment is a draft or returned.
A save against a stale version never overwrites: it shows both versions and the merge, as the
assessment's edit page does.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments import scenario_services
from assessments.exceptions import (
    AssessmentNotEditable,
    ScenarioInvalid,
    StaleAssessment,
    StaleScenario,
)
from assessments.forms import conflict_merge, forms_fingerprint, merge_choices_apply
from assessments.models import EDITABLE_STATUSES, Assessment, FunctionAssessment
from assessments.scenario_forms import (
    PREFIX,
    ScenarioForms,
    change_rows,
    error_links,
    form_sections,
    scenario_changes_from,
    scenario_forms,
)
from assessments.scenario_models import Scenario
from assessments.selectors.labels import scenario_errors_text


def assessment_for_scenarios(request: HttpRequest, pk: int) -> Assessment:
    """The assessment with its mission, evaluation and function rows; 404 if not visible."""
    queryset = Assessment.objects.visible_to(request.user).select_related(
        "mission", "current_evaluation__rulebook"
    )
    rows = FunctionAssessment.objects.select_related("function").order_by("function__position")
    queryset = queryset.prefetch_related(Prefetch("function_assessments", queryset=rows))
    return get_object_or_404(queryset, pk=pk)


def may_write_scenarios(user, assessment: Assessment) -> bool:
    """Planners of the mission (admins too), while the assessment is a draft or returned."""
    return (
        assessment.status in EDITABLE_STATUSES
        and Assessment.objects.editable_by(user).filter(pk=assessment.pk).exists()
    )


def assessment_for_scenario_writes(request: HttpRequest, pk: int) -> Assessment:
    """The assessment if `request.user` may write its scenarios; 403 if only visible."""
    assessment = assessment_for_scenarios(request, pk)
    if not may_write_scenarios(request.user, assessment):
        raise PermissionDenied(
            _(
                "Only planners of the mission change its scenarios, while the assessment is a "
                "draft or returned."
            )
        )
    return assessment


def compare_url(assessment_id: int, *scenario_ids: int) -> str:
    query = urlencode([("s", scenario_id) for scenario_id in scenario_ids])
    url = reverse("scenario-compare", args=[assessment_id])
    return f"{url}?{query}" if query else url


def _not_editable(request: HttpRequest, assessment_id: int) -> HttpResponse:
    messages.error(
        request,
        _("Someone else submitted this assessment meanwhile: its scenarios are read-only."),
    )
    return redirect("assessment-detail", pk=assessment_id)


def _form_page(
    request: HttpRequest,
    assessment: Assessment,
    forms: ScenarioForms,
    *,
    scenario: Scenario | None,
    status: int,
    base: str,
    conflict_rows=None,
) -> HttpResponse:
    template = "assessments/scenario_conflict.html" if conflict_rows is not None else None
    return render(
        request,
        template or "assessments/scenario_form.html",
        {
            "assessment": assessment,
            "scenario": scenario,
            "forms": forms,
            "meta_form": forms.meta,
            "context_form": forms.context,
            "error_links": error_links(forms),
            "base": base,
            "conflict_rows": conflict_rows,
            **form_sections(forms),
        },
        status=status,
    )


def scenario_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A new scenario: the assessment's facts to change, a name and a note."""
    assessment = assessment_for_scenario_writes(request, pk)
    if request.method != "POST":
        forms = scenario_forms(assessment)
        base = forms_fingerprint(*forms.merge_shape)
        return _form_page(request, assessment, forms, scenario=None, status=200, base=base)
    forms = scenario_forms(assessment, data=request.POST)
    if forms.is_valid():
        try:
            scenario = scenario_services.scenario_create(
                assessment_id=assessment.pk,
                by=request.user,
                name=forms.meta.cleaned_data["name"],
                note=forms.meta.cleaned_data["note"],
                changes=scenario_changes_from(forms),
            )
        except ScenarioInvalid as exc:
            forms.errors_add(exc.errors)
        except AssessmentNotEditable:
            return _not_editable(request, assessment.pk)
        else:
            messages.success(request, _("Scenario saved."))
            return redirect(compare_url(assessment.pk, scenario.pk))
    base = request.POST.get("base", "")
    return _form_page(request, assessment, forms, scenario=None, status=400, base=base)


def scenario_edit(request: HttpRequest, pk: int, id: int) -> HttpResponse:
    """Edit a scenario against the version the page showed; a stale save shows the merge."""
    assessment = assessment_for_scenario_writes(request, pk)
    scenario = get_object_or_404(Scenario, assessment=assessment, pk=id)
    if request.method != "POST":
        forms = scenario_forms(assessment, scenario=scenario)
        base = forms_fingerprint(*forms.merge_shape)
        return _form_page(request, assessment, forms, scenario=scenario, status=200, base=base)
    data = request.POST.copy()
    merge_choices_apply(data, scenario_forms(assessment, scenario=scenario).merge_shape)
    forms = scenario_forms(assessment, scenario=scenario, data=data)
    if forms.is_valid():
        try:
            scenario_services.scenario_update(
                scenario_id=scenario.pk,
                by=request.user,
                expected_version=forms.meta.cleaned_data["version"] or 0,
                name=forms.meta.cleaned_data["name"],
                note=forms.meta.cleaned_data["note"],
                changes=scenario_changes_from(forms),
            )
        except ScenarioInvalid as exc:
            forms.errors_add(exc.errors)
        except StaleScenario:
            return _conflict_page(request, pk, scenario.pk, data, forms)
        except AssessmentNotEditable:
            return _not_editable(request, assessment.pk)
        else:
            messages.success(request, _("Scenario saved."))
            return redirect(compare_url(assessment.pk, scenario.pk))
    base = data.get("base", "")
    return _form_page(request, assessment, forms, scenario=scenario, status=400, base=base)


def _conflict_page(
    request: HttpRequest, pk: int, scenario_id: int, data, posted: ScenarioForms
) -> HttpResponse:
    """Both versions side by side and the merge in the form, to save against the new version.

    The assessment is read again: validating the posted forms wrote the typed values into the
    instances the page read (never saved)."""
    assessment = assessment_for_scenarios(request, pk)
    current = Scenario.objects.filter(assessment=assessment, pk=scenario_id).first()
    if current is None:
        messages.error(request, _("Someone else deleted this scenario while you were editing."))
        return redirect("assessment-detail", pk=pk)
    saved = scenario_forms(assessment, scenario=current)
    merged, rows = conflict_merge(
        data=data, posted_forms=posted.merge_shape, saved_forms=saved.merge_shape
    )
    base = forms_fingerprint(*saved.merge_shape)
    merged = merged.copy()
    for key in [key for key in merged if key.startswith("merge-")]:
        del merged[key]
    merged[f"{PREFIX}-version"] = str(current.version)
    merged["base"] = base
    forms = scenario_forms(assessment, scenario=current, data=merged)
    forms.is_valid()
    return _form_page(
        request, assessment, forms, scenario=current, status=409, base=base, conflict_rows=rows
    )


def scenario_delete(request: HttpRequest, pk: int, id: int) -> HttpResponse:
    """A confirmation page; only its POST deletes."""
    assessment = assessment_for_scenario_writes(request, pk)
    scenario = get_object_or_404(Scenario, assessment=assessment, pk=id)
    status = 200
    if request.method == "POST":
        version = request.POST.get("version", "")
        try:
            scenario_services.scenario_delete(
                scenario_id=scenario.pk,
                by=request.user,
                expected_version=int(version) if version.isdigit() else 0,
            )
        except StaleScenario:
            messages.warning(
                request,
                _(
                    "Someone else changed this scenario since you opened it: check it, then "
                    "confirm again."
                ),
            )
            status = 409
        except AssessmentNotEditable:
            return _not_editable(request, assessment.pk)
        else:
            messages.success(request, _("Scenario “%(name)s” deleted.") % {"name": scenario.name})
            return redirect("assessment-detail", pk=assessment.pk)
    return render(
        request,
        "assessments/scenario_delete.html",
        {"assessment": assessment, "scenario": scenario, "rows": change_rows(assessment, scenario)},
        status=status,
    )


def scenario_apply(request: HttpRequest, pk: int, id: int) -> HttpResponse:
    """A confirmation page listing each change (current → scenario); its POST copies them into
    the draft's facts, recorded in the history."""
    assessment = assessment_for_scenario_writes(request, pk)
    scenario = get_object_or_404(Scenario, assessment=assessment, pk=id)
    status = 200
    if request.method == "POST":
        version = request.POST.get("version", "")
        scenario_version = request.POST.get("scenario_version", "")
        try:
            scenario_services.scenario_apply(
                scenario_id=scenario.pk,
                by=request.user,
                expected_assessment_version=int(version) if version.isdigit() else 0,
                expected_scenario_version=(
                    int(scenario_version) if scenario_version.isdigit() else 0
                ),
            )
        except StaleScenario:
            messages.warning(
                request,
                _(
                    "Someone else changed this scenario since you opened this page; nothing was "
                    "applied. Its current changes are shown below: check them, then apply again."
                ),
            )
            status = 409  # `scenario` was read with this request: its current changes
        except StaleAssessment:
            messages.warning(
                request,
                _(
                    "Someone else saved the assessment since you opened this page; nothing was "
                    "changed. The current values are shown below: check them, then apply again."
                ),
            )
            assessment, status = assessment_for_scenarios(request, pk), 409
        except ScenarioInvalid as exc:
            messages.error(
                request,
                _("This scenario no longer fits the assessment: %(errors)s")
                % {"errors": scenario_errors_text(exc.errors.items())},
            )
            status = 400
        except AssessmentNotEditable:
            return _not_editable(request, assessment.pk)
        else:
            messages.success(
                request,
                _("Scenario “%(name)s” applied to the draft; the history records it.")
                % {"name": scenario.name},
            )
            return redirect("assessment-detail", pk=assessment.pk)
    return render(
        request,
        "assessments/scenario_apply.html",
        {"assessment": assessment, "scenario": scenario, "rows": change_rows(assessment, scenario)},
        status=status,
    )
