"""Celery tasks: thin adapters that take an id and call one service.

Reliability options are declared once, here, and asserted by tests/reports/test_tasks.py (a
typo such as `max_retry` would otherwise silently do nothing). Retries are not Celery's: the
job row counts attempts and the service re-dispatches a failed attempt (docs/reports.md).
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from reports import services

RUN_OPTIONS = {
    "name": "reports.run",
    # Acknowledge after the run, and put the message back if the worker process dies, so a
    # killed child's report is delivered again; the claim makes the second delivery safe.
    "acks_late": True,
    "reject_on_worker_lost": True,
    # The hard limit kills the child; the soft one lets the service record the failure first.
    "time_limit": settings.CELERY_TASK_TIME_LIMIT,
    "soft_time_limit": settings.CELERY_TASK_SOFT_TIME_LIMIT,
    "ignore_result": True,
    "max_retries": 0,
}
SWEEP_OPTIONS = {
    "name": "reports.sweep",
    "acks_late": False,  # a lost sweep is harmless: the next one re-selects by state
    "time_limit": 120,
    "soft_time_limit": 100,
    "ignore_result": True,
    "max_retries": 0,
}


@shared_task(**RUN_OPTIONS)
def report_job_run_task(job_id: int) -> None:
    services.report_job_run(job_id=job_id)


@shared_task(**SWEEP_OPTIONS)
def report_jobs_sweep_task() -> None:
    services.report_jobs_sweep()
