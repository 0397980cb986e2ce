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
    from integration.celery import app
    from reports.tasks import report_job_run_task  # tasks import the services

    try:
        # A fresh connection per dispatch: reports are rare, and it picks up the configured
        # broker each time instead of a pooled connection to a broker that went away. One try
        # to connect and two to publish, each bounded by the broker's socket timeouts
        # (settings.BROKER_SOCKET_TIMEOUT): a hung broker costs the request seconds, not a
        # worker timeout, and the sweeper does the retrying.
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=0, timeout=3)
            report_job_run_task.apply_async(
                args=[job_id],
                connection=connection,
                countdown=countdown,
                retry=True,
                retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.5},
            )
    except Exception:  # kombu, redis and socket errors alike: the sweeper retries.
        logger.warning("Report job %s: broker unavailable, left for the sweeper", job_id)
        return False
    ReportJob.objects.filter(pk=job_id).update(dispatched_at=timezone.now())
    return True
