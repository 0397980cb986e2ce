"""A Celery worker step: every worker publishes the sweeps of report jobs and re-evaluation jobs
when it starts and then every REPORTS_SWEEP_SECONDS, so a deployment that runs no beat (or lost
it) still recovers a job whose worker was killed outright. Its message is not acknowledged, and
Redis would hold it for the visibility timeout (an hour); the sweep re-dispatches the job once
its lease runs out instead.

Sweeps from several workers and beat overlap harmlessly (reports.services.claims,
assessments.reevaluation_jobs).
"""

from __future__ import annotations

import logging

from celery import bootsteps

logger = logging.getLogger(__name__)


class ReportSweeps(bootsteps.StartStopStep):
    """Publishes `reports.sweep` and `assessments.reevaluation_sweep` at start-up and
    periodically from the worker's own timer."""

    requires = {"celery.worker.components:Timer"}

    def __init__(self, worker, **kwargs) -> None:
        super().__init__(worker, **kwargs)
        self.timer_entry = None
        self.interval = 60.0

    def start(self, worker) -> None:
        from django.conf import settings

        self.interval = settings.REPORTS_SWEEP_SECONDS
        self.publish()
        self.timer_entry = worker.timer.call_repeatedly(self.interval, self.publish)

    def stop(self, worker) -> None:
        if self.timer_entry is not None:
            self.timer_entry.cancel()
            self.timer_entry = None

    def publish(self) -> None:
        from assessments.tasks import reevaluation_jobs_sweep_task
        from reports.tasks import report_jobs_sweep_task

        for task in (report_jobs_sweep_task, reevaluation_jobs_sweep_task):
            try:
                task.apply_async(expires=self.interval)
            except Exception:  # a broker hiccup: the next period publishes again
                logger.warning("%s not published: broker unavailable", task.name, exc_info=True)
