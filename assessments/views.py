"""Pages for assessments: read one, start one, edit it (save a draft or submit).

Its history is history_views.py's."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import services
from assessments.edit_page import edit_page_context
from assessments.exceptions import (
    AssessmentIncomplete,
    AssessmentMandateEmpty,
    AssessmentNotEditable,
    StaleAssessment,
)
from assessments.facts import CONTEXT_FACT_SPECS, FUNCTION_FACT_SPECS, fact_labels, fact_rows
from assessments.forms import (
    ContextForm,
    FunctionFactsForm,
    ReviewForm,
    conflict_merge,
    contradictions_add,
    forms_fingerprint,
    merge_choices_apply,
)
from assessments.models import (
    EDITABLE_STATUSES,
    Assessment,
    FunctionAssessment,
    Override,
)
from assessments.selectors.preview import assessment_preview_get
from assessments.selectors.recommendations import (
    matrix_override_urls_set,
    recommendation_matrix_get,
)
from integration.engine import vocabulary
from missions import roles
from missions.models import Mission


def assessment_for_read(request: HttpRequest, pk: int) -> Assessment:
    """The assessment if `request.user` may read it (404 else), its functions in order."""
    return get_object_or_404(_readable(request), pk=pk)


def _readable(request: HttpRequest) -> QuerySet[Assessment]:
    queryset = Assessment.objects.visible_to(request.user).select_related(
        "mission", "updated_by", "created_by", "current_evaluation__rulebook"
    )
    queryset = queryset.prefetch_related(
        Prefetch(
            "function_assessments",
            queryset=FunctionAssessment.objects.select_related("function").order_by(
                "function__position"
            ),
        )
    )
    return queryset


def _can_edit(user, assessment: Assessment) -> bool:
    return Assessment.objects.editable_by(user).filter(pk=assessment.pk).exists()


def assessment_for_edit(request: HttpRequest, pk: int) -> Assessment:
    """The assessment if `request.user` plans for its mission; 403 if only visible; 404 else.

    Whether the user may edit it comes with the assessment, in its query: the live preview
    asks on every change the planner makes."""
    editable = Assessment.objects.editable_by(request.user).filter(pk=OuterRef("pk"))
    queryset = _readable(request).annotate(user_may_edit=Exists(editable))
    assessment = get_object_or_404(queryset, pk=pk)
    if not assessment.user_may_edit:
        raise PermissionDenied(_("You may only edit assessments of missions you plan for."))
    return assessment


def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The facts, the review status with HQ comments and overrides, and what the user may do."""
    return assessment_detail_page(request, pk)


