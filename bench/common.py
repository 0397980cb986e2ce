"""Shared helpers for benchmarks: a machine line, a marked section in docs/benchmarks.md, a
scratch database, and the seeding the benchmarks share (functions, random facts, first
evaluations)."""

from __future__ import annotations

import datetime as dt
import os
import platform
import random
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg2

DOCS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def machine() -> str:
    return (
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.machine()}, {dt.datetime.now(dt.UTC):%Y-%m-%d}"
    )


def section_write(name: str, body: str) -> None:
    """Replace the text between `<!-- name:start -->` and `<!-- name:end -->`, keeping the rest."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    block = f"{start}\n{body.strip()}\n{end}"
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Benchmarks\n"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _m: block, text)
    else:
        text = f"{text.rstrip()}\n\n{block}\n"
    DOCS.parent.mkdir(parents=True, exist_ok=True)
    DOCS.write_text(text, encoding="utf-8")


BENCH_SECRET_KEY = "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105


@contextmanager
def scratch_database(url: str, **env: str) -> Iterator[None]:
    """A new PostgreSQL database at `url` (any left over from a broken run dropped first), with
    Django's environment pointing at it (`env` added), dropped afterwards: a benchmark never
    touches the developer's database."""
    base, _, name = url.rpartition("/")
    conn = psycopg2.connect(f"{base}/postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    os.environ |= {
        "DATABASE_URL": url,
        "DEBUG": "1",
        "SECRET_KEY": BENCH_SECRET_KEY,
        "DJANGO_SETTINGS_MODULE": "integration.settings",
        **env,
    }
    try:
        yield
    finally:
        from django.db import connections

        connections.close_all()
        with conn.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.close()


# Seeding, once Django is set up (each function imports the models it writes).


def functions_seed() -> list:
    """The 12 catalogue functions as rows (those already there kept), in catalogue order."""
    from integration.engine import vocabulary
    from missions.models import Function

    for position, spec in enumerate(vocabulary.FUNCTIONS):
        Function.objects.get_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "default_dimensions": list(spec.default_dimensions),
                "position": position,
            },
        )
    return list(Function.objects.all())


class RandomFacts:
    """Random facts a planner could have entered: every context and function fact drawn from its
    vocabulary, then made consistent (invariant 12, integration/engine/facts.py: the engine
    refuses contradictory facts, so a benchmark must not store any)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def _pick(self, vocab) -> str:
        from integration.engine import vocabulary

        return self.rng.choice(vocabulary.values(vocab))

    def context(self) -> dict[str, Any]:
        """An assessment's context facts, as Assessment keyword arguments."""
        from integration.engine import vocabulary

        rng = self.rng
        facts = {
            "presence_type": rng.choice(["multidimensional_pko", "political_mission", "hybrid"]),
            "unct_present": True,
            "phase": self._pick(vocabulary.PHASES),
            "conflict_level": self._pick(vocabulary.CONFLICT_LEVELS),
            "force_posture": self._pick(vocabulary.FORCE_POSTURES),
            "host_consent": self._pick(vocabulary.HOST_CONSENT),
            "national_capacity": self._pick(vocabulary.NATIONAL_CAPACITY),
            "hc_triple_hatted": rng.random() < 0.5,
            "pooled_fund": rng.random() < 0.5,
            "donors_in_planning": rng.random() < 0.5,
            "agency_service_agreements": rng.random() < 0.5,
            "common_services": rng.random() < 0.5,
            "regional_partner": self._pick(vocabulary.REGIONAL_PARTNER),
            "drawdown_within_months": rng.choice([None, 6, 18, 36]),
        }
        if facts["presence_type"] == "hybrid" and facts["regional_partner"] == "none":
            facts["regional_partner"] = "hybrid"
        if facts["conflict_level"] == "none" and facts["force_posture"] == "open_combat":
            facts["force_posture"] = "deterrent"
        return facts

    def function(self, *, pooled_fund: bool) -> dict[str, Any]:
        """One function's facts (but its dimensions and desired impact), as FunctionAssessment
        keyword arguments: no pooled funding where the mission has no pooled fund."""
        from integration.engine import vocabulary

        facts = {
            "conflicting_imperatives": self.rng.random() < 0.2,
            "unct_programmes": self.rng.random() < 0.5,
            "funding_source": self._pick(vocabulary.FUNDING_SOURCES),
        }
        if facts["funding_source"] == "pooled" and not pooled_fund:
            facts["funding_source"] = "assessed"
        return facts


def evaluations_seed(assessments, *, batch: int = 500) -> list[dict[str, Any]]:
    """Evaluate and store the `assessments` (a queryset) under the default rulebook, `batch` at a
    time, through the path the web uses; the facts of the first batch, in the API's shape."""
    from assessments.evaluation_storage import EvaluationInput, evaluations_store
    from assessments.selectors import facts_dict_build
    from assessments.services import decision_compute
    from integration.services import rulebook_default_ensure, rulebook_engine_get

    rulebook = rulebook_default_ensure()
    compiled = rulebook_engine_get(rulebook=rulebook)
    ids = list(assessments.order_by("pk").values_list("pk", flat=True))
    first: list[dict[str, Any]] = []
    for offset in range(0, len(ids), batch):
        rows = assessments.model.objects.filter(pk__in=ids[offset : offset + batch])
        items = []
        for assessment in rows.prefetch_related("function_assessments__function"):
            facts = facts_dict_build(
                assessment=assessment, rows=list(assessment.function_assessments.all())
            )
            decision = decision_compute(facts=facts, rulebook=compiled)
            items.append(EvaluationInput(assessment.pk, assessment.version, facts, decision))
        evaluations_store(items=items, rulebook=rulebook, trigger="on_demand")
        first = first or [item.facts for item in items]
    return first
