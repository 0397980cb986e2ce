"""Signals of the reports app, and its one receiver.

`report_progressed` is sent each time a claimed job records progress (with `job` and
`progress`). Nothing listens in production; tests connect to it to slow a report down, crash
it or kill its worker process (tests/reports/faults.py, installed by integration/test_settings.py).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import Signal, receiver

from reports.files import report_files_delete
from reports.models import ReportJob

report_progressed = Signal()


@receiver(post_delete, sender=ReportJob, dispatch_uid="reports-files-follow-their-job")
def report_job_deleted(sender, instance: ReportJob, **kwargs) -> None:
    """A deleted job takes its files with it (also when its mission's deletion cascades),
    once the deletion commits."""
    job_id = instance.pk
    transaction.on_commit(lambda: report_files_delete(job_id=job_id))
