"""The public vocabulary of facts and outputs (shared/domain.md §3, §4, §7).

These names and values are the contract of the API and of the rulebook language. The Django
models take their choices from here, so the database, the engine and the API cannot drift apart.
The engine imports nothing from Django: `_` below is a no-op marker that lets `makemessages`
extract the English labels; the web layer translates them when it renders.
"""

from __future__ import annotations

from dataclasses import dataclass


def _(text: str) -> str:
    """Mark a label for translation without importing Django (xgettext looks for `_`)."""
    return text


# Each vocabulary is an ordered tuple of (value, English label). Order matters where it has a
# meaning: degrees run parallel < partial < full, escalation runs none < deterrent < open_combat.
PRESENCE_TYPES = (
    ("multidimensional_pko", _("Multidimensional peacekeeping operation")),
    ("political_mission", _("Political mission")),
    ("hybrid", _("Hybrid operation (UN and regional organisation)")),
    ("observer_mission", _("Observer mission (ceasefire monitoring)")),
)
PHASES = (
    ("conflict_prevention", _("Conflict prevention")),
    ("peacemaking", _("Peacemaking")),
    ("peace_enforcement", _("Peace enforcement")),
    ("peacekeeping", _("Peacekeeping")),
    ("stabilization", _("Stabilization")),
    ("peacebuilding", _("Peacebuilding")),
    ("transition", _("Transition")),
)
CONFLICT_LEVELS = (("none", _("None")), ("low", _("Low")), ("high", _("High")))
FORCE_POSTURES = (
    ("none", _("No force deployed or no confrontation")),
    ("deterrent", _("Deterrent posture")),
    ("open_combat", _("Open combat with spoilers")),
)
HOST_CONSENT = (("firm", _("Firm")), ("fragile", _("Fragile")))
NATIONAL_CAPACITY = (("low", _("Low")), ("medium", _("Medium")), ("high", _("High")))
REGIONAL_PARTNER = (
    ("none", _("No regional organisation")),
    ("cooperating", _("Cooperating regional organisation")),
    ("hybrid", _("Hybrid operation with a regional organisation")),
    ("rehatted", _("Regional troops re-hatted as UN")),
)
DIMENSIONS = (
    ("political", _("Political")),
    ("military", _("Military")),
    ("police", _("Police")),
    ("humanitarian", _("Humanitarian")),
    ("development", _("Development")),
    ("human_rights", _("Human rights")),
    ("rule_of_law", _("Rule of law")),
)
FUNDING_SOURCES = (
    ("assessed", _("Assessed contributions")),
    ("pooled", _("Pooled fund")),
    ("voluntary_pledged", _("Voluntary, pledged")),
    ("voluntary_unpledged", _("Voluntary, not yet pledged")),
)
LEVELS = (
    ("strategic", _("Strategic")),
    ("programmatic", _("Programmatic")),
    ("administrative", _("Administrative")),
)
DEGREES = (("parallel", _("Parallel")), ("partial", _("Partial")), ("full", _("Full")))
LEADS = (
    ("mission", _("Mission")),
    ("unct", _("UN Country Team")),
    ("joint", _("Joint (mission and UNCT)")),
    ("national", _("National actors")),
    ("regional_partner", _("Regional partner")),
    ("joint_regional", _("Joint (UN and regional organisation)")),
    ("humanitarian_coordinator", _("Humanitarian Coordinator")),
)
# The OCHA structural models (domain.md §4, §8): where the Humanitarian Coordinator and OCHA sit.
HUMANITARIAN_ARRANGEMENTS = (
    ("two_feet_in", _("Two feet in: the HC and OCHA inside the integrated presence")),
    ("one_foot_in", _("One foot in: the HC in mission leadership, OCHA outside")),
    ("two_feet_out", _("Two feet out: the HC and OCHA outside")),
)
BARRIER_CATEGORIES = (
    ("structure", _("Structure")),
    ("administration", _("Administration")),
    ("funding", _("Funding")),
    ("guidance", _("Guidance")),
    ("capacity", _("Capacity")),
    ("culture", _("Culture")),
    ("planning", _("Planning")),
    ("accountability", _("Accountability")),
    ("regional_partnership", _("Regional partnership")),
)
ENTITY_KINDS = (
    ("secretariat", _("UN Secretariat department or office")),
    ("fund_programme", _("UN fund or programme")),
    ("specialized_agency", _("Specialized agency")),
    ("ifi", _("International financial institution")),
    ("regional_organization", _("Regional organisation")),
    ("ngo", _("Non-governmental organisation")),
    ("host_government", _("Host government")),
    ("donor", _("Bilateral donor")),
)
FUNDING_BASES = (("assessed", _("Assessed")), ("voluntary", _("Voluntary")), ("mixed", _("Mixed")))


def values(vocabulary: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """The bare values of a vocabulary, in order."""
    return tuple(value for value, _label in vocabulary)


DEGREE_ORDER = {value: rank for rank, value in enumerate(values(DEGREES))}


@dataclass(frozen=True, slots=True)
class FunctionSpec:
    """One function of the catalogue (domain.md §7)."""

    code: str
    name: str
    description: str
    default_dimensions: tuple[str, ...]


FUNCTIONS = (
    FunctionSpec(
        "political_process",
        _("Political process"),
        _("Political affairs and peace process support"),
        ("political",),
    ),
    FunctionSpec(
        "peace_governance",
        _("Peace and governance"),
        _("Peace consolidation and governance"),
        ("political", "development"),
    ),
    FunctionSpec(
        "ddr",
        _("DDR"),
        _("Disarmament, demobilization, reintegration and small arms"),
        ("political", "military", "humanitarian", "development"),
    ),
    FunctionSpec(
        "ssr",
        _("SSR"),
        _("Security sector reform"),
        ("political", "military", "police", "development"),
    ),
    FunctionSpec(
        "rule_of_law",
        _("Rule of law"),
        _("Justice and corrections"),
        ("rule_of_law", "human_rights", "development"),
    ),
    FunctionSpec(
        "human_rights",
        _("Human rights"),
        _("Human rights and transitional justice"),
        ("human_rights", "rule_of_law"),
    ),
    FunctionSpec(
        "elections",
        _("Elections"),
        _("Electoral support"),
        ("political", "police", "development"),
    ),
    FunctionSpec(
        "protection_of_civilians",
        _("Protection of civilians"),
        _("Protection of civilians"),
        ("military", "police", "humanitarian", "human_rights"),
    ),
    FunctionSpec(
        "humanitarian_coordination",
        _("Humanitarian coordination"),
        _("Humanitarian coordination"),
        ("humanitarian",),
    ),
    FunctionSpec(
        "recovery_development",
        _("Recovery and development"),
        _("Early recovery and development"),
        ("development",),
    ),
    FunctionSpec(
        "quick_impact_projects",
        _("Quick impact projects"),
        _("Quick impact projects"),
        ("political", "development"),
    ),
    FunctionSpec(
        "national_capacity",
        _("National capacity"),
        _("Building national capacity"),
        ("development", "political"),
    ),
)
FUNCTIONS_BY_CODE = {spec.code: spec for spec in FUNCTIONS}
