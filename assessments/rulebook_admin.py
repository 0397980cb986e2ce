"""The rulebook admin with what re-evaluation adds: the preview of what a rulebook would change
in the stored assessments, and re-evaluating them under the published one as a background job
with a progress bar. Re-evaluation is the assessments' business, so these pages live here and
the rulebook admin (integration, a layer below) knows nothing of them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from assessments.models import Assessment
from assessments.reevaluation import assessments_reevaluate
from assessments.reevaluation_display import change_row
from assessments.reevaluation_jobs import reevaluation_job_request
from assessments.reevaluation_models import ReevaluationJob
from integration.admin import RulebookAdmin
from integration.exceptions import RulebookStateError
from integration.models import Rulebook


def _job_status(job: ReevaluationJob) -> dict[str, object]:
    return {
        "state": job.state,
        "state_label": str(job.get_state_display()),
        "progress": job.progress,
        "done": job.done,
        "total": job.total,
        "finished": job.is_finished,
    }


class RulebookWithPreviewAdmin(RulebookAdmin):
    """Rulebooks, with the preview before publishing and re-evaluation after."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/preview/", view(self.preview_view), name="integration_rulebook_preview"),
            path(
                "<int:pk>/reevaluate/",
                view(self.reevaluate_view),
                name="integration_rulebook_reevaluate",
            ),
            path(
                "<int:pk>/reevaluate/<int:job_id>/",
                view(self.reevaluation_view),
                name="integration_rulebook_reevaluation",
            ),
            path(
                "<int:pk>/reevaluate/<int:job_id>/status/",
                view(self.reevaluation_status_view),
                name="integration_rulebook_reevaluation_status",
            ),
            *super().get_urls(),
        ]

    def publish_review_url(self, pk: int) -> str:
        return reverse("admin:integration_rulebook_preview", args=[pk])

    def response_published(self, request, rulebook: Rulebook):
        return redirect(reverse("admin:integration_rulebook_reevaluate", args=[rulebook.pk]))

    def _context(self, request: HttpRequest, rulebook: Rulebook, title: str) -> dict:
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "rulebook": rulebook,
            "opts": self.model._meta,
        }

    def preview_view(self, request: HttpRequest, pk: int):
        """What re-evaluating every stored assessment under this rulebook would change."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        rulebook = get_object_or_404(Rulebook, pk=pk)
        result = assessments_reevaluate(rulebook=rulebook, dry_run=True)
        context = self._context(
            request, rulebook, _("Preview of %(v)s") % {"v": rulebook.version}
        ) | {"result": result, "rows": [change_row(change) for change in result.changes]}
        return TemplateResponse(request, "admin/integration/rulebook/preview.html", context)

    def reevaluate_view(self, request: HttpRequest, pk: int):
        """GET: how many assessments answer under another rulebook, and a button; POST: queue
        the job and follow it."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        rulebook = get_object_or_404(Rulebook, pk=pk)
        if request.method == "POST":
            try:
                job, _created = reevaluation_job_request(rulebook=rulebook, by=request.user)
            except RulebookStateError as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return redirect(reverse("admin:integration_rulebook_change", args=[pk]))
            return redirect(reverse("admin:integration_rulebook_reevaluation", args=[pk, job.pk]))
        evaluated = Assessment.objects.filter(current_evaluation__isnull=False)
        context = self._context(
            request, rulebook, _("Re-evaluate under %(v)s") % {"v": rulebook.version}
        ) | {
            "out_of_date": evaluated.exclude(current_evaluation__rulebook=rulebook).count(),
            "evaluated": evaluated.count(),
            "jobs": ReevaluationJob.objects.filter(rulebook=rulebook)[:5],
        }
        return TemplateResponse(request, "admin/integration/rulebook/reevaluate.html", context)

    def reevaluation_view(self, request: HttpRequest, pk: int, job_id: int):
        """One re-evaluation job with its progress bar (static/assessments/reevaluation.js
        follows it)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        job = get_object_or_404(
            ReevaluationJob.objects.select_related("rulebook"), pk=job_id, rulebook_id=pk
        )
        context = self._context(
            request, job.rulebook, _("Re-evaluation under %(v)s") % {"v": job.rulebook.version}
        ) | {"job": job}
        return TemplateResponse(request, "admin/integration/rulebook/reevaluation.html", context)

    def reevaluation_status_view(self, request: HttpRequest, pk: int, job_id: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        job = get_object_or_404(ReevaluationJob, pk=job_id, rulebook_id=pk)
        return JsonResponse(_job_status(job))
