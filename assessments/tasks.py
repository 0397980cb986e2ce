"""Celery tasks of assessments: thin adapters that take an id and call one service.

Options are declared once, here, and asserted by tests/decision/test_reevaluation_jobs.py.
"""

from __future__ import annotations

from celery import shared_task

from assessments.levers_cache import levers_warm
from assessments.reevaluation_jobs import reevaluation_job_run, reevaluation_jobs_sweep

REEVALUATE_OPTIONS = {
    "name": "assessments.reevaluate",
    # Acknowledged after the run and put back if the worker dies; the claim (a conditional
    # UPDATE with a lease) makes a second delivery harmless.
    "acks_late": True,
    "reject_on_worker_lost": True,
    # Every stored assessment, in batches: longer than a report, bounded all the same.
    "time_limit": 3600,
    "soft_time_limit": 3540,
    "ignore_result": True,
    "max_retries": 0,
}
SWEEP_OPTIONS = {
    "name": "assessments.reevaluation_sweep",
    "acks_late": False,  # a lost sweep is harmless: the next one re-selects by state
    "time_limit": 120,
    "soft_time_limit": 100,
    "ignore_result": True,
    "max_retries": 0,
}
LEVERS_WARM_OPTIONS = {
    "name": "assessments.levers_warm",
    # A lost warm-up is harmless: the first report or page that needs the levers computes them.
    "acks_late": False,
    # A batch of re-evaluation (500 evaluations, each in every language) takes seconds.
    "time_limit": 600,
    "soft_time_limit": 570,
    "ignore_result": True,
    "max_retries": 0,
}


@shared_task(**REEVALUATE_OPTIONS)
def reevaluation_job_run_task(job_id: int) -> None:
    reevaluation_job_run(job_id=job_id)


@shared_task(**SWEEP_OPTIONS)
def reevaluation_jobs_sweep_task() -> None:
    reevaluation_jobs_sweep()


@shared_task(**LEVERS_WARM_OPTIONS)
def levers_warm_task(evaluation_ids: list[int]) -> None:
    levers_warm(evaluation_ids=evaluation_ids)
