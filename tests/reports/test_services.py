"""The job's life: request (idempotent), dispatch after commit, claim, run, fail, retry, sweep."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.db import OperationalError
from django.utils import timezone

from reports import services
from reports.exceptions import IdempotencyKeyReused, ReportRequestInvalid
from reports.files import report_files_list
from reports.models import ReportJob
from tests import factories

pytestmark = pytest.mark.django_db


def _request(user, mission=None, **kwargs):
    kwargs.setdefault("formats", ["pdf"])
    kind = "mission" if mission is not None else "portfolio"
    return services.report_job_request(kind=kind, by=user, mission=mission, **kwargs)


def _files_of(job) -> list[str]:
    return sorted(name.split("/", 1)[1] for name in report_files_list(job_id=job.pk))


def test_a_double_click_with_the_same_key_returns_the_same_job(hq_reviewer, monuc):
    first, created = _request(hq_reviewer, monuc, idempotency_key="abc")
    second, created_again = _request(hq_reviewer, monuc, idempotency_key="abc")
    assert created
    assert not created_again
    assert first.pk == second.pk
    assert ReportJob.objects.count() == 1


def test_idempotency_keys_are_private_to_their_user(hq_reviewer, viewer, monuc):
    first, _ = _request(hq_reviewer, monuc, idempotency_key="abc")
    second, created = _request(viewer, monuc, idempotency_key="abc")
    assert created
    assert first.pk != second.pk


def test_a_request_without_a_key_returns_the_identical_job_still_queued(hq_reviewer, monuc):
    first, _ = _request(hq_reviewer, monuc)
    second, created = _request(hq_reviewer, monuc)
    assert not created
    assert second.pk == first.pk
    # a different format is a different report
    third, created = _request(hq_reviewer, monuc, formats=["xlsx"])
    assert created
    assert third.pk != first.pk


def test_an_idempotency_key_reused_for_another_report_is_refused(hq_reviewer, monuc):
    _request(hq_reviewer, monuc, idempotency_key="abc")
    with pytest.raises(IdempotencyKeyReused):
        _request(hq_reviewer, None, idempotency_key="abc")


@pytest.mark.parametrize(
    ("kind", "formats"), [("mission", ["docx"]), ("portfolio", ["html"]), ("mission", [])]
)
def test_unknown_formats_are_refused(hq_reviewer, monuc, kind, formats):
    with pytest.raises(ReportRequestInvalid):
        services.report_job_request(
            kind=kind, by=hq_reviewer, mission=monuc if kind == "mission" else None, formats=formats
        )


def test_the_job_is_dispatched_only_after_the_transaction_commits(
    hq_reviewer, monuc, broker, django_capture_on_commit_callbacks
):
    # given a request inside a transaction
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job, _ = _request(hq_reviewer, monuc)
        # then nothing is published before the commit
        job.refresh_from_db()
        assert job.dispatched_at is None
    # when the transaction commits
    for callback in callbacks:
        callback()
    # then the job is dispatched, once
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert job.dispatched_at is not None


def test_a_broker_that_is_down_leaves_the_job_queued_for_the_sweeper(
    hq_reviewer, monuc, broker_down
):
    job, _ = _request(hq_reviewer, monuc, dispatch=False)
    assert services.report_job_dispatch(job_id=job.pk) is False
    job.refresh_from_db()
    assert (job.state, job.dispatched_at) == ("queued", None)


def test_a_job_is_claimed_once(hq_reviewer, monuc):
    job, _ = _request(hq_reviewer, monuc, dispatch=False)
    assert services.report_job_claim(job_id=job.pk) is not None
    assert services.report_job_claim(job_id=job.pk) is None
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("running", 1)


def test_running_a_job_twice_builds_its_files_once(hq_reviewer, monuc_assessment):
    # given a job for two formats
    job, _ = _request(hq_reviewer, monuc_assessment.mission, formats=["pdf", "xlsx"])
    # when it runs, and its message is delivered a second time
    finished = services.report_job_run(job_id=job.pk)
    again = services.report_job_run(job_id=job.pk)
    # then the second run does nothing and there is one file per format
    assert finished.state == "succeeded"
    assert finished.progress == 100
    assert again is None
    assert finished.attempts == 1
    assert _files_of(finished) == ["mission-monuc-2007-04-26.pdf", "mission-monuc-2007-04-26.xlsx"]
    assert set(finished.files) == {"pdf", "xlsx"}


def test_a_worker_that_lost_its_claim_cannot_finish(hq_reviewer, monuc):
    job, _ = _request(hq_reviewer, monuc, dispatch=False)
    stale = services.report_job_claim(job_id=job.pk)
    # another worker took over (the lease ran out)
    ReportJob.objects.filter(pk=job.pk).update(claim_token="someone-else")
    assert services.report_job_finish(job=stale, files={"pdf": "x.pdf"}) is False
    job.refresh_from_db()
    assert job.state == "running"
    assert job.files == {}


def test_a_running_job_whose_worker_vanished_is_claimed_again(hq_reviewer, monuc, settings):
    # given a job claimed by a worker that stopped writing progress longer than the lease ago
    job, _ = _request(hq_reviewer, monuc, dispatch=False)
    services.report_job_claim(job_id=job.pk)
    assert services.report_job_claim(job_id=job.pk) is None  # fresh: nobody else may take it
    ReportJob.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - dt.timedelta(seconds=settings.REPORTS_LEASE_SECONDS + 1)
    )
    # when a new worker asks, then it gets it, as a second attempt
    taken = services.report_job_claim(job_id=job.pk)
    assert taken is not None
    assert taken.attempts == 2


def test_a_report_that_always_fails_ends_failed_after_the_attempt_limit_with_its_message(
    hq_reviewer, monuc_assessment, broker, settings, faults
):
    # given a report whose every attempt crashes
    faults.fail_with = "the renderer exploded"
    settings.REPORTS_MAX_ATTEMPTS = 3
    job, _ = _request(hq_reviewer, monuc_assessment.mission, dispatch=False)
    # when it runs until no attempt is left
    states = []
    for _attempt in range(5):
        result = services.report_job_run(job_id=job.pk)
        states.append(result.state if result else None)
    # then it was queued again twice, then failed for good, with the message
    assert states == ["queued", "queued", "failed", None, None]
    job.refresh_from_db()
    assert job.attempts == 3
    assert "the renderer exploded" in job.error
    assert "Attempt 3 of 3" in job.error
    assert job.files == {}
    assert _files_of(job) == []


def test_a_mission_without_an_assessment_fails_at_once_with_a_clear_message(hq_reviewer, monuc):
    job, _ = _request(hq_reviewer, monuc, dispatch=False)
    job = services.report_job_run(job_id=job.pk)
    assert (job.state, job.attempts) == ("failed", 1)
    assert "MONUC has no assessment yet" in job.error


def test_the_sweeper_dispatches_jobs_that_were_never_dispatched(hq_reviewer, monuc, broker):
    job, _ = _request(hq_reviewer, monuc, dispatch=False)
    done, _ = _request(hq_reviewer, monuc, formats=["xlsx"], dispatch=False)
    ReportJob.objects.filter(pk=done.pk).update(state="succeeded")
    result = services.report_jobs_sweep()
    assert result == {"dispatched": 1, "candidates": 1, "failed": 0}
    job.refresh_from_db()
    assert job.dispatched_at is not None


def test_the_sweeper_leaves_recently_dispatched_jobs_alone(hq_reviewer, monuc, broker):
    job, _ = _request(hq_reviewer, monuc, dispatch=False)
    ReportJob.objects.filter(pk=job.pk).update(dispatched_at=timezone.now())
    assert services.report_jobs_sweep()["candidates"] == 0


def test_the_sweeper_redispatches_lost_jobs_and_fails_those_out_of_attempts(
    hq_reviewer, monuc, broker, settings
):
    # given two running jobs whose workers vanished, one with attempts left
    long_ago = timezone.now() - dt.timedelta(seconds=settings.REPORTS_LEASE_SECONDS + 5)
    lost, _ = _request(hq_reviewer, monuc, dispatch=False)
    spent, _ = _request(hq_reviewer, None, dispatch=False)
    ReportJob.objects.filter(pk=lost.pk).update(state="running", attempts=1, heartbeat_at=long_ago)
    ReportJob.objects.filter(pk=spent.pk).update(
        state="running", attempts=settings.REPORTS_MAX_ATTEMPTS, heartbeat_at=long_ago
    )
    # when the sweeper runs (twice: overlapping runs are harmless)
    first = services.report_jobs_sweep()
    services.report_jobs_sweep()
    # then the first is dispatched again and the second failed with a clear message
    assert first == {"dispatched": 1, "candidates": 1, "failed": 1}
    spent.refresh_from_db()
    assert spent.state == "failed"
    assert "stopped 3 times before finishing" in spent.error


def test_the_sweeper_works_in_bounded_batches(hq_reviewer, broker):
    for number in range(5):
        mission = factories.MissionFactory(acronym=f"B{number}")
        _request(hq_reviewer, mission, dispatch=False)
    assert services.report_jobs_sweep(batch=2)["dispatched"] == 2
    assert services.report_jobs_sweep(batch=2)["dispatched"] == 2
    assert services.report_jobs_sweep(batch=2)["dispatched"] == 1


def test_retrying_a_failed_job_queues_it_with_a_fresh_attempt_budget(
    hq_reviewer, monuc, broker, django_capture_on_commit_callbacks
):
    job, _ = _request(hq_reviewer, monuc, dispatch=False)
    ReportJob.objects.filter(pk=job.pk).update(state="failed", attempts=3, error="boom")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = services.report_job_retry(job_id=job.pk, by=hq_reviewer)
    assert (job.state, job.attempts) == ("queued", 0)
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert job.dispatched_at is not None


def test_a_redelivery_that_finds_its_job_running_comes_back_when_the_lease_runs_out(
    hq_reviewer, monuc, settings, monkeypatch
):
    # given a job whose worker died a moment ago (the message is put back at once, while the
    # dead attempt's heartbeat is still fresh)
    settings.REPORTS_LEASE_SECONDS = 60
    job, _ = _request(hq_reviewer, monuc, dispatch=False)
    services.report_job_claim(job_id=job.pk)
    ReportJob.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - dt.timedelta(seconds=15)
    )
    published = []
    monkeypatch.setattr(
        "reports.services.broker.report_job_dispatch",
        lambda **kwargs: published.append(kwargs) or True,
    )
    # when the redelivered message runs
    assert services.report_job_run(job_id=job.pk) is None
    # then it is published again for just after the lease runs out, instead of being dropped
    assert len(published) == 1
    assert published[0]["job_id"] == job.pk
    assert 44 <= published[0]["countdown"] <= 47
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("running", 1)


def test_a_redelivery_that_finds_its_job_finished_does_nothing(hq_reviewer, monuc, monkeypatch):
    job, _ = _request(hq_reviewer, monuc, dispatch=False)
    ReportJob.objects.filter(pk=job.pk).update(state="succeeded")
    monkeypatch.setattr("reports.services.broker.report_job_dispatch", pytest.fail)
    assert services.report_job_claim_refused(job_id=job.pk) == "finished"


def test_a_redelivery_that_finds_its_job_lost_and_out_of_attempts_fails_it(
    hq_reviewer, monuc, settings
):
    job, _ = _request(hq_reviewer, monuc, dispatch=False)
    long_ago = timezone.now() - dt.timedelta(seconds=settings.REPORTS_LEASE_SECONDS + 1)
    ReportJob.objects.filter(pk=job.pk).update(
        state="running", attempts=settings.REPORTS_MAX_ATTEMPTS, heartbeat_at=long_ago
    )
    assert services.report_job_run(job_id=job.pk) is None
    job.refresh_from_db()
    assert job.state == "failed"
    assert "stopped 3 times before finishing" in job.error


def test_the_sweeper_fails_queued_jobs_out_of_attempts_with_their_last_error(
    hq_reviewer, monuc, broker, settings
):
    # given a queued job that already used every attempt (the limit was lowered since)
    job, _ = _request(hq_reviewer, monuc, dispatch=False)
    ReportJob.objects.filter(pk=job.pk).update(
        attempts=settings.REPORTS_MAX_ATTEMPTS, error="Attempt 2 of 3 failed: disk full"
    )
    # when the sweeper runs, then it is failed, not dispatched for ever
    assert services.report_jobs_sweep() == {"dispatched": 0, "candidates": 0, "failed": 1}
    job.refresh_from_db()
    assert (job.state, job.error) == ("failed", "Attempt 2 of 3 failed: disk full")
    assert job.finished_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_running_job_renews_its_heartbeat_in_the_background(hq_reviewer, monuc):
    # given a claimed job (committed: the heartbeat thread has its own connection)
    job, _ = _request(hq_reviewer, monuc, dispatch=False)
    job = services.report_job_claim(job_id=job.pk)
    claimed_at = job.heartbeat_at
    # when its build takes a while without a progress step
    with services.report_job_heartbeat(job=job, every=0.05):
        time.sleep(0.4)
    # then the heartbeat moved on by itself
    job.refresh_from_db()
    assert job.heartbeat_at > claimed_at + dt.timedelta(seconds=0.2)


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_stops_when_the_claim_is_lost(hq_reviewer, monuc):
    job, _ = _request(hq_reviewer, monuc, dispatch=False)
    job = services.report_job_claim(job_id=job.pk)
    ReportJob.objects.filter(pk=job.pk).update(claim_token="someone-else")
    with services.report_job_heartbeat(job=job, every=0.05):
        time.sleep(0.3)
        assert not [t for t in threading.enumerate() if t.name == f"report-{job.pk}-heartbeat"]


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (SoftTimeLimitExceeded(), "the report took longer than the time limit (540 s)"),
        (OperationalError("server closed the connection"), "the database could not be reached"),
        (PermissionError(13, "Permission denied"), "the report files could not be written"),
        (RuntimeError("the renderer exploded"), "the renderer exploded"),
        (KeyError(), "KeyError"),
    ],
)
def test_failures_are_told_to_the_user_in_plain_words(error, message):
    assert services.report_error_message(error).startswith(message)
