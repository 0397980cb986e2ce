"""Benchmark: one full engine evaluation (12 functions × 3 levels, with trace), with and without
what-if.

    .venv/bin/python bench/engine.py [--runs 3000] [--what-if-runs 2000] [--no-write]

Cycles through four contexts from the source (BINUB, a stabilising PKO, MONUC-like, a hybrid
operation) so no single path is measured alone. Figures go to the "Engine" section of
docs/benchmarks.md (with --no-write, only to the terminal). Targets: median under 1 ms without
what-if, under 20 ms with.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import machine, section_write  # noqa: E402
from integration.engine import (  # noqa: E402
    Facts,
    decision_to_json,
    default_rulebook,
    evaluate,
    facts_from_dict,
)
from integration.engine.samples import binub_context  # noqa: E402

BINUB = binub_context()
CONTEXTS = (
    BINUB,
    {**BINUB, "presence_type": "multidimensional_pko", "phase": "stabilization"},
    {
        **BINUB,
        "presence_type": "multidimensional_pko",
        "phase": "peacekeeping",
        "conflict_level": "high",
        "force_posture": "open_combat",
        "agency_service_agreements": False,
        "pooled_fund": False,
    },
    {
        **BINUB,
        "presence_type": "hybrid",
        "regional_partner": "hybrid",
        "phase": "peacekeeping",
        "host_consent": "fragile",
        "donors_in_planning": False,
        "drawdown_within_months": 10,
    },
)


def _time(facts: list[Facts], runs: int, *, what_if: bool) -> list[float]:
    rulebook = default_rulebook()
    for item in facts:  # warm up: load the rulebook, build its plan
        evaluate(item, rulebook, what_if=what_if)
    samples = []
    for run in range(runs):
        item = facts[run % len(facts)]
        start = time.perf_counter_ns()
        evaluate(item, rulebook, what_if=what_if)
        samples.append((time.perf_counter_ns() - start) / 1e6)
    return samples


def _row(label: str, samples: list[float], target: float) -> str:
    median = statistics.median(samples)
    p95 = statistics.quantiles(samples, n=20)[-1]
    verdict = "met" if median < target else "MISSED"
    figures = f"{median:.3f} ms | {p95:.3f} ms | < {target:g} ms ({verdict})"
    return f"| {label} | {len(samples)} | {figures} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3000)
    parser.add_argument("--what-if-runs", type=int, default=2000)
    parser.add_argument(
        "--no-write", action="store_true", help="print the figures, leave docs/benchmarks.md"
    )
    args = parser.parse_args()

    facts = [facts_from_dict({"context": context}) for context in CONTEXTS]
    plain = _time(facts, args.runs, what_if=False)
    with_what_if = _time(facts, args.what_if_runs, what_if=True)
    what_ifs = [
        sum(
            len(r.what_if) for r in evaluate(item, default_rulebook(), what_if=True).recommendations
        )
        for item in facts
    ]
    size = len(decision_to_json(evaluate(facts[0], default_rulebook(), what_if=True)))

    body = "\n".join(
        [
            "## Engine",
            "",
            "Command: `.venv/bin/python bench/engine.py`",
            f"({machine()}).",
            "",
            "One evaluation is 12 functions × 3 levels with the full trace, cycling through four",
            "contexts (BINUB, a stabilising PKO, MONUC-like in open combat, a hybrid operation",
            f"near drawdown); what-if finds {min(what_ifs)}–{max(what_ifs)} suggestions per "
            "evaluation "
            f"({size:,} bytes of JSON for BINUB).",
            "",
            "| evaluation | runs | median | p95 | target |",
            "|---|---|---|---|---|",
            _row("without what-if", plain, 1),
            _row("with what-if", with_what_if, 20),
        ]
    )
    if not args.no_write:
        section_write("engine", body)
    print(body)


if __name__ == "__main__":
    main()
