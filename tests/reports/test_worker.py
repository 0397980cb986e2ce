"""Reports under a real Celery worker process on a real, private Redis.

Each test starts its own `redis-server` on a free port (never the machine's shared Redis) and
its own `celery -A integration worker` pointed at the test database. The rows the worker must
see are committed (transactional tests). Test-only behaviour (a delay per progress step, an
injected crash, short leases) comes in through the worker's environment, read by the settings.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from assessments.reports import services
from assessments.reports.builders import report_path
from assessments.reports.models import ReportJob
from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(condition, *, timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


class PrivateRedis:
    """A throwaway redis-server: no persistence, so a restart loses every message."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen | None = None

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_for(self._answers, timeout=10, what="redis-server to answer")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None
        _wait_for(lambda: not self._answers(), timeout=10, what="redis-server to stop")


@pytest.fixture
def redis_server():
    server = PrivateRedis(_free_port())
    server.start()
    yield server
    if server.process is not None:
        server.stop()


def _test_database_url() -> str:
    db = connection.settings_dict
    assert db["ENGINE"].endswith("postgresql"), "worker tests run on PostgreSQL (DATABASE_URL)"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def start_worker(redis_server, settings, monkeypatch, tmp_path, transactional_db):
    """start_worker(**env) → a running worker process; this process dispatches to the same
    private Redis and shares the worker's test-only settings (for the sweeper it runs)."""
    from integration.celery import app

    monkeypatch.setattr(app.conf, "broker_url", redis_server.url)
    started: list[subprocess.Popen] = []

    def start(**extra: str) -> subprocess.Popen:
        for name, value in extra.items():
            current = getattr(settings, name)
            setattr(settings, name, value if isinstance(current, str) else float(value))
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "integration.test_settings",
            "DATABASE_URL": _test_database_url(),
            "CELERY_BROKER_URL": redis_server.url,
            "REPORTS_ROOT": str(settings.REPORTS_ROOT),
            **{name: str(value) for name, value in extra.items()},
        }
        log = tmp_path / f"worker-{len(started)}.log"
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "integration",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                f"--logfile={log}",
                "-n",
                f"reports-test-{os.getpid()}@%h",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,  # its own process group, so teardown ends all of it
        )
        started.append(process)
        _wait_for(
            lambda: log.exists() and " ready." in log.read_text(),
            timeout=60,
            what=f"the worker to be ready (log: {log})",
        )
        process.log = log
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)


def _job(job_id: int) -> ReportJob:
    return ReportJob.objects.get(pk=job_id)


def _finished(job_id: int, timeout: float = 60) -> ReportJob:
    return _wait_for(
        lambda: (job := _job(job_id)).is_finished and job, timeout=timeout, what="the report"
    )


def _files_on_disk(job: ReportJob) -> list[str]:
    return sorted(p.name for p in report_path(str(job.pk)).iterdir())


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
    assert _files_on_disk(job) == ["mission-monuc-2007-04-26.pdf", "mission-monuc-2007-04-26.xlsx"]


def test_a_report_whose_worker_child_is_killed_still_finishes_once_with_one_file(
    start_worker, hq_reviewer, monuc_assessment
):
    # given a worker whose reports are slow (a delay per progress step) and a short lease
    worker = start_worker(REPORTS_TEST_STEP_DELAY="0.6", REPORTS_LEASE_SECONDS="4")
    job, _ = services.report_job_request(
        kind="mission", by=hq_reviewer, mission=monuc_assessment.mission, formats=["pdf"]
    )
    # when the pool child running it is killed with SIGKILL in the middle of the report
    running = _wait_for(
        lambda: (j := _job(job.pk)).state == "running" and j.progress >= 10 and j,
        timeout=30,
        what="the report to be mid-way",
    )
    child_pid = int(running.claimed_by.rsplit(" ", 1)[1])
    assert child_pid != worker.pid  # the pool's child, not the worker's main process
    os.kill(child_pid, signal.SIGKILL)
    assert _job(job.pk).state == "running"
    # then, with the sweeper running as beat would run it, the job finishes...

    def swept_and_finished():
        services.report_jobs_sweep()
        current = _job(job.pk)
        return current if current.is_finished else None

    job = _wait_for(
        swept_and_finished,
        timeout=90,
        interval=0.5,
        what="the killed report to finish",
    )
    # ...once, by a second attempt in another process, with one file
    assert job.state == "succeeded"
    assert job.attempts == 2
    assert int(job.claimed_by.rsplit(" ", 1)[1]) != child_pid
    assert _files_on_disk(job) == ["mission-monuc-2007-04-26.pdf"]
    assert "WorkerLostError" in worker.log.read_text() or "SIGKILL" in worker.log.read_text()


def test_a_report_requested_while_redis_is_down_finishes_after_redis_returns_and_the_sweep(
    start_worker, redis_server, client, hq_reviewer, monuc_assessment
):
    # given a running worker, then Redis stops
    start_worker()
    redis_server.stop()
    client.login(username=hq_reviewer.username, password=PASSWORD)
    # when a report is requested from the mission page
    response = client.post(
        reverse("report-request"),
        {"kind": "mission", "mission": "MONUC", "formats": ["pdf"], "idempotency_key": "k1"},
    )
    # then the page answers (the dispatch gives up quickly) and the job waits, undispatched
    assert response.status_code == 302
    job = ReportJob.objects.get()
    assert (job.state, job.dispatched_at) == ("queued", None)
    time.sleep(1)
    assert _job(job.pk).state == "queued"
    # when Redis returns and the sweeper runs
    redis_server.start()
    _wait_for(
        lambda: services.report_jobs_sweep()["dispatched"] or _job(job.pk).dispatched_at,
        timeout=30,
        interval=0.5,
        what="the sweeper to dispatch",
    )
    # then the job finishes, once, with one file
    job = _finished(job.pk, timeout=90)
    assert (job.state, job.attempts) == ("succeeded", 1)
    assert _files_on_disk(job) == ["mission-monuc-2007-04-26.pdf"]


def test_a_report_that_always_crashes_ends_failed_after_the_attempt_limit_with_its_message(
    start_worker, client, hq_reviewer, monuc_assessment
):
    # given a worker on which every report crashes
    start_worker(
        REPORTS_TEST_FAIL_WITH="injected crash for the test",
        REPORTS_MAX_ATTEMPTS="3",
        REPORTS_RETRY_DELAY_SECONDS="0.2",
    )
    client.login(username=hq_reviewer.username, password=PASSWORD)
    # when a report is requested
    response = client.post(
        "/api/v1/reports/",
        {"kind": "mission", "mission": "MONUC", "formats": ["pdf"]},
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
    assert not report_path(str(job.pk)).exists() or _files_on_disk(job) == []
