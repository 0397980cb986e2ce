"""Task options are declared once and asserted here: a typo would silently do nothing."""

from __future__ import annotations

from django.conf import settings

from integration.celery import app
from reports.tasks import report_job_run_task, report_jobs_sweep_task


def test_the_report_task_acknowledges_late_and_requeues_when_its_worker_dies():
    task = app.tasks["reports.run"]
    assert task.name == report_job_run_task.name
    assert task.acks_late is True
    assert task.reject_on_worker_lost is True
    assert task.ignore_result is True
    # Attempts are counted on the job row, not by Celery: no Celery retries.
    assert task.max_retries == 0


def test_the_report_task_has_time_limits_and_a_lease_its_heartbeat_keeps_fresh():
    task = report_job_run_task
    assert task.soft_time_limit < task.time_limit == settings.CELERY_TASK_TIME_LIMIT
    # The lease does not depend on the time limit: a live task renews its heartbeat in the
    # background, and would have to miss two beats in a row before it is presumed lost.
    assert 0 < 3 * settings.REPORTS_HEARTBEAT_SECONDS <= settings.REPORTS_LEASE_SECONDS


def test_the_sweeper_runs_periodically_with_time_limits():
    entry = settings.CELERY_BEAT_SCHEDULE["reports-sweep"]
    assert app.tasks[entry["task"]].name == report_jobs_sweep_task.name
    assert entry["schedule"] == settings.REPORTS_SWEEP_SECONDS
    assert report_jobs_sweep_task.time_limit
    assert report_jobs_sweep_task.soft_time_limit


def test_celery_speaks_json_with_one_prefetched_message():
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
