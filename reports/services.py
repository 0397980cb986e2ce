"""Writes to report jobs: request, dispatch, claim, progress, finish, fail, retry, sweep.

The life of a job (docs/reports.md): `queued` → (claimed by a worker) `running` → `succeeded`
or, after REPORTS_MAX_ATTEMPTS claims, `failed`. Every state change is a conditional UPDATE
whose row count is checked, so two workers (a redelivered message, a sweeper re-dispatch, a
double click) can never both do the work or both write the result.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import signal
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError, transaction
from django.db import connection as db_connection
from django.db.models import Case, F, Q, TextField, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Assessment
from missions.models import Mission
from reports.exceptions import (
    IdempotencyKeyReused,
    ReportClaimLost,
    ReportNotPossible,
    ReportRequestInvalid,
)
from reports.models import ReportJob

logger = logging.getLogger(__name__)

State = ReportJob.State
FORMATS_BY_KIND = {
    ReportJob.Kind.MISSION: ("pdf", "html", "xlsx"),
    ReportJob.Kind.PORTFOLIO: ("pdf", "xlsx"),
}
ProgressCallback = Callable[[int], None]


def _key_hash(*, by, key: str) -> str:
    owner = str(by.pk) if by is not None else "cli"
    return hashlib.sha256(f"{owner}:{key}".encode()).hexdigest()


def report_job_request(
    *,
    kind: str,
    by,
    formats: list[str],
    mission: Mission | None = None,
    parameters: dict[str, Any] | None = None,
    idempotency_key: str = "",
    dispatch: bool = True,
) -> tuple[ReportJob, bool]:
    """Create a queued job and dispatch it once the transaction commits; (job, created).

    The same `idempotency_key` from the same requester returns the first job (a double click,
    a retried POST). Without a key, an identical request still queued or running is returned.
    Raises ReportRequestInvalid for an unknown kind or format, IdempotencyKeyReused when the key
    came before with a different request. `dispatch=False` leaves publishing to the caller (the
    `report` command runs the job in-process).
    """
    if kind not in FORMATS_BY_KIND:
        raise ReportRequestInvalid(_("Unknown report kind: %(kind)s.") % {"kind": kind})
    allowed = FORMATS_BY_KIND[kind]
    if not formats or any(fmt not in allowed for fmt in formats):
        raise ReportRequestInvalid(
            _("Choose formats among: %(allowed)s.") % {"allowed": ", ".join(allowed)}
        )
    formats = sorted(set(formats), key=allowed.index)
    if (kind == ReportJob.Kind.MISSION) != (mission is not None):
        raise ReportRequestInvalid(_("A mission report needs a mission; a portfolio none."))
    parameters = dict(parameters or {})
    if mission is not None:
        parameters["mission"] = mission.acronym
    if parameters.get("assessment") is not None:
        _assessment_check(assessment_id=parameters["assessment"], mission=mission, by=by)
    request = {"kind": kind, "mission": mission, "formats": formats, "parameters": parameters}

    if idempotency_key:
        key = _key_hash(by=by, key=idempotency_key)
    else:
        active = ReportJob.objects.filter(
            kind=kind,
            mission=mission,
            requested_by=by,
            state__in=(State.QUEUED, State.RUNNING),
            formats=formats,
            parameters=parameters,
        ).first()
        if active is not None:
            return active, False
        key = uuid.uuid4().hex
    with transaction.atomic():
        # get_or_create re-reads after an IntegrityError, so two racing requests with one key
        # end with one row (the unique constraint decides).
        job, created = ReportJob.objects.get_or_create(
            idempotency_key=key, defaults={**request, "requested_by": by}
        )
        if not created and (
            job.kind,
            job.mission_id,
            job.formats,
            job.parameters.get("assessment"),
        ) != (kind, mission.pk if mission else None, formats, parameters.get("assessment")):
            raise IdempotencyKeyReused(
                _("This idempotency key was already used for a different report.")
            )
        if created and dispatch:
            transaction.on_commit(lambda: report_job_dispatch(job_id=job.pk))
    return job, created


def _assessment_check(*, assessment_id: object, mission: Mission | None, by) -> None:
    """A mission report may be about one named assessment: it must be one of the mission's,
    and one the requester may read (everyone, for the command line)."""
    if mission is None:
        raise ReportRequestInvalid(
            _("Only a mission report can be about one assessment."), field="assessment"
        )
    assessments = Assessment.objects.visible_to(by) if by is not None else Assessment.objects
    if not (
        isinstance(assessment_id, int)
        and assessments.filter(pk=assessment_id, mission=mission).exists()
    ):
        raise ReportRequestInvalid(
            _("No such assessment of %(mission)s.") % {"mission": mission.acronym},
            field="assessment",
        )


def report_job_dispatch(*, job_id: int, countdown: float | None = None) -> bool:
    """Publish the job's task; True when the broker took it.

    Call after commit. A broker that is down makes this return False quickly instead of hanging
    the request: the job stays `queued` with no `dispatched_at`, and the sweeper publishes it
    once the broker is back.
    """
    from integration.celery import app
    from reports.tasks import report_job_run_task  # tasks import this module

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


def report_job_retry(*, job_id: int, by) -> ReportJob:
    """Queue a failed job again with a fresh attempt budget, and dispatch it after commit."""
    with transaction.atomic():
        updated = ReportJob.objects.filter(pk=job_id, state=State.FAILED).update(
            state=State.QUEUED,
            attempts=0,
            progress=0,
            claim_token="",
            dispatched_at=None,
            finished_at=None,
        )
        if updated:
            logger.info("Report job %s retried by %s", job_id, by)
            transaction.on_commit(lambda: report_job_dispatch(job_id=job_id))
    return ReportJob.objects.get(pk=job_id)


# --- the worker side ------------------------------------------------------------------------


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
        report_job_dispatch(job_id=job_id, countdown=countdown)
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
    """Record progress and renew the lease; ReportClaimLost if another worker took over."""
    updated = ReportJob.objects.filter(
        pk=job.pk, state=State.RUNNING, claim_token=job.claim_token
    ).update(progress=min(progress, 99), heartbeat_at=timezone.now())
    if not updated:
        raise ReportClaimLost(f"Report job {job.pk}: claim lost")
    # Test-only fault injection (integration/test_settings.py; absent in production).
    kill_at = getattr(settings, "REPORTS_TEST_KILL_AT", 0)
    if kill_at and progress >= kill_at:  # the worker process dies, as under the OOM killer
        os.kill(os.getpid(), signal.SIGKILL)
    delay = getattr(settings, "REPORTS_TEST_STEP_DELAY", 0.0)
    if delay:  # a slow report, to kill mid-way
        time.sleep(delay)


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
    `failed` with the error for the user. With `retry=False` (the `report` command, which runs
    in its own process) a failed attempt is final: nothing is handed to the workers.
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
        report_job_fail(job=job, error=str(exc), final=True)
    except Exception as exc:
        logger.exception("Report job %s: attempt %s failed", job_id, job.attempts)
        if not retry:
            report_job_fail(job=job, error=report_error_message(exc), final=True)
            return ReportJob.objects.get(pk=job_id)
        message = _("Attempt %(n)s of %(max)s failed: %(error)s") % {
            "n": job.attempts,
            "max": settings.REPORTS_MAX_ATTEMPTS,
            "error": report_error_message(exc),
        }
        if report_job_fail(job=job, error=message) == State.QUEUED:
            report_job_dispatch(job_id=job_id, countdown=_backoff(job.attempts))
    else:
        if not report_job_finish(job=job, files=files):
            logger.warning("Report job %s: claim lost before finishing", job_id)
    return ReportJob.objects.get(pk=job_id)


def _backoff(attempts: int) -> float:
    return settings.REPORTS_RETRY_DELAY_SECONDS * attempts


def _jobs_out_of_attempts_fail(*, ids: list[int], now: dt.datetime) -> int:
    """Fail the given jobs that are out of attempts and not being worked on: running with a
    stale heartbeat, or queued (after the attempt limit was lowered, say). A queued job keeps
    its last attempt's error; a lost one says it stopped."""
    stuck = Q(state=State.QUEUED) | Q(state=State.RUNNING, heartbeat_at__lt=now - _lease())
    return (
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
    dispatched = sum(report_job_dispatch(job_id=job_id) for job_id in ids)
    if failed or ids:
        logger.info("Report sweep: %s dispatched of %s, %s failed", dispatched, len(ids), failed)
    return {"dispatched": dispatched, "candidates": len(ids), "failed": failed}
