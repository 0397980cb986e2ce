"""The worker's side of a job: claim, heartbeat, progress, finish, fail, and the sweeper.

Every state change is a conditional UPDATE whose row count is checked, so two workers (a
redelivered message, a sweeper re-dispatch, a double click) can never both do the work or both
write the result.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db import connection as db_connection
from django.db.models import Case, F, Q, TextField, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.exceptions import ReportClaimLost
from reports.files import report_files_delete
from reports.models import ReportJob
from reports.services import broker
from reports.signals import report_progressed

logger = logging.getLogger(__name__)
State = ReportJob.State
ProgressCallback = Callable[[int], None]


def _worker_name() -> str:
    return f"{socket.gethostname()} pid {os.getpid()}"


def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.REPORTS_LEASE_SECONDS)


def report_job_claim(*, job_id: int, worker: str = "") -> ReportJob | None:
    """Take the job for this process, or None when someone else has it or it is finished.

    A queued job is claimable; so is a running job whose heartbeat is older than the lease
    (its worker died). Each claim counts one attempt and hands out a new token.
    """
    now = timezone.now()
    token = uuid.uuid4().hex
    claimed = (
        ReportJob.objects.filter(pk=job_id, attempts__lt=settings.REPORTS_MAX_ATTEMPTS)
        .filter(Q(state=State.QUEUED) | Q(state=State.RUNNING, heartbeat_at__lt=now - _lease()))
        .update(
            state=State.RUNNING,
            attempts=F("attempts") + 1,
            progress=0,
            claim_token=token,
            claimed_by=worker or _worker_name(),
            started_at=now,
            heartbeat_at=now,
        )
    )
    if not claimed:
        return None
    return ReportJob.objects.select_related("mission", "requested_by").get(pk=job_id)


def _stopped_message() -> str:
    return _(
        "The report stopped %(n)s times before finishing (its worker was lost or hit the time "
        "limit); giving up."
    ) % {"n": settings.REPORTS_MAX_ATTEMPTS}


def report_job_claim_refused(*, job_id: int) -> str:
    """What a delivery that could not claim its job does; returns what it did.

    The usual case is a message put back when its worker died (acks_late, reject_on_worker_lost):
    it arrives at once, while the dead attempt's heartbeat is still fresh. Dropping it would
    leave the job to the sweeper; instead it is published again for when the lease runs out,
    and that delivery takes over. A job out of attempts whose worker is gone is failed; a
    finished job, or one queued for another message, needs nothing.
    """
    job = ReportJob.objects.filter(pk=job_id).only("state", "attempts", "heartbeat_at").first()
    if job is None or job.is_finished:
        return "finished"
    now = timezone.now()
    if job.state == State.RUNNING and job.heartbeat_at and job.heartbeat_at >= now - _lease():
        # Come back just after the lease runs out (bounded: a clock oddity never parks it).
        left = (job.heartbeat_at + _lease() - now).total_seconds() + 1
        countdown = min(max(left, 1.0), settings.REPORTS_LEASE_SECONDS + 1)
        broker.report_job_dispatch(job_id=job_id, countdown=countdown)
        return "redispatched"
    if job.attempts >= settings.REPORTS_MAX_ATTEMPTS:
        return "failed" if _jobs_out_of_attempts_fail(ids=[job_id], now=now) else "nothing"
    return "nothing"


def _heartbeat_renew(*, job: ReportJob) -> bool:
    return bool(
        ReportJob.objects.filter(
            pk=job.pk, state=State.RUNNING, claim_token=job.claim_token
        ).update(heartbeat_at=timezone.now())
    )


class _Heartbeat(threading.Thread):
    """Renews a claimed job's heartbeat every `every` seconds while its files are built, so a
    live report keeps its claim through a long render and a dead one loses it within the lease.
    It has its own database connection and closes it when it stops."""

    def __init__(self, *, job: ReportJob, every: float) -> None:
        super().__init__(name=f"report-{job.pk}-heartbeat", daemon=True)
        self.job = job
        self.every = every
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(self.every):
                if not _heartbeat_renew(job=self.job):
                    return  # the claim is gone; the build notices at its next progress step
        except DatabaseError:
            logger.warning("Report job %s: heartbeat failed", self.job.pk, exc_info=True)
        finally:
            db_connection.close()


@contextmanager
def report_job_heartbeat(*, job: ReportJob, every: float | None = None) -> Iterator[None]:
    """Keep the claim's heartbeat fresh in the background for the duration of the block.

    Another connection can only renew a committed claim, so inside a transaction (a test's) the
    progress steps alone renew it.
    """
    every = settings.REPORTS_HEARTBEAT_SECONDS if every is None else every
    if every <= 0 or transaction.get_connection().in_atomic_block:
        yield
        return
    beat = _Heartbeat(job=job, every=every)
    beat.start()
    try:
        yield
    finally:
        beat.stopped.set()
        beat.join(timeout=10)


def report_job_progress(*, job: ReportJob, progress: int) -> None:
    """Record progress and renew the lease; ReportClaimLost if another worker took over.

    Sends `report_progressed` once recorded: nothing listens in production; the tests' fault
    injection (tests/reports/faults.py) slows, crashes or kills a worker from there.
    """
    updated = ReportJob.objects.filter(
        pk=job.pk, state=State.RUNNING, claim_token=job.claim_token
    ).update(progress=min(progress, 99), heartbeat_at=timezone.now())
    if not updated:
        raise ReportClaimLost(f"Report job {job.pk}: claim lost")
    report_progressed.send(sender=ReportJob, job=job, progress=progress)


def report_job_finish(*, job: ReportJob, files: dict[str, str]) -> bool:
    """Mark the job succeeded with its files, if this worker still holds the claim."""
    updated = ReportJob.objects.filter(
        pk=job.pk, state=State.RUNNING, claim_token=job.claim_token
    ).update(
        state=State.SUCCEEDED,
        progress=100,
        files=files,
        error="",
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )
    return bool(updated)


def report_job_fail(*, job: ReportJob, error: str, final: bool = False) -> str:
    """Record a failed attempt; the job goes back to `queued` or, out of attempts (or `final`),
    to `failed`. Returns the new state ("" if this worker had lost the claim)."""
    out_of_attempts = final or job.attempts >= settings.REPORTS_MAX_ATTEMPTS
    state = State.FAILED if out_of_attempts else State.QUEUED
    updated = ReportJob.objects.filter(
        pk=job.pk, state=State.RUNNING, claim_token=job.claim_token
    ).update(
        state=state,
        error=error[:2000],
        claim_token="",
        finished_at=timezone.now() if out_of_attempts else None,
        dispatched_at=None,
    )
    return state if updated else ""


def _jobs_out_of_attempts_fail(*, ids: list[int], now: dt.datetime) -> int:
    """Fail the given jobs that are out of attempts and not being worked on: running with a
    stale heartbeat, or queued (after the attempt limit was lowered, say). A queued job keeps
    its last attempt's error; a lost one says it stopped. What a lost attempt stored is removed:
    a failed job leaves no file."""
    stuck = Q(state=State.QUEUED) | Q(state=State.RUNNING, heartbeat_at__lt=now - _lease())
    failed = (
        ReportJob.objects.filter(pk__in=ids, attempts__gte=settings.REPORTS_MAX_ATTEMPTS)
        .filter(stuck)
        .update(
            state=State.FAILED,
            claim_token="",
            finished_at=now,
            error=Case(
                When(state=State.QUEUED, error__gt="", then=F("error")),
                default=Value(_stopped_message()),
                output_field=TextField(),
            ),
        )
    )
    if failed:
        # The rows this update failed carry its timestamp (another sweep's carry their own).
        mine = ReportJob.objects.filter(pk__in=ids, state=State.FAILED, finished_at=now)
        for job_id in mine.values_list("pk", flat=True):
            report_files_delete(job_id=job_id)
    return failed


def report_jobs_sweep(*, batch: int | None = None) -> dict[str, int]:
    """Re-dispatch jobs that were never dispatched or whose worker vanished; fail jobs that ran
    out of attempts. Re-selects by state in bounded batches, so overlapping runs are harmless:
    a duplicate message finds the job claimed and does nothing.
    """
    batch = batch or settings.REPORTS_SWEEP_BATCH
    max_attempts = settings.REPORTS_MAX_ATTEMPTS
    now = timezone.now()
    lost = ReportJob.objects.filter(state=State.RUNNING, heartbeat_at__lt=now - _lease())
    queued = ReportJob.objects.filter(state=State.QUEUED)

    exhausted = lost.filter(attempts__gte=max_attempts).values_list("pk", flat=True)[:batch]
    exhausted_queued = queued.filter(attempts__gte=max_attempts).values_list("pk", flat=True)
    failed = _jobs_out_of_attempts_fail(
        ids=list(exhausted) + list(exhausted_queued[:batch]), now=now
    )

    undispatched = queued.filter(attempts__lt=max_attempts).filter(
        Q(dispatched_at__isnull=True)
        | Q(dispatched_at__lt=now - dt.timedelta(seconds=settings.REPORTS_REDISPATCH_SECONDS))
    )
    ids = list(undispatched.order_by("pk").values_list("pk", flat=True)[:batch])
    ids += list(
        lost.filter(attempts__lt=max_attempts).order_by("pk").values_list("pk", flat=True)[:batch]
    )
    dispatched = sum(broker.report_job_dispatch(job_id=job_id) for job_id in ids)
    if failed or ids:
        logger.info("Report sweep: %s dispatched of %s, %s failed", dispatched, len(ids), failed)
    return {"dispatched": dispatched, "candidates": len(ids), "failed": failed}
