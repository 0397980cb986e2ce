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
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from missions.models import Mission
from reports import selectors, services
from reports.builders import report_path
from reports.exceptions import ReportError
from reports.models import ReportJob

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _job_or_404(request: HttpRequest, pk: int) -> ReportJob:
    try:
        return selectors.report_job_get(user=request.user, job_id=pk)
    except ReportJob.DoesNotExist as exc:
        raise Http404 from exc


def job_status_dict(job: ReportJob, *, download_name: str) -> dict:
    """The state of a job as the page's script and the API's clients read it."""
    return {
        "id": job.pk,
        "state": job.state,
        "state_label": str(job.get_state_display()),
        "progress": job.progress,
        "attempts": job.attempts,
        "error": job.error,
        "finished": job.is_finished,
        "files": {
            fmt: reverse(download_name, args=[job.pk, fmt])
            for fmt in (job.files if job.state == ReportJob.State.SUCCEEDED else {})
        },
    }


@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    """The portfolio page: request a portfolio report, and every past report."""
    return render(
        request,
        "reports/report_list.html",
        {
            "jobs": selectors.report_jobs_list(user=request.user),
            "idempotency_key": uuid.uuid4().hex,
            "portfolio_formats": services.FORMATS_BY_KIND[ReportJob.Kind.PORTFOLIO],
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


def report_file_response(job: ReportJob, fmt: str) -> FileResponse:
    """The stored file as an attachment; Http404 when there is none."""
    relative = job.files.get(fmt) if job.state == ReportJob.State.SUCCEEDED else None
    if not relative:
        raise Http404
    path = report_path(relative)
    if not path.is_file():
        raise Http404
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=path.name, content_type=CONTENT_TYPES[fmt]
    )
    # An HTML report opened from the download must not run anything in our origin.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; style-src 'unsafe-inline'"
    return response


@require_GET
def report_download(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    """A finished report's file, for users who may read the job."""
    return report_file_response(_job_or_404(request, pk), fmt)
