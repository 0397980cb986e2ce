"""Build a job's files: gather data, draw charts, render each format, store each file.

Called by services.report_job_run while the job's claim is held, so nothing else writes the
job's files; `step(progress)` records progress and renews the claim's lease. Reports read: an
assessment without a current evaluation is reported as not evaluated, never evaluated here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.safestring import SafeString
from django.utils.text import slugify
from django.utils.translation import gettext as _

from integration.templatetags.vocab import label
from reports import selectors
from reports.charts import stacked_bars_svg
from reports.exceptions import ReportNotPossible
from reports.files import report_file_write, report_files_delete
from reports.formats import FORMATS
from reports.models import ReportJob
from reports.selectors import MissionReportData, PortfolioReportData

Step = Callable[[int], None]
ReportData = MissionReportData | PortfolioReportData
DEGREE_SEGMENTS = ("full", "partial", "parallel")


def _segments() -> list[tuple[str, str]]:
    return [(degree, label(degree, "DEGREES")) for degree in DEGREE_SEGMENTS]


def _mission_charts(data: MissionReportData) -> list[SafeString]:
    counts = data.degree_counts
    return [
        stacked_bars_svg(
            chart_id=f"{key}-by-level",
            title=title,
            rows=[(label(level, "LEVELS"), counts[key][level]) for level in selectors.LEVELS],
            segments=_segments(),
        )
        for key, title in (
            ("degree", _("What the desired impacts call for, per level")),
            ("feasible_degree", _("What today's context allows, per level")),
        )
    ]


def _portfolio_charts(data: PortfolioReportData) -> list[SafeString]:
    return [
        stacked_bars_svg(
            chart_id=f"portfolio-{level}",
            title=_("Feasible degree across missions: %(level)s level")
            % {"level": label(level, "LEVELS")},
            rows=[
                (str(item.function.name), item.levels[index].feasible_degree)
                for item in data.distribution
            ],
            segments=_segments(),
            bar_height=13,  # twelve functions: two charts to a landscape page
        )
        for index, level in enumerate(selectors.LEVELS)
    ]


def _mission_data(job: ReportJob, step: Step) -> tuple[str, ReportData, list[SafeString]]:
    assessment = selectors.mission_report_assessment_get(
        mission=job.mission, assessment_id=job.parameters.get("assessment")
    )
    if assessment is None:
        raise ReportNotPossible(
            _("%(mission)s has no assessment yet: start one before asking for its report.")
            % {"mission": job.mission.acronym}
        )
    step(20)
    data = selectors.mission_report_data(assessment_id=assessment.pk)
    step(35)
    name = f"mission-{slugify(job.mission.acronym)}-{assessment.as_of:%Y-%m-%d}"
    return name, data, _mission_charts(data)


def _portfolio_data(job: ReportJob, step: Step) -> tuple[str, ReportData, list[SafeString]]:
    step(20)
    data = selectors.portfolio_report_data(user=job.requested_by)
    step(35)
    return f"portfolio-{timezone.localdate():%Y-%m-%d}", data, _portfolio_charts(data)


def report_files_build(*, job: ReportJob, step: Step) -> dict[str, str]:
    """Store the job's files; {format: storage name}."""
    language = job.parameters.get("language") or settings.LANGUAGE_CODE
    with translation.override(language):
        step(5)
        # We hold the claim: whatever is stored for the job is a dead attempt's leftovers.
        report_files_delete(job_id=job.pk)
        build = _mission_data if job.kind == ReportJob.Kind.MISSION else _portfolio_data
        name, data, charts = build(job, step)
        context: dict[str, Any] = {
            "data": data,
            "charts": charts,
            "job": job,
            "generated_at": timezone.now(),
            "requested_by": job.requested_by.get_username()
            if job.requested_by
            else _("command line"),
        }
        step(45)
        files = {}
        share = 50 // len(job.formats)
        for index, code in enumerate(job.formats):
            fmt = FORMATS[code]
            files[code] = report_file_write(
                job_id=job.pk,
                name=f"{name}.{fmt.extension}",
                content=fmt.render(job.kind, context),
            )
            step(50 + share * (index + 1))
    return files
