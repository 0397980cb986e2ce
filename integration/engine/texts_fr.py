"""The engine's own texts in French: what `evaluate(..., language="fr")` renders.

The rulebook carries its rules' French texts itself (`explanation_fr`, `remedy_fr`); this module
holds the rest of what goes into a French trace: the engine's own steps, the reasons integration
policy does not apply, function names as they read inside a French sentence (with their article:
"pour le DDR", "pour l'état de droit"), and the values of facts that templates may show. Pure
data, no Django: the web layer's catalogue (locale/fr) translates labels, not engine sentences.
"""

from __future__ import annotations

import re

# French typography as the project's French writes it (the catalogue too): a no-break space
# before : ; ? ! and inside « », so a line never starts with a colon or a closing guillemet.
_SPACE_BEFORE = re.compile(r" ([:;?!»])")
_SPACE_AFTER = re.compile(r"« ")


def french_spacing(text: str) -> str:
    """`text` with the no-break spaces of French typography (idempotent)."""
    return _SPACE_AFTER.sub("«\u00a0", _SPACE_BEFORE.sub("\u00a0\\1", text))


# Function names inside a sentence, with their article, as after "pour" ("pour le DDR").
FUNCTION_NAMES_FR = {
    "political_process": "le processus politique",
    "peace_governance": "la paix et la gouvernance",
    "ddr": "le DDR",
    "ssr": "la réforme du secteur de la sécurité",
    "rule_of_law": "l'état de droit",
    "human_rights": "les droits de l'homme",
    "elections": "les élections",
    "protection_of_civilians": "la protection des civils",
    "humanitarian_coordination": "la coordination humanitaire",
    "recovery_development": "le relèvement et le développement",
    "quick_impact_projects": "les projets à effet rapide",
    "national_capacity": "le renforcement des capacités nationales",
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
FACT_VALUES_FR: dict[str, dict[str, str]] = {
    # "en phase de {phase}"
    "phase": {
        "conflict_prevention": "prévention des conflits",
        "peacemaking": "rétablissement de la paix",
        "peace_enforcement": "imposition de la paix",
        "peacekeeping": "maintien de la paix",
        "stabilization": "stabilisation",
        "peacebuilding": "consolidation de la paix",
        "transition": "transition",
    },
    # "(posture des forces : {force_posture})"
    "force_posture": {
        "none": "aucune force déployée ou aucune confrontation",
        "deterrent": "posture de dissuasion",
        "open_combat": "combat ouvert avec des fauteurs de troubles",
    },
    # "(partenaire régional : {regional_partner})"
    "regional_partner": {
        "none": "aucune organisation régionale",
        "cooperating": "organisation régionale coopérant avec l'ONU",
        "hybrid": "opération hybride avec une organisation régionale",
        "rehatted": "troupes régionales passées sous casque bleu",
    },
    # "Les capacités nationales sont {national_capacity}"
    "national_capacity": {"low": "faibles", "medium": "moyennes", "high": "élevées"},
    # "ses composantes ({dimensions})", as in "les composantes politique, militaire"
    "dimensions": {
        "political": "politique",
        "military": "militaire",
        "police": "police",
        "humanitarian": "humanitaire",
        "development": "développement",
        "human_rights": "droits de l'homme",
        "rule_of_law": "état de droit",
    },
}

# The engine's own steps (texts_en.ENGINE_STEPS), same keys and placeholders.
ENGINE_STEPS_FR = {
    "engine.baseline": (
        "Aucune règle ne demande d'intégrer {function_name} au niveau {level} ; "
        "l'intégration y reste donc parallèle : la forme suit la fonction (§V, §VII "
        "Principes)."
    ),
    "engine.p2.full-needs-necessity": (
        "Une intégration programmatique complète pour {function_name} exige une "
        "justification positive, et aucune règle n'en a établi ; l'intégration est donc "
        "limitée au plus à une intégration partielle (§IV.2 : intégration complète "
        "uniquement lorsqu'elle est absolument nécessaire)."
    ),
    "engine.coupling.programmatic-le-strategic": (
        "L'intégration programmatique pour {function_name} ne peut aller au-delà de "
        "l'intégration stratégique ; l'intégration programmatique requise est donc {degree} "
        "(§IV.1 : tous les autres niveaux d'intégration découlent de l'intégration "
        "stratégique)."
    ),
    "engine.coupling.administrative-full-needs-programmatic-full": (
        "Des budgets, des locaux et des personnels intégrés ne servent qu'un programme "
        "entièrement intégré ; l'intégration programmatique pour {function_name} est "
        "{programmatic}, de sorte que l'intégration administrative requise est au plus "
        "{degree} (§IV.1, §IV.2)."
    ),
    "engine.coupling.parallel-keeps-common-services-only": (
        "Lorsque les programmes sont parallèles, le seul lien administratif maintenu est "
        "celui des services communs (§IV.2) ; l'intégration administrative requise pour "
        "{function_name} est donc {degree}."
    ),
    "engine.feasibility.programmatic-le-strategic": (
        "L'intégration programmatique réalisable pour {function_name} ne peut aller au-delà "
        "de l'intégration stratégique réalisable ; elle est donc limitée à une intégration "
        "{degree} (§IV.1)."
    ),
    "engine.feasibility.administrative-full-needs-programmatic-full": (
        "L'intégration programmatique réalisable pour {function_name} est {programmatic} ; "
        "des budgets, des locaux et des personnels intégrés sont donc hors de portée, et "
        "l'intégration administrative réalisable est limitée à une intégration {degree} "
        "(§IV.1, §IV.2)."
    ),
    "engine.feasibility.parallel-keeps-common-services-only": (
        "Lorsque les programmes ne sont réalisables qu'en parallèle, l'administration ne "
        "peut être partagée qu'au moyen de services communs (§IV.2) ; l'intégration "
        "administrative réalisable pour {function_name} est donc limitée à une intégration "
        "{degree}."
    ),
    "engine.lead.default": (
        "Aucune règle ne désigne de chef de file pour {function_name} ; la mission et l'UNCT "
        "en assurent donc conjointement la direction."
    ),
    "engine.p7.humanitarian-coordination-parallel": (
        "La coordination humanitaire maintient ses programmes et son administration séparés "
        "de ceux de la mission ; l'intégration au niveau {level} est donc limitée à une "
        "intégration parallèle : le BCAH reste en dehors de la mission intégrée (§V "
        "L'intégration de l'action humanitaire ? ; §VII Réformes structurelles)."
    ),
    "engine.p7.open-combat-humanitarian-coordination-parallel": (
        "Les forces des Nations Unies ou de la coalition sont engagées dans un combat "
        "ouvert, et toute association avec les militaires pourrait compromettre la "
        "neutralité humanitaire ; la coordination humanitaire conserve donc sa propre "
        "stratégie (§V L'intégration de l'action humanitaire ?)."
    ),
    "engine.p11.no-full-programmatic-near-transition": (
        "En période de transition, ou lorsqu'une réduction des effectifs est prévue dans les "
        "12 mois, il serait difficile et coûteux de revenir sur une intégration "
        "programmatique complète pour {function_name} ; l'intégration est donc limitée à une "
        "intégration partielle (§IV.2)."
    ),
}

NOT_APPLICABLE_REASONS_FR = {
    key: french_spacing(reason)
    for key, reason in {
        "observer_mission": (
            "La politique d'intégration ne s'applique pas à une mission limitée à l'observation "
            "du cessez-le-feu (décision 2008/24 du Secrétaire général de l'ONU)."
        ),
        "no_unct": (
            "La politique d'intégration ne s'applique pas : aucune équipe de pays des Nations "
            "Unies ne travaille dans le pays (décision 2008/24 du Secrétaire général de l'ONU)."
        ),
    }.items()
}
# Comment une trace montre une règle appliquée qui n'a pas décidé (invariant 13).
SET_ASIDE_FR = "Écartée au profit de {by}\u00a0: {explanation}"
# Un niveau retenu par le niveau supérieur sans obstacle propre (combine.py, étape 8b).
HELD_FROM_ABOVE_FR = {
    "programmatic": (
        "L'intégration programmatique pour {function_name} découle de l'intégration "
        "stratégique, qu'un obstacle ({category}) retient ; elle ne peut donc atteindre le degré "
        "requis ici tant que cet obstacle n'est pas levé.",
        "Lever d'abord l'obstacle stratégique (sa solution figure avec lui) ; dans l'intervalle, "
        "mener des programmes conjoints assortis de voies hiérarchiques distinctes dans la "
        "limite du plan commun convenu (§VII Principes).",
    ),
    "administrative": (
        "L'intégration administrative pour {function_name} sert les programmes, qu'un obstacle "
        "({category}) retient ; elle ne peut donc atteindre le degré requis ici tant que cet "
        "obstacle n'est pas levé.",
        "Lever d'abord l'obstacle programmatique (sa solution figure avec lui) ; dans "
        "l'intervalle, conserver le lien administratif que gardent des programmes distincts, "
        "les services communs, au moyen de procédures interorganisations (§VII Réformes "
        "administratives et systémiques).",
    ),
}
CATEGORY_NAMES_FR = {
    "structure": "structure",
    "administration": "administration",
    "funding": "financement",
    "guidance": "orientations",
    "capacity": "capacités",
    "culture": "culture",
    "planning": "planification",
    "accountability": "responsabilité",
    "regional_partnership": "partenariat régional",
}
