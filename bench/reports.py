"""Benchmark: mission reports (PDF, XLSX, HTML), the portfolio of 200 missions (PDF, XLSX) and
the portfolio XLSX of 1,000 missions (its levers cached, as the worker leaves them, and not).

    .venv/bin/python bench/reports.py [--missions 200] [--runs 5] [--xlsx-missions 1000]
                                      [--database-url postgres://...]

Creates (and afterwards drops) its own PostgreSQL database, so it never touches yours. Each
mission has one approved assessment of the 12 functions, evaluated under the default rulebook, a
review comment and an override. Times run the same service the workers run
(services.report_job_run: claim, gather, render, write, finish), in this process: wall clock and
this process's CPU time (which other jobs on the machine inflate much less). Figures, with the
targets of issue 15, go to the "Reports" section of docs/benchmarks.md (`make bench`).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    RandomFacts,
    evaluations_seed,
    functions_seed,
    machine,
    scratch_database,
    section_write,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--missions", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--xlsx-missions",
        type=int,
        default=1000,
        help="missions in the large portfolio XLSX (seeded after the other runs)",
    )
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/bench_reports"
    )
    args = parser.parse_args()

    reports_root = tempfile.mkdtemp(prefix="bench-reports-")
    with scratch_database(args.database_url, REPORTS_ROOT=reports_root, LOG_LEVEL="WARNING"):
        figures = _run(args.missions, args.runs, args.xlsx_missions)

    def row(label: str, key: str, target: float | None = None) -> str:
        times, cpu = figures[key], figures[key + "_cpu"]
        median = statistics.median(times)
        aim = f"< {target:g} s ({'met' if median < target else 'MISSED'})" if target else ""
        return (
            f"| {label} | {len(times)} | {median:.2f} s | {max(times):.2f} s "
            f"| {statistics.median(cpu):.2f} s | {figures[key + '_size'] / 1024:.0f} KiB "
            f"| {aim} |"
        )

    big = args.xlsx_missions

    section_write(
        "reports",
        f"""## Reports

Command: `.venv/bin/python bench/reports.py --missions {args.missions} --runs {args.runs} \
--xlsx-missions {big}` ({machine()}, PostgreSQL on the same machine, load average
{figures["load"]} at the start and {os.getloadavg()[0]:.1f} at the end: other jobs on the machine
inflate the wall-clock times, the CPU times much less). Each time is one job run in-process by the
service the Celery workers run (claim, gather the data, draw the charts, render, write the
file, finish); the portfolio covers {args.missions} missions, each with one evaluated assessment
of the 12 functions, approved; the large XLSX adds missions up to {big}. The mission PDF is
{figures["pages"]} pages, the portfolio PDF {figures["portfolio_pages"]}.

| report | runs | median | slowest | CPU (median) | file size | target |
|---|---|---|---|---|---|---|
{row("mission report, PDF", "mission_pdf", 2)}
{row("mission report, XLSX", "mission_xlsx")}
{row("mission report, HTML", "mission_html")}
{row(f"portfolio report, PDF, {args.missions} missions", "portfolio_pdf", 15)}
{row(f"portfolio report, XLSX, {args.missions} missions", "portfolio_xlsx")}
{row(f"portfolio report, XLSX, {big} missions", "portfolio_xlsx_big", 10)}
{row(f"portfolio report, XLSX, {big} missions, levers not cached", "portfolio_xlsx_cold")}

Reading the data is a handful of queries whatever the size (selectors.py); rendering dominates,
and for PDFs most of it is WeasyPrint's layout. The portfolio's levers sheet needs the engine's
lever search over every mission's approved profile: the worker runs it once per evaluation and
language right after the evaluation is stored (assessments/levers_cache.py; here the same
function, for {big} evaluations in {len(settings_languages())} languages, took \
{figures["warm_up"]:.1f} s CPU before the timed runs), so a report finds every lever in the
shared cache ({cache_backend()}) and the first row is the figure users see; the last row is the
same report after the cache was emptied (Redis flushed), the search run in the report's job.
""",
    )
    print(figures)


def settings_languages() -> list:
    from django.conf import settings

    return settings.LANGUAGES


def cache_backend() -> str:
    from django.conf import settings

    return settings.CACHES["levers"]["BACKEND"].rsplit(".", 1)[-1]


def _seed(count: int, start: int = 0) -> None:
    """Missions M{start:03d} to M{count - 1:03d}, each with one approved, evaluated assessment of
    the 12 functions, a review comment and an override; the functions and the reviewer first.
    The levers' warm-up is not dispatched to a broker: _levers_warm runs it here."""
    from django.contrib.auth import get_user_model

    from assessments import evaluation_storage
    from assessments.models import Assessment, FunctionAssessment, Override, ReviewComment
    from missions.models import Mission

    evaluation_storage.levers_warm_dispatch = lambda **_kwargs: False
    functions = functions_seed()
    reviewer, _created = get_user_model().objects.get_or_create(username="bench-reviewer")
    random_facts = RandomFacts(random.Random(2007 + start))
    missions = Mission.objects.bulk_create(
        Mission(acronym=f"M{i:03d}", name=f"Mission {i}", country="X", presence_type="hybrid")
        for i in range(start, count)
    )
    # Approved: the portfolio shows every mission's approved profile, the worst case.
    assessments = Assessment.objects.bulk_create(
        Assessment(mission=mission, as_of="2007-04-26", status="approved", **random_facts.context())
        for mission in missions
    )
    FunctionAssessment.objects.bulk_create(
        FunctionAssessment(
            assessment=assessment,
            function=function,
            dimensions=list(function.default_dimensions),
            desired_impact="A desired impact of a few sentences, as planners write them. " * 3,
            **random_facts.function(pooled_fund=assessment.pooled_fund),
        )
        for assessment in assessments
        for function in functions
    )
    evaluations_seed(
        Assessment.objects.filter(mission__in=missions, current_evaluation__isnull=True)
    )
    for assessment in assessments:
        ReviewComment.objects.create(
            assessment=assessment,
            author=reviewer,
            kind="comment",
            body="Please say where the sources are silent.",
        )
        Override.objects.create(
            assessment=assessment,
            function=functions[2],
            level="strategic",
            degree="partial",
            justification="Bench override.",
            author=reviewer,
        )


