"""`manage.py report`: the same service as the workers, run in-process for scheduled runs."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from assessments.reports.models import ReportJob

pytestmark = pytest.mark.django_db


def test_the_command_writes_a_mission_pdf_and_prints_its_path(monuc_assessment, capsys):
    call_command("report", "mission", "monuc", "--format", "pdf")
    out = capsys.readouterr().out.strip()
    assert out.endswith("mission-monuc-2007-04-26.pdf")
    job = ReportJob.objects.get()
    assert (job.state, job.requested_by, job.formats) == ("succeeded", None, ["pdf"])
    with open(out, "rb") as handle:
        assert handle.read(4) == b"%PDF"


def test_the_command_writes_a_portfolio_in_pdf_and_xlsx_by_default(monuc_assessment, capsys):
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
