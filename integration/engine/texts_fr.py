"""The engine's own texts in French: what `evaluate(..., language="fr")` renders.

The rulebook carries its rules' French texts itself (`explanation_fr`, `remedy_fr`); this module
holds the rest of what goes into a French trace: the engine's own steps, the reasons integration
policy does not apply, function names as they read inside a French sentence (with their article:
"pour le DDR", "pour l'état de droit"), and the values of facts that templates may show. Pure
data, no Django: the web layer's catalogue (locale/fr) translates labels, not engine sentences.
"""

from __future__ import annotations

# Function names inside a sentence, with their article, as after "pour" ("pour le DDR").
FUNCTION_NAMES_FR = {
    "political_process": "",  # Political process
    "peace_governance": "",  # Peace and governance
    "ddr": "",  # DDR
    "ssr": "",  # SSR
    "rule_of_law": "",  # Rule of law
    "human_rights": "",  # Human rights
    "elections": "",  # Elections
    "protection_of_civilians": "",  # Protection of civilians
    "humanitarian_coordination": "",  # Humanitarian coordination
    "recovery_development": "",  # Recovery and development
    "quick_impact_projects": "",  # Quick impact projects
    "national_capacity": "",  # National capacity
}

# Degrees and levels as they read inside a sentence (an integration is "partielle"; a level
# is "le niveau stratégique").
DEGREE_NAMES_FR = {"parallel": "parallèle", "partial": "partielle", "full": "complète"}
LEVEL_NAMES_FR = {
    "strategic": "stratégique",
    "programmatic": "programmatique",
    "administrative": "administratif",
}

# Fact values as templates show them ({national_capacity}, {phase} …); yes/no/none for booleans
# and absent numbers. A value missing here is shown as in English.
YES_NO_NONE_FR = {"yes": "oui", "no": "non", "none": "aucun"}
FACT_VALUES_FR: dict[str, dict[str, str]] = {}

# The engine's own steps (evaluate.ENGINE_STEPS), same keys and placeholders.
ENGINE_STEPS_FR = {
    "engine.baseline": "",  # No rule calls for integrating {function_name} at the {level}...
    "engine.p2.full-needs-necessity": "",  # Full programmatic integration of {function_name} needs a pos...
    "engine.coupling.programmatic-le-strategic": "",  # Programmatic integration of {function_name} cannot go beyond...
    "engine.coupling.administrative-full-needs-programmatic-full": "",  # Integrated budgets, premises and staff only serve a fully in...
    "engine.coupling.parallel-keeps-common-services-only": "",  # With parallel programmes the one administrative link kept is...
    "engine.feasibility.programmatic-le-strategic": "",  # Feasible programmatic integration of {function_name} cannot ...
    "engine.feasibility.administrative-full-needs-programmatic-full": "",  # Feasible programmatic integration of {function_name} is {pro...
    "engine.feasibility.parallel-keeps-common-services-only": "",  # With programmes feasible only in parallel, administration ca...
    "engine.lead.default": "",  # No rule names a lead for {function_name}, so the mission and...
    "engine.p7.humanitarian-coordination-parallel": "",  # Humanitarian coordination keeps its programmes and administr...
    "engine.p7.open-combat-humanitarian-coordination-parallel": "",  # UN or coalition forces are in open combat, and any associati...
    "engine.p11.no-full-programmatic-near-transition": "",  # In transition, or with a drawdown within 12 months, full pro...
}

NOT_APPLICABLE_REASONS_FR = {
    "observer_mission": "",
    "no_unct": "",
}
