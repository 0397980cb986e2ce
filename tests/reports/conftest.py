"""Fixtures for report tests: a private reports directory and an evaluated mission."""

from __future__ import annotations

import pytest

from assessments.models import FunctionAssessment
from assessments.services import assessment_evaluate
from tests import factories
from tests.reports import faults as fault_injection

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