def assessment_detail_page(
    request: HttpRequest, pk: int, *, review_form: ReviewForm | None = None, status: int = 200
) -> HttpResponse:
    """The detail page; review views re-render it with a refused review form, typed text kept."""
    assessment = assessment_for_read(request, pk)
    can_edit = assessment.status in EDITABLE_STATUSES and _can_edit(request.user, assessment)
    is_reviewer = roles.is_hq_reviewer(request.user)
    can_review = is_reviewer and assessment.status in (
        Assessment.Status.SUBMITTED,
        Assessment.Status.UNDER_REVIEW,
    )
    if review_form is None:
        review_form = ReviewForm(initial={"version": assessment.version})
    # The matrix, so a reviewer decides with the answers in sight and overrides from each cell.
    matrix = recommendation_matrix_get(assessment=assessment, what_if=False)
    if matrix is not None and can_review:
        matrix_override_urls_set(matrix=matrix, assessment_id=assessment.pk)
    return render(
        request,
        "assessments/assessment_detail.html",
        {
            "assessment": assessment,
            "facts": fact_rows(assessment, CONTEXT_FACT_SPECS),
            "function_fact_labels": fact_labels(FunctionAssessment, FUNCTION_FACT_SPECS),
            "function_rows": [
                (row, fact_rows(row, FUNCTION_FACT_SPECS))
                for row in assessment.function_assessments.all()
            ],
            "can_edit": can_edit,
            "can_review": can_review,
            "review_form": review_form,
            "matrix": matrix,
            "levels": vocabulary.LEVELS,
            "details_url": reverse("assessment-recommendations", args=[assessment.pk]),
            "comments": assessment.comments.select_related("author"),
            "overrides": Override.objects.filter(assessment=assessment).select_related(
                "function", "author"
            ),
        },
        status=status,
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


def edit_forms(assessment: Assessment, data=None):
    context_form = ContextForm(
        data, instance=assessment, initial={"version": assessment.version}, prefix="context"
    )
    function_forms = [
        (row, FunctionFactsForm(data, instance=row, prefix=row.function.code))
        for row in assessment.function_assessments.all()
    ]
    return context_form, function_forms


def edit_forms_valid(context_form, function_forms) -> bool:
    # Validate every form and look for contradictions among what is valid (no short-circuit),
    # so the planner meets every error, context and functions, in one round.
    results = [context_form.is_valid()] + [form.is_valid() for _row, form in function_forms]
    return contradictions_add(context_form, function_forms) and all(results)


def _impacts_require(function_forms) -> None:
    """An error beside each missing desired impact of a function in the mandate: a submit
    refused for other errors names these too, instead of in a second round."""
    for _row, form in function_forms:
        data = getattr(form, "cleaned_data", {})
        if data.get("in_mandate") and not (data.get("desired_impact") or "").strip():
            form.add_error("desired_impact", _("The desired impact is required to submit."))


def edit_page_render(
    request,
    assessment,
    forms,
    *,
    base: str,
    status: int,
    conflict_rows=None,
    template="assessments/assessment_edit.html",
    preview=None,
):
    context_form, function_forms = forms
    return render(
        request,
        template,
        {
            "assessment": assessment,
            "context_form": context_form,
            "function_forms": function_forms,
            "base": base,
            "conflict_rows": conflict_rows,
            # A returned assessment is edited to answer HQ: keep their comments in sight.
            "comments": assessment.comments.select_related("author")
            if assessment.status == Assessment.Status.RETURNED
            else (),
            "has_errors": bool(context_form.errors)
            or any(form.errors for _row, form in function_forms),
            "preview": preview,
            **edit_page_context(context_form, function_forms),
        },
        status=status,
    )


def assessment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the facts and save a draft, or save and submit.

    A save against a stale version never overwrites: it shows both versions, merged field by
    field where only one side changed, and asks the user to settle the rest (409). A submit
    that lacks desired impacts keeps the saved draft and puts the errors next to the fields.
    """
    assessment = assessment_for_edit(request, pk)
    if assessment.status not in EDITABLE_STATUSES:
        return _read_only(request, assessment)
    if request.method != "POST":
        forms = edit_forms(assessment)
        # The saved facts' recommendations from the start: the preview then marks what moves.
        preview = assessment_preview_get(
            assessment=assessment, rows=list(assessment.function_assessments.all())
        )
        return edit_page_render(
            request, assessment, forms, base=forms_fingerprint(*forms), status=200, preview=preview
        )

    data = request.POST.copy()
    merge_choices_apply(data, edit_forms(assessment))
    forms = edit_forms(assessment, data)
    if not edit_forms_valid(*forms):
        if request.POST.get("action") == "submit":
            _impacts_require(forms[1])
        return edit_page_render(request, assessment, forms, base=data.get("base", ""), status=400)
    saved = None
    try:
        saved = _save(request, assessment, forms)
        if request.POST.get("action") != "submit":
            messages.success(request, _("Draft saved."))
            return redirect("assessment-edit", pk=pk)
        services.assessment_submit(
            assessment_id=pk, by=request.user, expected_version=saved.version
        )
    except StaleAssessment:
        if saved is not None:  # someone saved between our save and the submit
            messages.warning(
                request,
                _(
                    "Your changes were saved, but someone else saved this assessment before it "
                    "could be submitted. Check both versions, then submit again."
                ),
            )
        return _conflict_page(request, pk, data, forms)
    except AssessmentNotEditable:  # submitted by someone else between our read and our write
        return _read_only(request, Assessment.objects.get(pk=pk))
    except AssessmentIncomplete as exc:
        message = _(
            "The draft was saved, but it cannot be submitted until every function in the "
            "mandate has a desired impact."
        )
        return _submit_refused(request, pk, data, message, missing=exc.missing)
    except AssessmentMandateEmpty:
        message = _(
            "The draft was saved, but it cannot be submitted until at least one function "
            "is marked as part of the mission's mandate."
        )
        return _submit_refused(request, pk, data, message)
    messages.success(request, _("Assessment submitted for HQ review; recommendations computed."))
    return redirect("assessment-recommendations", pk=pk)


def _save(request: HttpRequest, assessment: Assessment, forms) -> Assessment:
    """Save the valid forms' facts against the version the page showed."""
    context_form, function_forms = forms
    context = dict(context_form.cleaned_data)
    expected_version = context.pop("version")
    return services.assessment_update(
        assessment_id=assessment.pk,
        by=request.user,
        expected_version=expected_version,
        context=context,
        functions={row.function.code: dict(form.cleaned_data) for row, form in function_forms},
    )


def _submit_refused(
    request: HttpRequest, pk: int, data, message: str, *, missing: Iterable[str] = ()
) -> HttpResponse:
    """The saved draft with what was posted, why it cannot be submitted, and an error beside
    the desired impact of each function in `missing`."""
    saved = assessment_for_read(request, pk)
    forms = edit_forms(saved, _rebound(data, saved))
    edit_forms_valid(*forms)
    for row, form in forms[1]:
        if row.function.code in missing:
            form.add_error("desired_impact", _("The desired impact is required to submit."))
    messages.warning(request, message)
    return edit_page_render(
        request, saved, forms, base=forms_fingerprint(*edit_forms(saved)), status=400
    )


def _read_only(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    messages.error(
        request,
        _("This assessment is %(status)s: it is read-only.")
        % {"status": assessment.get_status_display()},
    )
    return redirect("assessment-detail", pk=assessment.pk)


def _conflict_page(request: HttpRequest, pk: int, data, posted_forms) -> HttpResponse:
    """Both versions side by side, and a form holding the merge, to save against the new one."""
    current = assessment_for_read(request, pk)
    if current.status not in EDITABLE_STATUSES:
        messages.error(
            request,
            _("Someone else submitted this assessment while you were editing; it is read-only."),
        )
        return redirect("assessment-detail", pk=pk)
    saved_forms = edit_forms(current)
    merged, rows = conflict_merge(data=data, posted_forms=posted_forms, saved_forms=saved_forms)
    base = forms_fingerprint(*saved_forms)
    merged = _rebound(merged, current)
    merged["base"] = base
    forms = edit_forms(current, merged)
    edit_forms_valid(*forms)
    return edit_page_render(
        request,
        current,
        forms,
        base=base,
        status=409,
        conflict_rows=rows,
        template="assessments/assessment_conflict.html",
    )


def _rebound(data, assessment: Assessment):
    """Posted data made to save against `assessment`'s current version; merge choices spent."""
    data = data.copy()
    data["context-version"] = str(assessment.version)
    for key in [key for key in data if key.startswith("merge-")]:
        del data[key]
    return data
