"""The re-evaluation sweeper, as the reports' (tests/reports/test_services.py): a job whose
message was lost or never sent is published again, one whose worker vanished is reclaimed, and
one that keeps losing its worker fails with a clear message.

Jobs are created directly, queued with no message sent; the broker is kombu's memory transport.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from assessments import services
from assessments.models import ReevaluationJob
from assessments.reevaluation_jobs import (
    LEASE,
    MAX_ATTEMPTS,
    REDISPATCH_AFTER,
    reevaluation_job_run,
    reevaluation_jobs_sweep,
)
from assessments.tasks import reevaluation_jobs_sweep_task
from integration.celery import app
from integration.services import rulebook_create, rulebook_publish
from tests.decision.test_rulebooks import STRICTER

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker(monkeypatch):
    """An in-process broker (kombu's memory transport)."""
    monkeypatch.setattr(app.conf, "broker_url", "memory://")
    return app


@pytest.fixture
def job(binub_assessment, admin_user):
    """A queued re-evaluation under a stricter rulebook of an evaluated assessment, whose
    message was never sent."""
    services.assessment_evaluate(assessment_id=binub_assessment.pk)
    rulebook = rulebook_publish(rulebook_id=rulebook_create(content=STRICTER).pk)
    return ReevaluationJob.objects.create(rulebook=rulebook, requested_by=admin_user, total=1)


def _long_ago(delay: dt.timedelta) -> dt.datetime:
    return timezone.now() - delay - dt.timedelta(seconds=5)


def test_the_sweeper_dispatches_a_job_whose_message_was_never_sent(job, broker):
    result = reevaluation_jobs_sweep()
    assert result == {"dispatched": 1, "candidates": 1, "failed": 0}
    job.refresh_from_db()
    assert job.dispatched_at is not None
    # a job dispatched a moment ago is left alone
    assert reevaluation_jobs_sweep()["candidates"] == 0


def test_the_sweeper_dispatches_again_a_job_not_started_long_after_its_dispatch(job, broker):
    ReevaluationJob.objects.filter(pk=job.pk).update(dispatched_at=_long_ago(REDISPATCH_AFTER))
    assert reevaluation_jobs_sweep() == {"dispatched": 1, "candidates": 1, "failed": 0}


def test_a_job_whose_worker_vanished_is_dispatched_again_and_reclaimed(job, broker):
    # given a running job whose heartbeat is older than the lease, and a job running normally
    ReevaluationJob.objects.filter(pk=job.pk).update(
        state="running", attempts=1, claim_token="dead", heartbeat_at=_long_ago(LEASE)
    )
    # when the sweeper runs
    result = reevaluation_jobs_sweep()
    # then it publishes the job again, and the delivery takes it over as a second attempt
    assert result == {"dispatched": 1, "candidates": 1, "failed": 0}
    done = reevaluation_job_run(job_id=job.pk)
    assert (done.state, done.attempts, done.done, done.changed) == ("succeeded", 2, 1, 1)
    assert done.claim_token != "dead"


def test_the_sweeper_leaves_a_job_whose_worker_is_alive_alone(job, broker):
    ReevaluationJob.objects.filter(pk=job.pk).update(
        state="running", attempts=1, heartbeat_at=timezone.now()
    )
    assert reevaluation_jobs_sweep()["candidates"] == 0
    # and a second message for it does nothing
    assert reevaluation_job_run(job_id=job.pk) is None


def test_the_sweeper_fails_a_job_that_lost_its_worker_too_often(job, broker):
    # given a job whose worker vanished on its last attempt
    ReevaluationJob.objects.filter(pk=job.pk).update(
        state="running", attempts=MAX_ATTEMPTS, heartbeat_at=_long_ago(LEASE)
    )
    # when the sweeper runs (twice: overlapping runs are harmless)
    first = reevaluation_jobs_sweep()
    second = reevaluation_jobs_sweep()
    # then the job failed once, saying why, and nothing is dispatched
    assert first == {"dispatched": 0, "candidates": 0, "failed": 1}
    assert second == {"dispatched": 0, "candidates": 0, "failed": 0}
    job.refresh_from_db()
    assert job.state == "failed"
    assert f"stopped {MAX_ATTEMPTS} times before finishing" in job.error
    assert job.finished_at is not None
    # and no delivery claims it
    assert reevaluation_job_run(job_id=job.pk) is None


def test_the_reevaluation_sweeper_runs_periodically_with_time_limits():
    entry = settings.CELERY_BEAT_SCHEDULE["reevaluation-sweep"]
    assert app.tasks[entry["task"]].name == reevaluation_jobs_sweep_task.name
    assert entry["schedule"] == settings.REPORTS_SWEEP_SECONDS
    assert reevaluation_jobs_sweep_task.acks_late is False
    assert (
        0 < reevaluation_jobs_sweep_task.soft_time_limit < reevaluation_jobs_sweep_task.time_limit
    )
