"""Benchmark: evaluate and store, then re-evaluate and store, N assessments on PostgreSQL.

    .venv/bin/python bench/reevaluate.py [--count 10000] [--database-url postgres://...]

Creates (and afterwards drops) its own database, so it never touches yours. Figures go to the
"Re-evaluation" section of docs/benchmarks.md. Target: 10,000 assessments under 60 s.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import machine, section_write  # noqa: E402


def _admin_dsn(url: str) -> tuple[str, str]:
    base, _, name = url.rpartition("/")
    return f"{base}/postgres", name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/bench_reevaluate"
    )
    args = parser.parse_args()

    admin_url, name = _admin_dsn(args.database_url)
    conn = psycopg2.connect(admin_url)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    os.environ |= {
        "DATABASE_URL": args.database_url,
        "DEBUG": "1",
        "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DJANGO_SETTINGS_MODULE": "integration.settings",
    }
    try:
        figures = _run(args.count)
    finally:
        from django.db import connections

        connections.close_all()
        with conn.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.close()
    n = args.count
    rows = "\n".join(
        f"| {label} | {figures[key]:.1f} s | {figures[key] / n * 1000:.2f} ms |"
        for key, label in (
            ("first", "first evaluation, computed and stored"),
            ("dry", "`reevaluate --dry-run` (compute and compare)"),
            ("store", "`reevaluate` (compute, compare and store beside the old)"),
        )
    )
    section_write(
        "reevaluate",
        f"""## Re-evaluation on PostgreSQL

Command: `.venv/bin/python bench/reevaluate.py --count {n}` ({machine()}, PostgreSQL on the
same machine). Each assessment has the 12 functions; storing writes one evaluation and 36
recommendation rows per assessment.

| step | {n:,} assessments | per assessment |
|---|---|---|
{rows}

Target: re-evaluating and storing 10,000 assessments under 60 s.
""",
    )
    print(figures)


def _run(count: int) -> dict[str, float]:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from assessments.models import Assessment, FunctionAssessment
    from assessments.reevaluation import assessments_reevaluate
    from integration.engine import vocabulary as v
    from integration.services import rulebook_default_ensure
    from missions.models import Function, Mission

    for position, spec in enumerate(v.FUNCTIONS):
        Function.objects.create(
            code=spec.code,
            name=spec.name,
            default_dimensions=list(spec.default_dimensions),
            position=position,
        )
    functions = list(Function.objects.all())
    rng = random.Random(2007)
    missions = Mission.objects.bulk_create(
        Mission(acronym=f"M{i}", name=f"Mission {i}", country="X", presence_type="hybrid")
        for i in range(200)
    )

    def pick(vocab):
        return rng.choice(v.values(vocab))

    assessments = Assessment.objects.bulk_create(
        (
            Assessment(
                mission=missions[i % len(missions)],
                as_of=f"20{10 + i % 15}-01-01",
                presence_type=rng.choice(["multidimensional_pko", "political_mission", "hybrid"]),
                unct_present=True,
                phase=pick(v.PHASES),
                conflict_level=pick(v.CONFLICT_LEVELS),
                force_posture=pick(v.FORCE_POSTURES),
                host_consent=pick(v.HOST_CONSENT),
                national_capacity=pick(v.NATIONAL_CAPACITY),
                hc_triple_hatted=rng.random() < 0.5,
                pooled_fund=rng.random() < 0.5,
                donors_in_planning=rng.random() < 0.5,
                agency_service_agreements=rng.random() < 0.5,
                common_services=rng.random() < 0.5,
                regional_partner=pick(v.REGIONAL_PARTNER),
                drawdown_within_months=rng.choice([None, 6, 18, 36]),
            )
            for i in range(count)
        ),
        batch_size=2000,
    )
    FunctionAssessment.objects.bulk_create(
        (
            FunctionAssessment(
                assessment=assessment,
                function=function,
                dimensions=list(function.default_dimensions),
                conflicting_imperatives=rng.random() < 0.2,
                unct_programmes=rng.random() < 0.5,
                funding_source=pick(v.FUNDING_SOURCES),
                desired_impact="bench",
            )
            for assessment in assessments
            for function in functions
        ),
        batch_size=5000,
    )
    rulebook = rulebook_default_ensure()

    # The first evaluation: every assessment "evaluated" through the same store path.
    from assessments.reevaluation import _AssessmentRef
    from assessments.selectors import facts_dict_build
    from assessments.services import evaluation_decide, evaluations_store
    from integration.services import rulebook_engine_get

    compiled = rulebook_engine_get(rulebook=rulebook)
    started = time.perf_counter()
    ids = list(Assessment.objects.order_by("pk").values_list("pk", flat=True))
    for offset in range(0, len(ids), 500):
        batch = Assessment.objects.filter(pk__in=ids[offset : offset + 500]).prefetch_related(
            "function_assessments__function"
        )
        items = []
        for assessment in batch:
            facts = facts_dict_build(
                assessment=assessment, rows=list(assessment.function_assessments.all())
            )
            decision = evaluation_decide(facts=facts, rulebook=compiled)
            items.append((_AssessmentRef(assessment.pk, assessment.version), facts, decision))
        evaluations_store(items=items, rulebook=rulebook, trigger="on_demand")
    first = time.perf_counter() - started

    started = time.perf_counter()
    assessments_reevaluate(rulebook=rulebook, dry_run=True)
    dry = time.perf_counter() - started

    started = time.perf_counter()
    assessments_reevaluate(rulebook=rulebook, dry_run=False)
    store = time.perf_counter() - started
    return {"first": first, "dry": dry, "store": store}


if __name__ == "__main__":
    main()
