"""Test-only fault injection for reports, installed by integration/test_settings.py as an app.

It listens to `reports.signals.report_progressed` and, as `FAULTS` says, sleeps at every
progress step (a slow report, to kill mid-way), raises from a given step on (a report that
always crashes; by default at the step after the data is gathered, before any file is
written), or SIGKILLs its own process (as the OOM killer would). `FAULTS` starts from the
environment, so a worker test hands faults to its worker process (REPORTS_TEST_STEP_DELAY,
REPORTS_TEST_FAIL_WITH, REPORTS_TEST_FAIL_AT, REPORTS_TEST_KILL_AT); in-process tests use the
`faults` fixture (tests/reports/conftest.py).
"""

from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass

from django.apps import AppConfig


@dataclass
class Faults:
    step_delay: float = 0.0
    fail_with: str = ""
    fail_at: int = 45  # the step after the data is gathered, before any file is written
    kill_at: int = 0

    @classmethod
    def from_environment(cls) -> Faults:
        return cls(
            step_delay=float(os.environ.get("REPORTS_TEST_STEP_DELAY") or 0),
            fail_with=os.environ.get("REPORTS_TEST_FAIL_WITH", ""),
            fail_at=int(os.environ.get("REPORTS_TEST_FAIL_AT") or 45),
            kill_at=int(os.environ.get("REPORTS_TEST_KILL_AT") or 0),
        )


FAULTS = Faults.from_environment()


def faults_inject(sender, *, job, progress: int, **kwargs) -> None:
    if FAULTS.kill_at and progress >= FAULTS.kill_at:
        os.kill(os.getpid(), signal.SIGKILL)
    if FAULTS.fail_with and progress >= FAULTS.fail_at:
        raise RuntimeError(FAULTS.fail_with)
    if FAULTS.step_delay:
        time.sleep(FAULTS.step_delay)


class FaultInjectionConfig(AppConfig):
    name = "tests.reports.faults"
    label = "report_faults"
    verbose_name = "Report fault injection (tests only)"

    def ready(self) -> None:
        from reports.signals import report_progressed

        report_progressed.connect(faults_inject, dispatch_uid="report-fault-injection")
