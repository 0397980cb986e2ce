"""A multi-process soak: two gunicorn web processes and two Celery workers on PostgreSQL and a
private Redis, 50 report requests and 2,000 API reads spread over both web processes (all on
127.0.0.1, bounded in count and time). Every job succeeds once, every file downloads from
either web process with the bytes stored, no answer is a 5xx, and no file is stored twice.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection

from assessments.services import assessment_evaluate
from integration.api.tokens import api_token_create
from reports.models import ReportJob, StoredFile
from tests import factories
from tests.reports.processes import ROOT, database_url, free_port, wait_for

MISSIONS = ["MONUC", "BINUB", "UNMIS", "UNMEE", "UNAMID"]
REPORTS, READS = 50, 2000
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the soak needs PostgreSQL (set DATABASE_URL): other processes share its database",
    ),
    pytest.mark.skipif(
        shutil.which("redis-server") is None, reason="needs the redis-server program"
    ),
]


class Web:
    """A gunicorn process serving the project as docker-compose runs it (sync workers)."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.log = log
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "integration.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--timeout",
                "60",
                f"--error-logfile={log}",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        wait_for(self._answers, timeout=60, what=f"gunicorn on port {self.port} (log: {log})")

    def _answers(self) -> bool:
        try:
            return self.request("GET", "/healthz")[0] in (200, 503)
        except OSError:
            return False

    def request(self, method: str, path: str, *, token: str = "", body=None):
        """(status, body bytes, content type) of one request on a fresh connection."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        payload = None
        if body is not None:
            payload = json.dumps(body)
            headers["Content-Type"] = "application/json"
        try:
            conn.request(method, path, body=payload, headers=headers)
            response = conn.getresponse()
            return response.status, response.read(), response.getheader("Content-Type", "")
        finally:
            conn.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)


@pytest.fixture
def web_pair(redis_server, tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "integration.test_settings",
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_server.url,
        "CELERY_BROKER_URL": redis_server.url,
        "VAR_DIR": str(tmp_path / "web-var"),
        "REPORTS_ROOT": str(tmp_path / "web-reports"),
        "REPORTS_QUOTA": "1000",
    }
    webs: list[Web] = []
    try:
        for number in range(2):
            webs.append(Web(env, tmp_path / f"web-{number}.log"))
        yield webs
    finally:
        for web in webs:
            web.stop()


def _seed() -> tuple[str, str]:
    """Five evaluated missions and a reviewer's write token; (token, reader's read token)."""
    for acronym in MISSIONS:
        assessment = factories.AssessmentFactory(mission=factories.MissionFactory(acronym=acronym))
        assessment_evaluate(assessment_id=assessment.pk)
    reviewer = factories.hq_reviewer_create(username="soak-reviewer")
    reader = factories.UserFactory(username="soak-reader")
    return (
        api_token_create(user=reviewer, name="soak", scope="write").secret,
        api_token_create(user=reader, name="soak", scope="read").secret,
    )


def test_two_web_processes_and_two_workers_serve_reports_and_reads_without_a_fault(
    redis_server, worker_factory, web_pair
):
    # given two gunicorn processes and two workers (no beat) on one PostgreSQL and one Redis
    writer, reader = _seed()
    for _worker in range(2):
        worker_factory(redis_server.url)
    rng = random.Random(2007)
    requests = [
        (
            "POST",
            "/api/v1/reports/",
            writer,
            {"kind": "portfolio", "formats": ["xlsx"], "idempotency_key": f"soak-{n}"}
            if n % 10 == 9
            else {
                "kind": "mission",
                "mission": MISSIONS[n % len(MISSIONS)],
                "formats": ["html", "xlsx"],
                "idempotency_key": f"soak-{n}",
            },
        )
        for n in range(REPORTS)
    ]
    reads = [
        (
            "GET",
            rng.choice(
                [
                    "/api/v1/missions/?page_size=50",
                    "/api/v1/reports/",
                    f"/api/v1/missions/{rng.choice(MISSIONS)}/",
                ]
            ),
            reader,
            None,
        )
        for _n in range(READS)
    ]
    calls = requests + reads
    rng.shuffle(calls)

    # when they are sent four at a time, alternately to each web process
    def send(numbered):
        number, (method, path, token, body) = numbered
        return path, web_pair[number % 2].request(method, path, token=token, body=body)

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(send, enumerate(calls)))

    # then no answer was a server error, every request was accepted, every read answered
    statuses = [status for _path, (status, _body, _type) in answers]
    assert [s for s in statuses if s >= 500] == []
    assert statuses.count(202) == REPORTS
    assert statuses.count(200) == READS
    # and every job succeeds, at its first and only attempt, built by both workers
    wait_for(
        lambda: ReportJob.objects.filter(state="succeeded").count() == REPORTS,
        timeout=300,
        interval=1,
        what="the 50 reports",
    )
    jobs = list(ReportJob.objects.order_by("pk"))
    assert len(jobs) == REPORTS
    assert {(job.state, job.attempts) for job in jobs} == {("succeeded", 1)}
    assert len({job.claimed_by for job in jobs}) == 2
    # with one stored file per format, and no other file
    stored = {row.name: bytes(row.content) for row in StoredFile.objects.all()}
    assert sorted(stored) == sorted(name for job in jobs for name in job.files.values())
    assert sum(len(job.formats) for job in jobs) == len(stored)
    # and each file downloads from either web process, the bytes stored
    for job in jobs:
        for fmt, name in job.files.items():
            for web in web_pair:
                status, body, _type = web.request(
                    "GET", f"/api/v1/reports/{job.pk}/files/{fmt}/", token=reader
                )
                assert (status, body == stored[name]) == (200, True), (job.pk, fmt, web.port)
