"""Reports under a real Celery worker process, on a real broker.

Most tests start their own `redis-server` on a free port (never the machine's shared Redis: the
worker's REDIS_URL and broker both name the private one) and their own `celery -A integration
worker` pointed at the test database; one runs on the embedded filesystem broker that `make
run` uses, in a temporary VAR_DIR. The rows the worker must see are committed (transactional
tests). Test-only behaviour (a delay per progress step, an injected crash or process death,
short leases, a fast sweeper) reaches the worker through its environment, which the settings
and the test-only fault injection (tests/reports/faults.py) read. The helpers that start
processes are in tests/reports/processes.py, the fixtures in conftest.py.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import time

import pytest
from django.db import connection
from django.urls import reverse

from integration.api.tokens import api_token_create
from reports import services
from reports.files import report_files_list
from reports.models import ReportJob, StoredFile
from tests.factories import PASSWORD
from tests.reports.processes import wait_for

MONUC_FILES = ["mission-monuc-2007-04-26.pdf", "mission-monuc-2007-04-26.xlsx"]
MONUC_FILES_ALL = [*MONUC_FILES, "mission-monuc-2007-04-26.html"]
pytestmark = [
    pytest.mark.django_db(transaction=True),
    # The worker is another process: it must reach the test database over the network. The
    # SQLite test database lives in this process's memory, where no worker can see it.
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="worker tests need PostgreSQL (set DATABASE_URL): a worker process cannot see "
        "the in-memory SQLite test database",
    ),
]
needs_redis_server = pytest.mark.skipif(
    shutil.which("redis-server") is None,
    reason="needs the redis-server program, to run a private Redis on a free port",
)


@pytest.fixture
def start_worker(worker_factory, redis_server, monkeypatch):
    """start_worker(beat=False, **env) → a worker on the private Redis, which this process
    dispatches to as well."""
    from integration.celery import app

    monkeypatch.setattr(app.conf, "broker_url", redis_server.url)
    return lambda beat=False, **env: worker_factory(redis_server.url, beat=beat, **env)


def _job(job_id: int) -> ReportJob:
    return ReportJob.objects.get(pk=job_id)


def _finished(job_id: int, timeout: float = 60) -> ReportJob:
    return wait_for(
        lambda: (job := _job(job_id)).is_finished and job, timeout=timeout, what="the report"
    )


def _files_stored(job: ReportJob) -> list[str]:
    return sorted(name.split("/", 1)[1] for name in report_files_list(job_id=job.pk))


def _pid(job: ReportJob) -> int:
    return int(job.claimed_by.rsplit(" ", 1)[1])


@needs_redis_server
def test_a_report_is_produced_end_to_end_by_a_worker(
    start_worker, client, hq_reviewer, monuc_assessment
):
    # given a running worker
    start_worker()
    client.login(username=hq_reviewer.username, password=PASSWORD)
    # when a report is requested through the API
    response = client.post(
        "/api/v1/reports/",
        {"kind": "mission", "mission": "MONUC", "formats": ["pdf", "xlsx"]},
        content_type="application/json",
    )
    assert response.status_code == 202
    job = _finished(response.json()["id"])
    # then it succeeded once, and its files download through the API
    assert (job.state, job.progress, job.attempts) == ("succeeded", 100, 1)
    detail = client.get(f"/api/v1/reports/{job.pk}/").json()
    assert detail["state"] == "succeeded"
    urls = {item["format"]: item["url"] for item in detail["files"]}
    pdf = client.get(urls["pdf"])
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert _files_stored(job) == MONUC_FILES


@needs_redis_server
def test_a_file_a_worker_stored_elsewhere_downloads_through_the_web_process_until_deleted(
    start_worker, client, hq_reviewer, monuc_assessment, settings
):
    # given a worker whose local report directory is not this web process's, both sharing the
    # production storage (the database)
    assert settings.STORAGES["reports"]["BACKEND"] == "reports.storage.DatabaseStorage"
    start_worker()
    client.login(username=hq_reviewer.username, password=PASSWORD)
    # when it builds a report requested through the API
    response = client.post(
        "/api/v1/reports/",
        {"kind": "mission", "mission": "MONUC", "formats": ["pdf", "html", "xlsx"]},
        content_type="application/json",
    )
    job = _finished(response.json()["id"])
    assert job.state == "succeeded", job.error
    # then each file downloads here with the bytes the worker stored and its content type
    stored = {row.name: bytes(row.content) for row in StoredFile.objects.all()}
    assert sorted(stored) == [f"{job.pk}/{name}" for name in sorted(MONUC_FILES_ALL)]
    for fmt, content_type in (
        ("pdf", "application/pdf"),
        ("html", "text/html; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ):
        for url in (
            reverse("report-api-file", args=[job.pk, fmt]),
            reverse("report-download", args=[job.pk, fmt]),
        ):
            download = client.get(url)
            assert download.status_code == 200, url
            assert download["Content-Type"] == content_type
            assert f'filename="mission-monuc-2007-04-26.{fmt}"' in download["Content-Disposition"]
            assert b"".join(download.streaming_content) == stored[job.files[fmt]]
    # and only to those who may read it
    client.logout()
    assert client.get(reverse("report-api-file", args=[job.pk, "pdf"])).status_code == 401
    assert client.get(reverse("report-download", args=[job.pk, "pdf"])).status_code == 302
    # nothing was written to either process's local disk
    assert not settings.REPORTS_ROOT.exists()
    assert not (settings.REPORTS_ROOT.parent / "worker-reports").exists()
    # when the job is deleted, then its files go with it
    ReportJob.objects.filter(pk=job.pk).delete()
    assert StoredFile.objects.count() == 0


@needs_redis_server
def test_a_report_whose_worker_child_is_killed_late_is_redelivered_and_finishes_once(
    start_worker, hq_reviewer, monuc_assessment
):
    # given a worker without beat whose own sweep runs only at start-up (within the test), slow
    # reports and a lease long enough that the put-back message always finds the dead attempt's
    # heartbeat fresh, even on a loaded machine where the pool takes seconds to replace its child
    worker = start_worker(
        REPORTS_TEST_STEP_DELAY="0.5",
        REPORTS_LEASE_SECONDS="20",
        REPORTS_HEARTBEAT_SECONDS="1",
        REPORTS_SWEEP_SECONDS="3600",
    )
    job, _ = services.report_job_request(
        kind="mission", by=hq_reviewer, mission=monuc_assessment.mission, formats=["pdf", "xlsx"]
    )
    # when the pool child is killed with SIGKILL late in the report, its PDF already written
    running = wait_for(
        lambda: (j := _job(job.pk)).state == "running" and j.progress >= 75 and j,
        timeout=60,
        what="the report to be three quarters done",
    )
    assert MONUC_FILES[0] in _files_stored(running)
    child_pid = _pid(running)
    assert child_pid != worker.pid  # the pool's child, not the worker's main process
    os.kill(child_pid, signal.SIGKILL)
    # then the message comes back (acks_late, reject_on_worker_lost), finds the dead attempt's
    # heartbeat still fresh, is published again for when the lease runs out, and that delivery
    # finishes the report as a second attempt in another process
    job = _finished(job.pk, timeout=180)
    assert (job.state, job.attempts) == ("succeeded", 2)
    assert _pid(job) != child_pid
    log = worker.log_text()
    assert "WorkerLostError" in log or "SIGKILL" in log
    assert "not claimed (redispatched)" in log
    # (the sweep the worker publishes at start-up ran before the kill; none ran since)
    assert "Report sweep:" not in log.split("SIGKILL", 1)[1]
    # with one file per format, the killed attempt's PDF replaced rather than added to
    assert _files_stored(job) == MONUC_FILES
    assert set(job.files) == {"pdf", "xlsx"}

    # when a late duplicate of the message arrives after all
    handled = worker.log_count("not claimed (finished)")
    assert services.report_job_dispatch(job_id=job.pk)
    wait_for(
        lambda: worker.log_count("not claimed (finished)") > handled,
        timeout=30,
        what="the late message to be handled",
    )
    # then nothing changed: succeeded once, by the second attempt, with the same files
    again = _job(job.pk)
    assert (again.state, again.attempts, again.claim_token) == ("succeeded", 2, job.claim_token)
    assert again.finished_at == job.finished_at
    assert _files_stored(again) == MONUC_FILES


@needs_redis_server
def test_a_report_whose_whole_worker_is_killed_is_finished_by_another_worker_without_beat(
    start_worker, hq_reviewer, monuc_assessment
):
    # given a worker without beat, a slow report, a short lease and a sweep every 2 s
    timing = {
        "REPORTS_LEASE_SECONDS": "3",
        "REPORTS_HEARTBEAT_SECONDS": "1",
        "REPORTS_SWEEP_SECONDS": "2",
    }
    first = start_worker(REPORTS_TEST_STEP_DELAY="1", **timing)
    job, _ = services.report_job_request(
        kind="mission", by=hq_reviewer, mission=monuc_assessment.mission, formats=["pdf"]
    )
    wait_for(
        lambda: (j := _job(job.pk)).state == "running" and j.progress >= 20,
        timeout=60,
        what="the report to be running",
    )
    # when the whole worker (main process and pool child) is killed: its message stays
    # unacknowledged in Redis for the visibility timeout, an hour
    os.killpg(first.pid, signal.SIGKILL)
    first.process.wait(timeout=10)
    # then another worker, still without beat, sweeps and finishes it as a second attempt
    second = start_worker(**timing)
    job = _finished(job.pk, timeout=180)
    assert (job.state, job.attempts) == ("succeeded", 2)
    assert "Report sweep: 1 dispatched" in second.log_text()
    assert _files_stored(job) == [MONUC_FILES[0]]


@needs_redis_server
def test_a_report_requested_by_token_while_redis_is_down_finishes_when_it_returns(
    start_worker, redis_server, client, hq_reviewer, monuc_assessment, settings
):
    # given a worker running the sweeper every second on Celery beat, as `make run` does, and
    # API throttle counters on the same Redis, as in production
    worker = start_worker(beat=True, REPORTS_SWEEP_SECONDS="1")
    settings.CACHES = {
        **settings.CACHES,
        "throttle": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "throttle",
        },
    }
    secret = api_token_create(user=hq_reviewer, name="cron", scope="write").secret
    # when Redis stops and a report is requested with an API token
    redis_server.stop()
    response = client.post(
        "/api/v1/reports/",
        {"kind": "mission", "mission": "MONUC", "formats": ["pdf"]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    # then the API accepts it (the throttle fails open, the dispatch gives up quickly) and the
    # job waits, undispatched
    assert response.status_code == 202
    job = _job(response.json()["id"])
    assert (job.state, job.dispatched_at) == ("queued", None)
    time.sleep(1.5)
    assert _job(job.pk).state == "queued"
    # when Redis returns, then beat's sweeper dispatches it and it finishes once, with one file
    redis_server.start()
    job = _finished(job.pk, timeout=120)
    assert (job.state, job.attempts) == ("succeeded", 1)
    assert _files_stored(job) == [MONUC_FILES[0]]
    assert "Report sweep: 1 dispatched" in worker.log_text()


@needs_redis_server
def test_a_report_that_always_crashes_ends_failed_after_the_attempt_limit_with_its_message(
    start_worker, client, hq_reviewer, monuc_assessment
):
    # given a worker on which every report crashes once its PDF is stored
    worker = start_worker(
        REPORTS_TEST_FAIL_WITH="injected crash for the test",
        REPORTS_TEST_FAIL_AT="75",
        REPORTS_MAX_ATTEMPTS="3",
        REPORTS_RETRY_DELAY_SECONDS="0.2",
    )
    client.login(username=hq_reviewer.username, password=PASSWORD)
    # when a report is requested
    response = client.post(
        "/api/v1/reports/",
        {"kind": "mission", "mission": "MONUC", "formats": ["pdf", "xlsx"]},
        content_type="application/json",
    )
    job = _finished(response.json()["id"])
    # then it failed after three attempts, and says why in the API and on its page
    assert (job.state, job.attempts) == ("failed", 3)
    assert "injected crash for the test" in job.error
    assert "injected crash for the test" in client.get(f"/api/v1/reports/{job.pk}/").json()["error"]
    page = client.get(reverse("report-page", args=[job.pk])).content.decode()
    assert "injected crash for the test" in page
    assert reverse("report-retry", args=[job.pk]) in page
    # and no file is left behind, though each attempt stored its PDF
    assert worker.log_count(f"Report job {job.pk}: 1 file(s) removed") == 3
    assert _files_stored(job) == []


@needs_redis_server
def test_a_report_whose_worker_process_dies_on_every_attempt_ends_failed(
    start_worker, client, hq_reviewer, monuc_assessment
):
    # given a worker whose pool child kills itself (SIGKILL, as the OOM killer would) a fifth
    # of the way into every report, two attempts and a short lease
    worker = start_worker(
        REPORTS_TEST_KILL_AT="20",
        REPORTS_MAX_ATTEMPTS="2",
        REPORTS_LEASE_SECONDS="3",
        REPORTS_HEARTBEAT_SECONDS="1",
    )
    client.login(username=hq_reviewer.username, password=PASSWORD)
    # when a report is requested
    response = client.post(
        reverse("report-request"),
        {"kind": "mission", "mission": "MONUC", "formats": ["pdf"], "idempotency_key": "k"},
    )
    assert response.status_code == 302
    job = _finished(ReportJob.objects.get().pk, timeout=120)
    # then it is failed after its two attempts, each ended by the process's death
    assert (job.state, job.attempts) == ("failed", 2)
    assert worker.log_count("WorkerLostError") >= 2
    assert "The report stopped 2 times before finishing" in job.error
    # and its page says so, with a retry button
    page = client.get(reverse("report-page", args=[job.pk])).content.decode()
    assert "The report stopped 2 times before finishing" in page
    assert reverse("report-retry", args=[job.pk]) in page


def test_a_report_is_produced_on_the_embedded_broker_as_under_make_run(
    worker_factory, client, hq_reviewer, monuc_assessment, tmp_path, monkeypatch, local_disk_storage
):
    # given a worker with beat on Kombu's filesystem transport under a temporary VAR_DIR and
    # report files on the local disk, started as `make run` starts it, and this process
    # dispatching into the same folders and reading the same directory
    from integration.celery import app

    worker_factory(
        "filesystem://",
        beat=True,
        REPORTS_STORAGE="filesystem",
        REPORTS_ROOT=str(local_disk_storage),
    )
    folders = tmp_path / "var" / "celery"
    monkeypatch.setattr(app.conf, "broker_url", "filesystem://")
    monkeypatch.setitem(
        app.conf,
        "broker_transport_options",
        {
            "data_folder_in": str(folders / "queue"),
            "data_folder_out": str(folders / "queue"),
            "processed_folder": str(folders / "processed"),
            "control_folder": str(folders / "control"),
            "store_processed": False,
        },
    )
    client.login(username=hq_reviewer.username, password=PASSWORD)
    # when a report is requested from the mission page
    response = client.post(
        reverse("report-request"),
        {"kind": "mission", "mission": "MONUC", "formats": ["pdf", "xlsx"], "idempotency_key": "e"},
    )
    assert response.status_code == 302
    # then the worker builds it, and it downloads from its page
    job = _finished(ReportJob.objects.get().pk, timeout=90)
    assert (job.state, job.attempts) == ("succeeded", 1)
    download = client.get(reverse("report-download", args=[job.pk, "pdf"]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert _files_stored(job) == MONUC_FILES
    # private to the app's user and group on the local disk
    for name in MONUC_FILES:
        assert stat.S_IMODE((local_disk_storage / str(job.pk) / name).stat().st_mode) == 0o640
    assert stat.S_IMODE((local_disk_storage / str(job.pk)).stat().st_mode) == 0o750