def _time_job(**request) -> tuple[float, float, int, str]:
    """(wall-clock seconds, CPU seconds of this process, file size, file path) of one job."""
    from reports import services
    from reports.files import report_storage

    job, _ = services.report_job_request(by=None, dispatch=False, **request)
    started, cpu = time.perf_counter(), time.process_time()
    job = services.report_job_run(job_id=job.pk)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert job.state == "succeeded", job.error
    name = next(iter(job.files.values()))
    return elapsed, cpu, report_storage().size(name), report_storage().path(name)


def _time_runs(runs: int, warm: bool, **request) -> tuple[list[float], list[float], int, str]:
    """Wall-clock and CPU seconds of `runs` jobs (after one dropped run when `warm`)."""
    times, cpus = [], []
    for _run_number in range(runs + int(warm)):
        elapsed, cpu, size, path = _time_job(**request)
        times.append(elapsed)
        cpus.append(cpu)
    skip = int(warm)  # the first run warms caches and imports
    return times[skip:], cpus[skip:], size, path


def _run(count: int, runs: int, big: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    _seed(count)
    import pypdf

    from missions.models import Mission

    mission = Mission.objects.get(acronym="M001")
    figures: dict = {"load": f"{os.getloadavg()[0]:.1f}"}

    def record(key: str, measured: tuple) -> str:
        figures[key], figures[key + "_cpu"], figures[key + "_size"], path = measured
        return path

    for fmt in ("pdf", "xlsx", "html"):
        path = record(
            f"mission_{fmt}", _time_runs(runs, True, kind="mission", mission=mission, formats=[fmt])
        )
        if fmt == "pdf":
            figures["pages"] = len(pypdf.PdfReader(path).pages)
    for fmt in ("pdf", "xlsx"):
        path = record(
            f"portfolio_{fmt}",
            _time_runs(max(runs // 2, 1), False, kind="portfolio", formats=[fmt]),
        )
        if fmt == "pdf":
            figures["portfolio_pages"] = len(pypdf.PdfReader(path).pages)
    if big > count:
        _seed(big, start=count)
    keys, figures["warm_up"] = _levers_warm()
    record(
        "portfolio_xlsx_big",
        _time_runs(max(runs // 2, 1), False, kind="portfolio", formats=["xlsx"]),
    )
    cold = []
    for _run_number in range(max(runs // 2, 1)):
        _levers_forget(keys)
        cold.append(_time_job(kind="portfolio", formats=["xlsx"]))
    figures["portfolio_xlsx_cold"] = [run[0] for run in cold]
    figures["portfolio_xlsx_cold_cpu"] = [run[1] for run in cold]
    figures["portfolio_xlsx_cold_size"] = cold[-1][2]
    _levers_forget(keys)  # leave nothing in a shared Redis
    return figures


def _levers_warm() -> tuple[list[str], float]:
    """Warm the levers cache as the worker does after evaluations are stored (the task's
    function, every evaluation in every language, here in this process); the keys written and
    the CPU seconds it took. Then forget this process's own levers, as another process (the
    report worker) would not have them."""
    from django.conf import settings

    from assessments.levers_cache import levers_key, levers_warm
    from assessments.models import Evaluation
    from assessments.selectors import levers as levers_selectors

    evaluations = list(Evaluation.objects.filter(applicable=True).select_related("rulebook"))
    cpu = time.process_time()
    levers_warm(evaluation_ids=[evaluation.pk for evaluation in evaluations])
    cpu = time.process_time() - cpu
    levers_selectors._found.clear()
    keys = {
        levers_key(evaluation=evaluation, language=code)
        for evaluation in evaluations
        for code, _name in settings.LANGUAGES
    }
    return sorted(keys), cpu


def _levers_forget(keys: list[str]) -> None:
    """A cold cache: the bench's entries deleted (not the whole cache, which may be shared) and
    this process's own levers forgotten."""
    from django.core.cache import caches

    from assessments.selectors import levers as levers_selectors

    caches["levers"].delete_many(keys)
    levers_selectors._found.clear()


if __name__ == "__main__":
    main()
