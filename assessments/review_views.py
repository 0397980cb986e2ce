"""HQ review pages: the queue, approve or return, override one recommendation."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import review_services
from assessments.engine_texts import engine_texts_get
from assessments.exceptions import ReviewNotAllowed, StaleAssessment
from assessments.forms import OverrideForm, ReviewForm
from assessments.models import Assessment, HistoryEntry, Override, Recommendation
from assessments.selectors.rule_titles import rules_explained
from assessments.views import assessment_detail_page
from integration.engine import vocabulary
from integration.services import rulebook_engine_get
from missions import roles


def _require_reviewer(request: HttpRequest) -> None:
    if not roles.is_hq_reviewer(request.user):
        raise PermissionDenied(_("Only HQ reviewers review assessments."))


def review_queue(request: HttpRequest) -> HttpResponse:
    """Submitted assessments waiting for HQ, oldest first. Every signed-in user may look."""
    # Submitter and time come from the latest "submitted" history entry: updated_by/updated_at
    # move when a reviewer marks the assessment as under review.
    submissions = HistoryEntry.objects.filter(
        assessment=OuterRef("pk"), action=HistoryEntry.Action.SUBMITTED
    ).order_by("-created_at", "-id")
    waiting = (
        Assessment.objects.visible_to(request.user)
        .filter(status__in=review_services.REVIEWABLE_STATUSES)
        .select_related("mission")
        .annotate(
            override_count=Count("overrides", distinct=True),
            submitted_by=Subquery(submissions.values("actor__username")[:1]),
            submitted_at=Coalesce(Subquery(submissions.values("created_at")[:1]), "updated_at"),
        )
        .order_by("submitted_at", "id")
    )
    return render(
        request,
        "assessments/review_queue.html",
        {"assessments": waiting, "is_reviewer": roles.is_hq_reviewer(request.user)},
    )


@require_POST
def assessment_review(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    """Approve, return (comment required) or start reviewing an assessment.

    A refused review re-renders the assessment page with the comment as typed and the reason
    next to it; nothing is lost.
    """
    _require_reviewer(request)
    if decision not in ("approve", "return", "start"):
        raise Http404
    assessment = get_object_or_404(Assessment.objects.visible_to(request.user), pk=pk)
    form = ReviewForm(request.POST)
    if form.is_valid() and decision == "return" and not form.cleaned_data["comment"]:
        form.add_error("comment", _("A comment is required to return an assessment."))
    if not form.is_valid():
        return assessment_detail_page(request, pk, review_form=form, status=400)
    arguments = {
        "assessment_id": assessment.pk,
        "by": request.user,
        "expected_version": form.cleaned_data["version"],
    }
    try:
        if decision == "approve":
            review_services.assessment_approve(**arguments, comment=form.cleaned_data["comment"])
            messages.success(request, _("Assessment approved."))
        elif decision == "return":
            review_services.assessment_return(**arguments, comment=form.cleaned_data["comment"])
            messages.success(request, _("Assessment returned to its planners."))
        else:
            review_services.assessment_review_start(**arguments)
            messages.success(request, _("Review started."))
    except StaleAssessment as exc:
        # Keep the comment; the next decision is made against the version now shown.
        form = ReviewForm({"version": exc.current_version, "comment": form.cleaned_data["comment"]})
        form.is_valid()
        form.add_error(
            None,
            _(
                "The assessment changed since you opened it; nothing was done. Read it again, "
                "then decide."
            ),
        )
        return assessment_detail_page(request, pk, review_form=form, status=409)
    except ReviewNotAllowed:
        form.add_error(
            None,
            _("This assessment is %(status)s: it is not awaiting review.")
            % {"status": Assessment.objects.get(pk=pk).get_status_display()},
        )
        return assessment_detail_page(request, pk, review_form=form, status=400)
    return redirect("assessment-detail", pk=pk)


def assessment_override(request: HttpRequest, pk: int, function: str, level: str) -> HttpResponse:
    """Show the engine's answer for one cell and let an HQ reviewer override its degree."""
    _require_reviewer(request)
    if level not in vocabulary.values(vocabulary.LEVELS):
        raise Http404
    assessment = get_object_or_404(
        Assessment.objects.visible_to(request.user).select_related("mission"), pk=pk
    )
    if assessment.status not in review_services.REVIEWABLE_STATUSES:
        messages.error(
            request,
            _("This assessment is %(status)s: it is not awaiting review.")
            % {"status": assessment.get_status_display()},
        )
        return redirect("assessment-recommendations", pk=pk)
    recommendation = get_object_or_404(
        Recommendation.objects.select_related("function", "evaluation__rulebook"),
        evaluation_id=assessment.current_evaluation_id,
        function__code=function,
        level=level,
    )
    texts = engine_texts_get(evaluation=recommendation.evaluation)
    current = (
        Override.objects.filter(assessment=assessment, function__code=function, level=level)
        .select_related("author")
        .first()
    )
    if request.method == "POST":
        form = OverrideForm(request.POST)
        if form.is_valid():
            try:
                review_services.recommendation_override(
                    assessment_id=assessment.pk,
                    by=request.user,
                    function_code=function,
                    level=level,
                    degree=form.cleaned_data["degree"],
                    justification=form.cleaned_data["justification"],
                )
            except ReviewNotAllowed as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Override saved; the engine's answer stays visible."))
                return redirect("assessment-recommendations", pk=pk)
    else:
        initial = (
            {"degree": current.degree, "justification": current.justification}
            if current
            else {"degree": recommendation.degree}
        )
        form = OverrideForm(initial=initial)
    return render(
        request,
        "assessments/override.html",
        {
            "assessment": assessment,
            "recommendation": recommendation,
            "rules": rules_explained(
                texts.rules(function, level, recommendation.rules),
                rulebook_engine_get(rulebook=recommendation.evaluation.rulebook),
            ),
            "barriers": texts.barriers(function, level, recommendation.barriers),
            "current": current,
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )
