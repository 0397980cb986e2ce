"""`manage.py report`: the same service as the workers, run in-process for scheduled runs."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from reports.models import ReportJob

pytestmark = pytest.mark.django_db


def test_the_command_writes_a_mission_pdf_and_prints_its_path(
    monuc_assessment, local_disk_storage, capsys
):
    call_command("report", "mission", "monuc", "--format", "pdf")
    out = capsys.readouterr().out.strip()
    assert out.endswith("mission-monuc-2007-04-26.pdf")
    job = ReportJob.objects.get()
    assert (job.state, job.requested_by, job.formats) == ("succeeded", None, ["pdf"])
    assert out.startswith(str(local_disk_storage))
    with open(out, "rb") as handle:
        assert handle.read(4) == b"%PDF"


def test_the_command_copies_files_kept_in_the_database_to_the_output_directory(
    monuc_assessment, settings, tmp_path, capsys
):
    # given files kept in the database, as in production
    assert settings.STORAGES["reports"]["BACKEND"] == "reports.storage.DatabaseStorage"
    # when the command runs with --output, then it prints the copies' paths
    call_command("report", "mission", "monuc", "--format", "xlsx", "--output", tmp_path / "out")
    out = capsys.readouterr().out.strip()
    assert out == str(tmp_path / "out" / "mission-monuc-2007-04-26.xlsx")
    with open(out, "rb") as handle:
        assert handle.read(2) == b"PK"


def test_the_command_writes_a_portfolio_in_pdf_and_xlsx_by_default(monuc_assessment, capsys):
    # (kept in the database: the command prints their storage names)
    call_command("report", "portfolio")
    paths = capsys.readouterr().out.split()
    assert [path.rsplit(".", 1)[1] for path in paths] == ["pdf", "xlsx"]


def test_the_command_fails_loudly(monuc, capsys):
    with pytest.raises(CommandError, match="No mission 'NOPE'"):
        call_command("report", "mission", "NOPE")
    with pytest.raises(CommandError, match="needs a mission"):
        call_command("report", "mission")
    # a mission without assessment: the job fails and the exit status says so
    with pytest.raises(CommandError, match="MONUC has no assessment yet"):
        call_command("report", "mission", "MONUC")


def test_a_failed_in_process_run_is_final_and_leaves_nothing_to_the_workers(
    monuc_assessment, settings, monkeypatch, faults
):
    # given a report that crashes, and workers that must not be handed it
    faults.fail_with = "the renderer exploded"
    monkeypatch.setattr("reports.services.broker.report_job_dispatch", pytest.fail)
    # when the command runs it, then it exits non-zero with the error
    with pytest.raises(CommandError, match="failed: the renderer exploded"):
        call_command("report", "mission", "MONUC", "--format", "pdf")
    # and the job is failed after its one attempt, not queued again
    job = ReportJob.objects.get()
    assert (job.state, job.attempts, job.error) == ("failed", 1, "the renderer exploded")
    assert job.finished_at is not None


def test_the_help_says_where_the_files_go(settings, capsys):
    with pytest.raises(SystemExit):
        call_command("report", "--help")
    # (argparse wraps the epilog, even inside a long path)
    assert f"{settings.REPORTS_ROOT}/<jobid>/" in "".join(capsys.readouterr().out.split())
