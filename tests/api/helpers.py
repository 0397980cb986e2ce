"""Data the API tests build in bulk or through the services, shared across test modules."""

from __future__ import annotations

import datetime as dt

from assessments import review_services, services
from assessments.evaluation_storage import EvaluationInput, evaluations_store
from assessments.facts import CONTEXT_FACTS
from assessments.models import Assessment
from missions.models import Mission
from tests import factories


def recommendation_override_add(assessment, function: str, level: str, degree: str, *, by) -> None:
    """`by` overrides `function` at `level` with `degree`, through the review service."""
    review_services.recommendation_override(
        assessment_id=assessment.pk, by=by, function_code=function, level=level,
        degree=degree, justification=f"{function} {level}: {degree}, on sequencing grounds.",
    )  # fmt: skip


def missions_evaluated_ensure(n: int) -> None:
    """Up to `n` missions X0000…, each with an approved, evaluated assessment, in bulk."""
    from integration.services import rulebook_default_ensure, rulebook_engine_get

    rulebook_row = rulebook_default_ensure()
    existing = Mission.objects.filter(acronym__startswith="X").count()
    missions = Mission.objects.bulk_create(
        [
            Mission(acronym=f"X{i:04d}", name=f"Mission {i}", country="C", presence_type="hybrid")
            for i in range(existing, n)
        ]
    )
    context = {
        "presence_type": "hybrid", "unct_present": True, "phase": "peacekeeping",
        "conflict_level": "low", "force_posture": "none", "host_consent": "firm",
        "national_capacity": "low", "regional_partner": "hybrid",
    }  # fmt: skip
    assessments = Assessment.objects.bulk_create(
        [
            Assessment(mission=mission, as_of=dt.date(2007, 1, 1), status="approved", **context)
            for mission in missions
        ]
    )
    facts = {
        "context": {name: getattr(assessments[0], name) for name in CONTEXT_FACTS},
        "functions": [{"function": f.code} for f in factories.functions_ensure()],
    }
    decision = services.decision_compute(
        facts=facts, rulebook=rulebook_engine_get(rulebook=rulebook_row)
    )
    evaluations_store(
        items=[EvaluationInput(a.pk, a.version, facts, decision) for a in assessments],
        rulebook=rulebook_row,
        trigger="submit",
    )
