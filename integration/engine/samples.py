"""A complete context from the source, for tests, benchmarks and examples to start from.

BINUB (Burundi, §IV.2, §VI Funding, §VII Structural reforms) as the engine's first cases read
it: a political mission beside the UNCT in peacebuilding, permitted agency service agreements,
with a pooled fund, donors in planning and common services: every enabler in place, so a case
changes one or two facts and sees what they do. It states every fact the API requires and none
of the optional ones (those stay "not stated"). The sample data's BINUB
(assessments/data/missions/binub.yaml) records what the source says, fact by fact, and differs.
"""

from __future__ import annotations

from typing import Any

_BINUB = {
    "presence_type": "political_mission",
    "unct_present": True,
    "phase": "peacebuilding",
    "conflict_level": "low",
    "force_posture": "none",
    "host_consent": "firm",
    "national_capacity": "low",
    "hc_triple_hatted": True,
    "pooled_fund": True,
    "donors_in_planning": True,
    "agency_service_agreements": True,
    "common_services": True,
    "regional_partner": "none",
    "drawdown_within_months": None,
}


def binub_context(**changes: Any) -> dict[str, Any]:
    """A new dict of BINUB's context with `changes` applied, as the API body's `context` (the
    engine validates it: `facts_from_dict`)."""
    return {**_BINUB, **changes}
