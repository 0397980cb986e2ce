"""Build a job's files: gather data, draw charts, render each format, write files atomically.

Called by services.report_job_run while the job's claim is held, so nothing else writes into the
job's directory; `step(progress)` records progress and renews the claim's lease.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from assessments.models import Assessment
from assessments.services import assessment_evaluate
from integration.templatetags.vocab import label
from reports import selectors
from reports.charts import stacked_bars_svg
from reports.exceptions import ReportNotPossible
from reports.models import ReportJob

Step = Callable[[int], None]
DEGREE_SEGMENTS = ("full", "partial", "parallel")


def report_path(relative: str) -> Path:
    """The absolute path of a stored report file (relative to REPORTS_ROOT)."""
    root = Path(settings.REPORTS_ROOT).resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root):
        raise ValueError(f"{relative!r} is outside the reports directory")
    return path


def _segments() -> list[tuple[str, str]]:
    return [(degree, label(degree, "DEGREES")) for degree in DEGREE_SEGMENTS]


def _mission_charts(data: dict[str, Any]) -> list[Any]:
    counts = data["degree_counts"]
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


def _portfolio_charts(data: dict[str, Any]) -> list[Any]:
    return [
        stacked_bars_svg(
            chart_id=f"portfolio-{level}",
            title=_("Feasible degree across missions: %(level)s level")
            % {"level": label(level, "LEVELS")},
            rows=[
                (str(item["function"].name), item["levels"][index]["feasible_degree"])
                for item in data["distribution"]
            ],
            segments=_segments(),
            bar_height=13,  # twelve functions: two charts to a landscape page
        )
        for index, level in enumerate(selectors.LEVELS)
    ]


def _mission_data(job: ReportJob, step: Step) -> tuple[str, dict[str, Any], list[Any]]:
    assessment = selectors.mission_report_assessment_get(
        mission=job.mission, assessment_id=job.parameters.get("assessment")
    )
    if assessment is None:
        raise ReportNotPossible(
            _("%(mission)s has no assessment yet: start one before asking for its report.")
            % {"mission": job.mission.acronym}
        )
    step(10)
    if assessment.current_evaluation_id is None:
        assessment_evaluate(assessment_id=assessment.pk, by=job.requested_by)
    step(20)
    data = selectors.mission_report_data(assessment_id=assessment.pk)
    step(35)
    name = f"mission-{slugify(job.mission.acronym)}-{assessment.as_of:%Y-%m-%d}"
    return name, data, _mission_charts(data)


def _portfolio_data(job: ReportJob, step: Step) -> tuple[str, dict[str, Any], list[Any]]:
    missions = selectors.portfolio_missions(user=job.requested_by)
    unevaluated = Assessment.objects.filter(
        pk__in=missions.values("latest_id"), current_evaluation__isnull=True
    ).values_list("pk", flat=True)
    for assessment_id in unevaluated:
        assessment_evaluate(assessment_id=assessment_id, by=job.requested_by)
    step(20)
    data = selectors.portfolio_report_data(user=job.requested_by)
    step(35)
    return f"portfolio-{timezone.localdate():%Y-%m-%d}", data, _portfolio_charts(data)


def _render(kind: str, fmt: str, context: dict[str, Any]) -> bytes:
    # Imported here: WeasyPrint loads Pango at import, which web processes need not pay for.
    if fmt == "pdf":
        from reports.renderers.pdf import report_pdf_render

        return report_pdf_render(kind=kind, context=context)
    if fmt == "xlsx":
        from reports.renderers import xlsx

        render = xlsx.mission_xlsx_render if kind == "mission" else xlsx.portfolio_xlsx_render
        return render(context=context)
    from reports.renderers.html import report_html_render

    return report_html_render(kind=kind, context=context).encode("utf-8")


def _write(job_id: int, name: str, content: bytes) -> str:
    """Write via a temporary file and an atomic rename: a reader never sees half a file, and a
    second run replaces the first run's file instead of adding one."""
    relative = f"{job_id}/{name}"
    final = report_path(relative)
    temporary = final.with_name(f".{name}.{uuid.uuid4().hex}.part")
    temporary.write_bytes(content)
    os.replace(temporary, final)
    return relative


def report_files_build(*, job: ReportJob, step: Step) -> dict[str, str]:
    """Write the job's files; {format: path relative to REPORTS_ROOT}."""
    language = job.parameters.get("language") or settings.LANGUAGE_CODE
    with translation.override(language):
        step(5)
        directory = report_path(str(job.pk))
        # We hold the claim: whatever is here is a dead attempt's leftovers.
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
        build = _mission_data if job.kind == ReportJob.Kind.MISSION else _portfolio_data
        name, data, charts = build(job, step)
        # Test-only fault injection (integration/test_settings.py): a report that always crashes.
        if fail_with := getattr(settings, "REPORTS_TEST_FAIL_WITH", ""):
            raise RuntimeError(fail_with)
        context = {
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
        for index, fmt in enumerate(job.formats):
            files[fmt] = _write(job.pk, f"{name}.{fmt}", _render(job.kind, fmt, context))
            step(50 + share * (index + 1))
    return files
