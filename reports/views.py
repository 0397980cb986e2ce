"""Report pages: request, follow progress, download, retry. Thin: services do the writes.

Who may do what (docs/reports.md): every signed-in user reads every mission, so every signed-in
user may request, follow, download and retry the reports of missions they can read, and
portfolio reports. Files are served only through `report_download`, after that check.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from missions.models import Mission
from reports import selectors, services
from reports.downloads import job_status_dict, report_file_response
from reports.exceptions import ReportError
from reports.formats import formats_for
from reports.models import ReportJob


def _job_or_404(request: HttpRequest, pk: int) -> ReportJob:
    try:
        return selectors.report_job_get(user=request.user, job_id=pk)
    except ReportJob.DoesNotExist as exc:
        raise Http404 from exc


@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    """The portfolio page: request a portfolio report, and every past report."""
    return render(
        request,
        "reports/report_list.html",
        {
            "jobs": selectors.report_jobs_list(user=request.user),
            "idempotency_key": uuid.uuid4().hex,
            "portfolio_formats": formats_for(ReportJob.Kind.PORTFOLIO),
        },
    )


@require_POST
def report_request(request: HttpRequest) -> HttpResponse:
    """Create (or find, on a double click) a job and show its page."""
    kind = request.POST.get("kind", "")
    mission = None
    if kind == ReportJob.Kind.MISSION:
        mission = (
            Mission.objects.visible_to(request.user)
            .filter(acronym=request.POST.get("mission", ""))
            .first()
        )
        if mission is None:
            raise Http404
    try:
        job, _created = services.report_job_request(
            kind=kind,
            by=request.user,
            mission=mission,
            formats=request.POST.getlist("formats"),
            parameters={"language": get_language()},
            idempotency_key=request.POST.get("idempotency_key", "")[:200],
        )
    except ReportError as exc:
        messages.error(request, str(exc))
        if mission is not None:
            return redirect("mission-detail", mission.acronym)
        return redirect("reports")
    return redirect("report-page", job.pk)


@require_GET
def report_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One job: a progress bar while it runs, downloads when done, the reason when it failed."""
    job = _job_or_404(request, pk)
    return render(
        request,
        "reports/report_detail.html",
        {"job": job, "status": job_status_dict(job, download_name="report-download")},
    )


@require_GET
def report_status(request: HttpRequest, pk: int) -> JsonResponse:
    """The job's state for the progress bar's script."""
    job = _job_or_404(request, pk)
    return JsonResponse(job_status_dict(job, download_name="report-download"))


@require_POST
def report_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue a failed job again."""
    job = _job_or_404(request, pk)
    if job.state != ReportJob.State.FAILED:
        messages.info(request, _("Only a failed report can be retried."))
    else:
        services.report_job_retry(job_id=job.pk, by=request.user)
    return redirect("report-page", job.pk)


@require_GET
def report_download(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    """A finished report's file, for users who may read the job."""
    return report_file_response(_job_or_404(request, pk), fmt)
