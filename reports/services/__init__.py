"""Writes to report jobs: request, dispatch, claim, progress, finish, fail, retry, sweep.

The life of a job (docs/reports.md): `queued` → (claimed by a worker) `running` → `succeeded`
or, after REPORTS_MAX_ATTEMPTS claims, `failed`. `jobs` creates and re-queues jobs, `broker`
publishes them, `claims` holds the worker's conditional UPDATEs and the sweeper, `runs` runs
one attempt.
"""

from reports.services.broker import report_job_dispatch
from reports.services.claims import (
    report_job_claim,
    report_job_claim_refused,
    report_job_fail,
    report_job_finish,
    report_job_heartbeat,
    report_job_progress,
    report_jobs_sweep,
)
from reports.services.jobs import report_job_request, report_job_retry
from reports.services.runs import report_error_message, report_job_run

__all__ = [
    "report_error_message",
    "report_job_claim",
    "report_job_claim_refused",
    "report_job_dispatch",
    "report_job_fail",
    "report_job_finish",
    "report_job_heartbeat",
    "report_job_progress",
    "report_job_request",
    "report_job_retry",
    "report_job_run",
    "report_jobs_sweep",
]
