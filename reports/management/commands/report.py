"""`manage.py report mission MONUC --format pdf` / `manage.py report portfolio`, for cron.

By default the report is built in this process by the same service the workers run
(services.report_job_run): a scheduled run then needs no worker, its exit status says whether the
report was produced, and the job still appears in the list of past reports. `--enqueue` hands
it to the workers instead and waits for them, showing their progress.
"""

from __future__ import annotations

import time
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from missions.models import Mission
from reports import services
from reports.exceptions import ReportError
from reports.files import report_file_open, report_storage
from reports.formats import FORMATS
from reports.models import ReportJob


class Command(BaseCommand):
    help = "Produce a mission or portfolio report (PDF, HTML, XLSX) and print its files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.epilog = (
            "Files are stored in the report storage (STORAGES['reports']: the local disk under "
            f"{settings.REPORTS_ROOT}/<job id>/, or the database in production; private, no URL "
            "serves it) and their paths (or storage names) printed, one per line; --output "
            "copies them to a directory. The exit status is non-zero when the report failed; "
            "the job shows in the list of past reports."
        )
        parser.add_argument("kind", choices=[k.value for k in ReportJob.Kind])
        parser.add_argument("mission", nargs="?", help="Mission acronym (mission reports).")
        parser.add_argument(
            "--format",
            dest="formats",
            action="append",
            choices=list(FORMATS),
            help="Repeat for several formats. Default: pdf and xlsx.",
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Let the Celery workers build it, and wait (default: build it here).",
        )
        parser.add_argument(
            "--timeout", type=float, default=900, help="Seconds to wait with --enqueue."
        )
        parser.add_argument(
            "--output", type=Path, help="Copy the files to this directory and print their paths."
        )

    def handle(self, *args, **options) -> None:
        kind = options["kind"]
        mission = None
        if kind == ReportJob.Kind.MISSION:
            if not options["mission"]:
                raise CommandError("A mission report needs a mission acronym.")
            mission = Mission.objects.filter(acronym__iexact=options["mission"]).first()
            if mission is None:
                raise CommandError(f"No mission {options['mission']!r}.")
        formats = options["formats"] or ["pdf", "xlsx"]
        try:
            job, _created = services.report_job_request(
                kind=kind,
                by=None,
                mission=mission,
                formats=formats,
                parameters={"language": settings.LANGUAGE_CODE},
                dispatch=False,
            )
        except ReportError as exc:
            raise CommandError(str(exc)) from exc

        with tqdm(total=100, desc=f"Report #{job.pk}", unit="%", disable=None) as bar:

            def show(progress: int) -> None:
                bar.update(max(progress - bar.n, 0))

            if options["enqueue"]:
                job = self._enqueue_and_wait(job, show, options["timeout"])
            else:
                # In this process, a failed attempt is final: the exit status reports it and
                # the next scheduled run tries again; nothing is left to the workers.
                job = services.report_job_run(job_id=job.pk, on_progress=show, retry=False) or job
                job.refresh_from_db()
            if job.state == ReportJob.State.SUCCEEDED:
                show(100)
        if job.state != ReportJob.State.SUCCEEDED:
            raise CommandError(f"Report #{job.pk} {job.state}: {job.error}")
        for name in job.files.values():
            self.stdout.write(self._written(name, options["output"]))

    def _written(self, name: str, output: Path | None) -> str:
        """Where the file can be read: a copy in `output`, its local path, or its name."""
        if output is not None:
            output.mkdir(parents=True, exist_ok=True)
            target = output / PurePosixPath(name).name
            with report_file_open(name) as stored:
                target.write_bytes(stored.read())
            return str(target)
        try:
            return report_storage().path(name)
        except NotImplementedError:  # not on a local disk (the database)
            return name

    def _enqueue_and_wait(self, job: ReportJob, show, timeout: float) -> ReportJob:
        if not services.report_job_dispatch(job_id=job.pk):
            self.stderr.write("Broker unavailable: the sweeper will dispatch the job later.")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job.refresh_from_db()
            show(job.progress)
            if job.is_finished:
                return job
            time.sleep(0.5)
        raise CommandError(f"Report #{job.pk} still {job.state} after {timeout:.0f} s.")
