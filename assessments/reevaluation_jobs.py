"""Re-evaluation as a background job: request it (from the admin), run it in a Celery worker.

The life of a job follows the report jobs' (reports/services/claims.py): `queued` → claimed by
a worker with a conditional UPDATE and a fresh token → `running`, its progress and heartbeat
written only by the claim's holder → `succeeded` or `failed`. A second delivery of the same
message finds the job claimed or finished and does nothing; a job whose worker died (heartbeat
older than the lease) may be claimed again, and re-evaluating twice stores the same answers.
The sweeper (`reevaluation_jobs_sweep`, on beat and from every worker) publishes again a job
whose message was lost or never sent, and one whose lease ran out; after MAX_ATTEMPTS claims a
lost job fails.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import uuid

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.exceptions import ReevaluationClaimLost
from assessments.models import Assessment
from assessments.reevaluation import assessments_reevaluate
from assessments.reevaluation_models import ReevaluationJob
from integration.exceptions import RulebookStateError
from integration.models import Rulebook

logger = logging.getLogger(__name__)
State = ReevaluationJob.State
# Progress (and so the heartbeat) is written after every batch of reevaluation.BATCH_SIZE
# assessments, seconds apart; a job silent for this long lost its worker.
LEASE = dt.timedelta(minutes=5)
# A queued job not started this long after its dispatch lost its message.
REDISPATCH_AFTER = dt.timedelta(minutes=5)
# Claims before a job whose worker keeps vanishing (killed at the time limit, say) is failed.
MAX_ATTEMPTS = 3
SWEEP_BATCH = 100


def reevaluation_job_request(*, rulebook: Rulebook, by) -> tuple[ReevaluationJob, bool]:
    """Queue a re-evaluation of every evaluated assessment under the published `rulebook` and
    dispatch it after commit; (job, created). A job already queued or running for the rulebook
    is returned instead (a double click); a partial unique index holds that when two race.
    RulebookStateError unless `rulebook` is the published one."""
    if rulebook.status != Rulebook.Status.PUBLISHED:
        raise RulebookStateError(
            f"Rulebook {rulebook.version} is {rulebook.get_status_display().lower()}: only the "
            "published rulebook re-evaluates the stored assessments."
        )
    active = ReevaluationJob.objects.filter(
        rulebook=rulebook, state__in=(State.QUEUED, State.RUNNING)
    )
    with transaction.atomic():
        existing = active.first()
        if existing is not None:
            return existing, False
        total = Assessment.objects.filter(current_evaluation__isnull=False).count()
        try:
            with transaction.atomic():
                job = ReevaluationJob.objects.create(
                    rulebook=rulebook, requested_by=by, total=total
                )
        except IntegrityError:
            return active.get(), False
        transaction.on_commit(lambda: reevaluation_job_dispatch(job_id=job.pk))
    return job, True


def reevaluation_job_dispatch(*, job_id: int) -> bool:
    """Publish the job's task; True when the broker took it. A broker that is down leaves the
    job queued with no `dispatched_at` (the admin's page says so) instead of failing the
    request, and the sweeper publishes it once the broker is back."""
    from assessments.tasks import reevaluation_job_run_task
    from integration.broker import task_publish

    try:
        task_publish(reevaluation_job_run_task, args=[job_id])
    except Exception:  # kombu, redis and socket errors alike
        logger.warning("Re-evaluation job %s: broker unavailable", job_id, exc_info=True)
        return False
    ReevaluationJob.objects.filter(pk=job_id).update(dispatched_at=timezone.now())
    return True


def _claim(*, job_id: int) -> ReevaluationJob | None:
    now = timezone.now()
    token = uuid.uuid4().hex
    claimed = (
        ReevaluationJob.objects.filter(pk=job_id, attempts__lt=MAX_ATTEMPTS)
        .filter(Q(state=State.QUEUED) | Q(state=State.RUNNING, heartbeat_at__lt=now - LEASE))
        .update(
            state=State.RUNNING,
            attempts=F("attempts") + 1,
            done=0,
            claim_token=token,
            claimed_by=f"{socket.gethostname()} pid {os.getpid()}",
            started_at=now,
            heartbeat_at=now,
        )
    )
    if not claimed:
        return None
    return ReevaluationJob.objects.select_related("rulebook").get(pk=job_id)


def _mine(job: ReevaluationJob):
    return ReevaluationJob.objects.filter(
        pk=job.pk, state=State.RUNNING, claim_token=job.claim_token
    )


def _progress(job: ReevaluationJob, assessments: int) -> None:
    """Count a stored batch and renew the lease; ReevaluationClaimLost if another worker took
    over."""
    if not _mine(job).update(done=F("done") + assessments, heartbeat_at=timezone.now()):
        raise ReevaluationClaimLost(f"Re-evaluation job {job.pk}: claim lost")


def reevaluation_job_run(*, job_id: int) -> ReevaluationJob | None:
    """Claim the job, re-evaluate and store every evaluated assessment under its rulebook, record
    the outcome. Safe to call twice: a call that cannot claim the job returns None."""
    job = _claim(job_id=job_id)
    if job is None:
        logger.info("Re-evaluation job %s: not claimed (taken or finished)", job_id)
        return None
    try:
        result = assessments_reevaluate(
            rulebook=job.rulebook, dry_run=False, progress=lambda n: _progress(job, n)
        )
    except ReevaluationClaimLost:
        logger.warning("Re-evaluation job %s: claim lost mid-way", job_id)
        return None
    except Exception as exc:
        logger.exception("Re-evaluation job %s failed", job_id)
        _mine(job).update(
            state=State.FAILED, error=str(exc)[:2000] or type(exc).__name__,
            finished_at=timezone.now(),
        )  # fmt: skip
    else:
        _mine(job).update(
            state=State.SUCCEEDED,
            done=result.assessments,
            changed=result.changed_assessments,
            refused=len(result.failed),
            skipped=len(result.skipped),
            finished_at=timezone.now(),
            heartbeat_at=timezone.now(),
        )
    return ReevaluationJob.objects.get(pk=job_id)


def _lost_jobs_fail(*, now: dt.datetime, batch: int) -> int:
    """Fail running jobs out of attempts whose worker vanished once more."""
    lost = ReevaluationJob.objects.filter(
        state=State.RUNNING, heartbeat_at__lt=now - LEASE, attempts__gte=MAX_ATTEMPTS
    )
    ids = list(lost.order_by("pk").values_list("pk", flat=True)[:batch])
    message = _(
        "The re-evaluation stopped %(n)s times before finishing (its worker was lost or hit "
        "the time limit); giving up."
    ) % {"n": MAX_ATTEMPTS}
    # The lease is checked again in the UPDATE: a job claimed since keeps running.
    return lost.filter(pk__in=ids).update(
        state=State.FAILED, claim_token="", error=message, finished_at=now
    )


def reevaluation_jobs_sweep(*, batch: int = SWEEP_BATCH) -> dict[str, int]:
    """Publish again the queued jobs never dispatched or not started REDISPATCH_AFTER after it,
    and the running jobs whose lease ran out (their next claim takes over); fail those out of
    attempts. Re-selects by state in bounded batches, so overlapping sweeps are harmless: a
    duplicate message finds the job claimed and does nothing."""
    now = timezone.now()
    failed = _lost_jobs_fail(now=now, batch=batch)
    jobs = ReevaluationJob.objects.order_by("pk").values_list("pk", flat=True)
    undispatched = jobs.filter(state=State.QUEUED).filter(
        Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=now - REDISPATCH_AFTER)
    )
    lost = jobs.filter(state=State.RUNNING, heartbeat_at__lt=now - LEASE, attempts__lt=MAX_ATTEMPTS)
    ids = list(undispatched[:batch]) + list(lost[:batch])
    dispatched = sum(reevaluation_job_dispatch(job_id=job_id) for job_id in ids)
    if failed or ids:
        logger.info(
            "Re-evaluation sweep: %s dispatched of %s, %s failed", dispatched, len(ids), failed
        )
    return {"dispatched": dispatched, "candidates": len(ids), "failed": failed}
