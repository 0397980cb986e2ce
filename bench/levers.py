"""Benchmark: the levers of one assessment (12 functions, single changes and pairs).

    .venv/bin/python bench/levers.py [--runs 60] [--missions 200] [--no-write]

Cycles through the engine benchmark's four contexts and MONUC as the source describes it in
2007 (no agency service agreements, no common services, no common framework), the case with the
most gaps. Figures go to the "Levers" section of docs/benchmarks.md (with --no-write, only to
the terminal), with the machine's load average, since the machine may be shared. Targets: median
under 200 ms per assessment, pairs included; the levers of 200 missions (the portfolio page's
engine work, each mission's facts different, nothing cached) under 5 s.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import machine, section_write  # noqa: E402
from bench.engine import BINUB, CONTEXTS  # noqa: E402
from integration.engine import (  # noqa: E402
    Facts,
    context_contradictions,
    default_rulebook,
    evaluate,
    facts_from_dict,
)
from integration.engine.fact_specs import FACT_SPECS  # noqa: E402
from integration.engine.levers import gaps, levers  # noqa: E402

MONUC_2007 = {
    **BINUB,
    "presence_type": "multidimensional_pko",
    "phase": "peacekeeping",
    "conflict_level": "high",
    "force_posture": "deterrent",
    "pooled_fund": False,
    "agency_service_agreements": False,
    "common_services": False,
}
TARGET_MS = 200
PORTFOLIO_TARGET_S = 5


def portfolio(count: int) -> list[Facts]:
    """`count` missions with different contexts (every context fact drawn, seeded), 12
    functions each: what the portfolio page searches, one mission after another."""
    draw = random.Random(2007)
    found: list[Facts] = []
    while len(found) < count:
        context = dict(MONUC_2007)
        for spec in FACT_SPECS.values():
            name = spec.path.removeprefix("context.")
            if name == spec.path or name == "unct_present":
                continue
            if spec.kind == "bool":
                context[name] = draw.random() < 0.5
            elif spec.kind == "enum":
                context[name] = draw.choice([v for v in spec.choices if v != "observer_mission"])
            elif spec.kind == "int_or_null":
                context[name] = draw.choice([None, 6, 18, 36])
        if not context_contradictions(context):
            found.append(facts_from_dict({"context": context}))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--missions", type=int, default=200)
    parser.add_argument(
        "--no-write", action="store_true", help="print the figures, leave docs/benchmarks.md"
    )
    args = parser.parse_args()

    rulebook = default_rulebook()
    facts = [facts_from_dict({"context": context}) for context in (*CONTEXTS, MONUC_2007)]
    found = [levers(item, rulebook) for item in facts]  # warm up: the plan, the texts
    samples = []
    for run in range(args.runs):
        start = time.perf_counter_ns()
        levers(facts[run % len(facts)], rulebook)
        samples.append((time.perf_counter_ns() - start) / 1e6)
    median = statistics.median(samples)
    p95 = statistics.quantiles(samples, n=20)[-1]
    verdict = "met" if median < TARGET_MS else "MISSED"
    counts = ", ".join(
        f"{len(gaps(evaluate(item, rulebook)))} gaps → {len(levers_found)} levers "
        f"({sum(1 for lever in levers_found if len(lever.changes) == 2)} pairs)"
        for item, levers_found in zip(facts, found, strict=True)
    )
    missions = portfolio(args.missions)
    start, cpu = time.perf_counter(), time.process_time()
    portfolio_levers = sum(len(levers(item, rulebook)) for item in missions)
    portfolio_s = time.perf_counter() - start
    portfolio_cpu = time.process_time() - cpu
    portfolio_verdict = "met" if portfolio_s < PORTFOLIO_TARGET_S else "MISSED"
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    body = "\n".join(
        [
            "## Levers",
            "",
            "Command: `.venv/bin/python bench/levers.py`",
            f"({machine()}; load average {load} when it ran).",
            "",
            "The levers of one assessment of 12 functions: every single change the what-if",
            "search tries, and the pairs of those that lift a barrier where a gap is, run",
            "through the rules and the combination, the kept ones rendered in English. Five",
            f"contexts: the engine benchmark's four and MONUC in 2007; per context: {counts}.",
            "",
            "| levers of one assessment | runs | median | p95 | target |",
            "|---|---|---|---|---|",
            f"| singles and pairs | {len(samples)} | {median:.1f} ms | {p95:.1f} ms | "
            f"< {TARGET_MS} ms ({verdict}) |",
            "",
            f"Portfolio: the levers of {len(missions)} missions with different contexts (every",
            "context fact drawn, seeded; 12 functions each), one after another and nothing",
            f"cached, as the portfolio page's first view after a restart: {portfolio_levers}",
            f"levers in **{portfolio_s:.2f} s** wall clock, {portfolio_cpu:.2f} s of this",
            f"process's CPU time (target < {PORTFOLIO_TARGET_S} s: {portfolio_verdict} by the wall",
            "clock; on a shared machine the CPU time is what the search costs). The page adds",
            "two queries, whatever the number of missions, and keeps each process's recent",
            "levers by facts and rulebook.",
        ]
    )
    if not args.no_write:
        section_write("levers", body)
    print(body)


if __name__ == "__main__":
    main()
