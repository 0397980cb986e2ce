"""Serving a finished job's files and its state, for the pages (views.py) and the API alike.

Callers check that the user may read the job first (selectors.report_job_get).
"""

from __future__ import annotations

from pathlib import PurePosixPath

from django.http import FileResponse, Http404
from django.urls import reverse

from reports.files import report_file_open
from reports.formats import FORMATS
from reports.models import ReportJob

# An HTML report opened from the download must not run anything in our origin.
DOWNLOAD_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'"


def job_status_dict(job: ReportJob, *, download_name: str) -> dict:
    """The state of a job as the page's script reads it."""
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


def report_file_response(job: ReportJob, fmt: str) -> FileResponse:
    """The stored file as an attachment; Http404 when there is none."""
    name = job.files.get(fmt) if job.state == ReportJob.State.SUCCEEDED else None
    if not name or fmt not in FORMATS:
        raise Http404
    try:
        stored = report_file_open(name)
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        stored,
        as_attachment=True,
        filename=PurePosixPath(name).name,
        content_type=FORMATS[fmt].content_type,
    )
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    return response
