"""Pages for assessments: read one, start one, edit one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import services
from assessments.exceptions import AssessmentNotEditable, StaleAssessment
from assessments.forms import ContextForm, FunctionFactsForm
from assessments.models import Assessment, FunctionAssessment
from missions.models import Mission


def _assessment_for_read(request: HttpRequest, pk: int) -> Assessment:
    queryset = Assessment.objects.visible_to(request.user).select_related("mission")
    queryset = queryset.prefetch_related(
        Prefetch(
            "function_assessments",
            queryset=FunctionAssessment.objects.select_related("function").order_by(
                "function__position"
            ),
        )
    )
    return get_object_or_404(queryset, pk=pk)


def _assessment_for_edit(request: HttpRequest, pk: int) -> Assessment:
    """The assessment if `request.user` plans for its mission; 403 if only visible; 404 else."""
    assessment = _assessment_for_read(request, pk)
    if not Assessment.objects.editable_by(request.user).filter(pk=pk).exists():
        raise PermissionDenied(_("You may only edit assessments of missions you plan for."))
    return assessment


def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment_for_read(request, pk)
    can_edit = (
        assessment.status in services.EDITABLE_STATUSES
        and Assessment.objects.editable_by(request.user).filter(pk=pk).exists()
    )
    return render(
        request,
        "assessments/assessment_detail.html",
        {"assessment": assessment, "can_edit": can_edit},
    )


@require_POST
def assessment_start(request: HttpRequest, acronym: str) -> HttpResponse:
    """Start a draft for a mission, prefilled from its previous assessment."""
    mission = get_object_or_404(Mission.objects.visible_to(request.user), acronym=acronym)
    if not Mission.objects.editable_by(request.user).filter(pk=mission.pk).exists():
        raise PermissionDenied(_("You may only start assessments for missions you plan for."))
    assessment = services.assessment_create(mission=mission, by=request.user)
    messages.success(request, _("A new draft assessment was started."))
    return redirect("assessment-edit", pk=assessment.pk)


def _forms(assessment: Assessment, data=None):
    context_form = ContextForm(
        data, instance=assessment, initial={"version": assessment.version}, prefix="context"
    )
    function_forms = [
        (row, FunctionFactsForm(data, instance=row, prefix=row.function.code))
        for row in assessment.function_assessments.all()
    ]
    return context_form, function_forms


def assessment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the facts; a save on a stale version shows both versions instead of overwriting."""
    assessment = _assessment_for_edit(request, pk)
    if assessment.status not in services.EDITABLE_STATUSES:
        raise PermissionDenied(_("Only drafts and returned assessments can be edited."))
    conflict = None
    if request.method == "POST":
        context_form, function_forms = _forms(assessment, request.POST)
        if context_form.is_valid() and all(form.is_valid() for _row, form in function_forms):
            context = dict(context_form.cleaned_data)
            expected_version = context.pop("version")
            functions = {row.function.code: dict(form.cleaned_data) for row, form in function_forms}
            try:
                services.assessment_update(
                    assessment_id=assessment.pk,
                    by=request.user,
                    expected_version=expected_version,
                    context=context,
                    functions=functions,
                )
            except StaleAssessment:
                # Keep what this user typed, show the saved version beside it, and let the
                # next save (against the new version) be the explicit merge.
                conflict = _assessment_for_read(request, pk)
                data = request.POST.copy()
                data["context-version"] = str(conflict.version)
                context_form, function_forms = _forms(conflict, data)
                context_form.is_valid()
            except AssessmentNotEditable as exc:
                raise PermissionDenied(str(exc)) from exc
            else:
                messages.success(request, _("Draft saved."))
                return redirect("assessment-edit", pk=assessment.pk)
        if conflict is not None:
            return render(
                request,
                "assessments/assessment_conflict.html",
                {
                    "assessment": conflict,
                    "context_form": context_form,
                    "function_forms": function_forms,
                },
                status=409,
            )
    else:
        context_form, function_forms = _forms(assessment)
    return render(
        request,
        "assessments/assessment_edit.html",
        {
            "assessment": assessment,
            "context_form": context_form,
            "function_forms": function_forms,
        },
        status=400 if request.method == "POST" else 200,
    )
