"""Publishing a job's task to the broker (after commit; the sweeper retries what fails)."""

from __future__ import annotations

import logging

from django.utils import timezone

from reports.models import ReportJob

logger = logging.getLogger(__name__)


def report_job_dispatch(*, job_id: int, countdown: float | None = None) -> bool:
    """Publish the job's task; True when the broker took it.

    Call after commit. A broker that is down makes this return False quickly instead of hanging
    the request: the job stays `queued` with no `dispatched_at`, and the sweeper publishes it
    once the broker is back.
    """
    from integration.broker import task_publish
    from reports.tasks import report_job_run_task  # tasks import the services

    try:
        task_publish(report_job_run_task, args=[job_id], countdown=countdown)
    except Exception:  # kombu, redis and socket errors alike: the sweeper retries.
        logger.warning("Report job %s: broker unavailable, left for the sweeper", job_id)
        return False
    ReportJob.objects.filter(pk=job_id).update(dispatched_at=timezone.now())
    return True
