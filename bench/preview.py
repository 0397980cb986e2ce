"""Benchmark: the edit page's live preview, one round trip from request to rendered partial.

    .venv/bin/python bench/preview.py [--runs 200] [--database-url postgres://...]

Creates (and afterwards drops) its own PostgreSQL database. Loads the sample missions, starts a
draft of MONUC (12 functions) for the demo planner and computes its recommendations, then posts
the edit form to the preview as htmx does, in this process through Django's test client (the
whole middleware stack, session, queries, engine and template), changing the force posture
each time. Figures go to the "Live preview" section of docs/benchmarks.md. Target: median under
50 ms of server time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import machine, section_write  # noqa: E402

TARGET_MS = 50
POSTURES = ("none", "deterrent", "open_combat")


def _admin_dsn(url: str) -> tuple[str, str]:
    base, _, name = url.rpartition("/")
    return f"{base}/postgres", name


def _run(runs: int) -> tuple[list[float], list[float], int]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse
    from django.utils.http import urlencode

    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("load_sample_data", verbosity=0)
    call_command("ensure_demo_accounts", verbosity=0)
    from django.contrib.auth import get_user_model
    from django.db import connection

    from assessments import services
    from missions.models import Mission
    from tests.forms import assessment_form_data

    planner = get_user_model().objects.get(username="planner")
    monuc = Mission.objects.get(acronym="MONUC")
    draft = services.assessment_create(mission=monuc, by=planner)
    services.assessment_evaluate(assessment_id=draft.pk, by=planner)
    draft.refresh_from_db()
    client = Client()
    client.force_login(planner)
    url = reverse("assessment-preview", args=[draft.pk])
    # htmx posts the edit form url-encoded (the form has no enctype), not as multipart.
    posts = [
        urlencode(assessment_form_data(draft, **{"context-force_posture": p}), doseq=True)
        for p in POSTURES
    ]
    form_encoded = {"content_type": "application/x-www-form-urlencoded", "HTTP_HX_REQUEST": "true"}
    wall, cpu = [], []
    for run in range(runs + 10):  # the first ten warm the caches and imports: dropped
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.post(url, posts[run % len(posts)], **form_encoded)
        elapsed, elapsed_cpu = time.perf_counter() - start, time.process_time() - start_cpu
        if response.status_code != 200 or b'id="preview-matrix"' not in response.content:
            raise SystemExit(f"the preview answered {response.status_code} without a matrix")
        if run >= 10:
            wall.append(elapsed * 1000)
            cpu.append(elapsed_cpu * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.post(url, posts[0], **form_encoded)
    return wall, cpu, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/bench_preview"
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
        "LOG_LEVEL": "WARNING",
    }
    try:
        wall, cpu, queries = _run(args.runs)
    finally:
        from django.db import connections

        connections.close_all()
        with conn.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.close()
    median = statistics.median(wall)
    verdict = "met" if median < TARGET_MS else "MISSED"
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    body = "\n".join(
        [
            "## Live preview",
            "",
            "Command: `.venv/bin/python bench/preview.py`",
            f"({machine()}, PostgreSQL on the same machine; load average {load} when it ran).",
            "",
            "One preview round trip: the edit form of a MONUC draft (12 functions) posted as",
            "htmx posts it (url-encoded), through the whole middleware stack, validation, the",
            f"engine and the partial's template, in this process; {queries} queries, the force",
            "posture changed each time.",
            "",
            "| preview | runs | median | p95 | median CPU time | target |",
            "|---|---|---|---|---|---|",
            f"| request to rendered partial | {len(wall)} | {median:.1f} ms | "
            f"{statistics.quantiles(wall, n=20)[-1]:.1f} ms | {statistics.median(cpu):.1f} ms | "
            f"< {TARGET_MS} ms ({verdict}) |",
        ]
    )
    section_write("preview", body)
    print(body)


if __name__ == "__main__":
    main()
