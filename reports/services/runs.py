"""Running a job: claim it, build its files, finish it, or record why it failed."""

from __future__ import annotations

import logging

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError
from django.utils.translation import gettext as _

from reports.exceptions import ReportClaimLost, ReportNotPossible
from reports.files import report_files_delete
from reports.models import ReportJob
from reports.services import broker
from reports.services.claims import (
    ProgressCallback,
    report_job_claim,
    report_job_claim_refused,
    report_job_fail,
    report_job_finish,
    report_job_heartbeat,
    report_job_progress,
)

logger = logging.getLogger(__name__)
State = ReportJob.State


def report_error_message(exc: BaseException) -> str:
    """What the user reads about a failed attempt: plain words for the failures we know."""
    if isinstance(exc, SoftTimeLimitExceeded):
        return _("the report took longer than the time limit (%(n)s s)") % {
            "n": int(settings.CELERY_TASK_SOFT_TIME_LIMIT)
        }
    if isinstance(exc, DatabaseError):
        return _("the database could not be reached or refused the request")
    if isinstance(exc, OSError):
        return _("the report files could not be written")
    return str(exc) or exc.__class__.__name__


def report_job_run(
    *,
    job_id: int,
    worker: str = "",
    on_progress: ProgressCallback | None = None,
    retry: bool = True,
) -> ReportJob | None:
    """Claim the job, build its files, finish it. Safe to call twice: a second call finds the
    job claimed or finished and returns None (see report_job_claim_refused).

    A failed attempt is queued again with a back-off until the attempt limit; then the job is
    `failed` with the error for the user. A failed attempt's files are removed at once, so a
    failed job leaves none. With `retry=False` (the `report` command, which runs in its own
    process) a failed attempt is final: nothing is handed to the workers.
    """
    from reports.builders import report_files_build

    job = report_job_claim(job_id=job_id, worker=worker)
    if job is None:
        done = report_job_claim_refused(job_id=job_id)
        logger.info("Report job %s: not claimed (%s)", job_id, done)
        return None

    def step(progress: int) -> None:
        report_job_progress(job=job, progress=progress)
        if on_progress is not None:
            on_progress(progress)

    try:
        with report_job_heartbeat(job=job):
            files = report_files_build(job=job, step=step)
    except ReportClaimLost:
        logger.warning("Report job %s: claim lost mid-way; the new holder finishes it", job_id)
        return None
    except ReportNotPossible as exc:
        _attempt_failed(job, str(exc), final=True)
    except Exception as exc:
        logger.exception("Report job %s: attempt %s failed", job_id, job.attempts)
        if not retry:
            _attempt_failed(job, report_error_message(exc), final=True)
            return ReportJob.objects.get(pk=job_id)
        message = _("Attempt %(n)s of %(max)s failed: %(error)s") % {
            "n": job.attempts,
            "max": settings.REPORTS_MAX_ATTEMPTS,
            "error": report_error_message(exc),
        }
        if _attempt_failed(job, message) == State.QUEUED:
            broker.report_job_dispatch(job_id=job_id, countdown=_backoff(job.attempts))
    else:
        if not report_job_finish(job=job, files=files):
            logger.warning("Report job %s: claim lost before finishing", job_id)
    return ReportJob.objects.get(pk=job_id)


def _attempt_failed(job: ReportJob, error: str, *, final: bool = False) -> str:
    """Record the failed attempt and, if this worker still held the claim, remove what it
    wrote (the next attempt writes every file again)."""
    state = report_job_fail(job=job, error=error, final=final)
    if state:
        report_files_delete(job_id=job.pk)
    return state


def _backoff(attempts: int) -> float:
    return settings.REPORTS_RETRY_DELAY_SECONDS * attempts
