"""What-if phrases in French, for what_if.py's sentences: how a changed fact reads after
"Si …", and how a level moves. "{name}" is the function's name with its article, as it reads
inside a sentence ("le DDR", "l'état de droit": texts_fr.FUNCTION_NAMES_FR).
"""

from __future__ import annotations

# Booleans: (when the fact becomes true, when it becomes false).
BOOLEAN_PHRASES_FR = {
    "context.unct_present": (
        "une équipe de pays des Nations Unies travaillait dans le pays",
        "aucune équipe de pays des Nations Unies ne travaillait dans le pays",
    ),
    "context.hc_triple_hatted": (
        "le Coordonnateur de l'action humanitaire siégeait à la direction de la mission comme "
        "RSASG/CR/CH",
        "le Coordonnateur de l'action humanitaire ne siégeait pas à la direction de la mission "
        "comme RSASG/CR/CH",
    ),
    "context.pooled_fund": (
        "un fonds commun était géré par le RSASG/CR/CH",
        "aucun fonds commun n'était géré par le RSASG/CR/CH",
    ),
    "context.donors_in_planning": (
        "les donateurs bilatéraux et les institutions financières internationales prenaient "
        "part à la planification intégrée",
        "les donateurs bilatéraux et les institutions financières internationales étaient "
        "tenus à l'écart de la planification intégrée",
    ),
    "context.agency_service_agreements": (
        "les accords de services entre organismes étaient autorisés",
        "les accords de services entre organismes n'étaient pas autorisés",
    ),
    "context.common_services": (
        "la mission et l'UNCT partageaient des services communs",
        "la mission et l'UNCT ne partageaient aucun service commun",
    ),
    "context.military_perceived_partial": (
        "les militaires des Nations Unies ou de la coalition étaient vus comme une partie au "
        "conflit",
        "les militaires des Nations Unies ou de la coalition n'étaient pas vus comme une partie "
        "au conflit",
    ),
    "context.humanitarian_access_constrained": (
        "l'accès humanitaire était restreint",
        "l'accès humanitaire était libre",
    ),
    "context.common_strategic_framework": (
        "la mission et l'UNCT étaient convenues d'un cadre stratégique commun",
        "la mission et l'UNCT n'avaient aucun cadre stratégique commun",
    ),
    "context.joint_monitoring": (
        "la mission et l'UNCT assuraient ensemble le suivi et l'évaluation",
        "la mission et l'UNCT n'assuraient pas ensemble le suivi et l'évaluation",
    ),
    "context.unct_surge_capacity": (
        "l'UNCT pouvait monter en puissance pour prendre le relais de la mission",
        "l'UNCT ne pouvait pas monter en puissance pour prendre le relais de la mission",
    ),
    "context.national_actors_in_planning": (
        "les acteurs nationaux prenaient part à la planification intégrée",
        "les acteurs nationaux ne prenaient aucune part à la planification intégrée",
    ),
    "function.conflicting_imperatives": (
        "les impératifs en jeu pour {name} étaient contradictoires",
        "les impératifs en jeu pour {name} n'étaient pas contradictoires",
    ),
    "function.unct_programmes": (
        "l'UNCT menait déjà des programmes pour {name}",
        "l'UNCT ne menait aucun programme pour {name}",
    ),
}
CHOICE_PHRASES_FR = {
    "context.presence_type": {
        "multidimensional_pko": (
            "la présence des Nations Unies était une opération multidimensionnelle de maintien "
            "de la paix"
        ),
        "political_mission": "la présence des Nations Unies était une mission politique",
        "hybrid": (
            "la présence des Nations Unies était une opération hybride avec une organisation "
            "régionale"
        ),
        "observer_mission": "la présence des Nations Unies était une mission d'observation",
    },
    "context.phase": {
        "conflict_prevention": "le processus de paix était en phase de prévention des conflits",
        "peacemaking": "le processus de paix était en phase de rétablissement de la paix",
        "peace_enforcement": "le processus de paix était en phase d'imposition de la paix",
        "peacekeeping": "le processus de paix était en phase de maintien de la paix",
        "stabilization": "le processus de paix était en phase de stabilisation",
        "peacebuilding": "le processus de paix était en phase de consolidation de la paix",
        "transition": "le processus de paix était en phase de transition",
    },
    "context.conflict_level": {
        "none": "il n'y avait pas de conflit violent",
        "low": "le conflit violent était de faible intensité",
        "high": "le conflit violent était de forte intensité",
    },
    "context.force_posture": {
        "none": "aucune force des Nations Unies n'était déployée ni ne combattait les fauteurs de "
        "troubles",
        "deterrent": "les forces des Nations Unies tenaient une posture dissuasive",
        "open_combat": "les forces des Nations Unies ou de la coalition étaient en combat ouvert "
        "avec les fauteurs de troubles",
    },
    "context.host_consent": {
        "firm": "le consentement de l'État hôte était ferme",
        "fragile": "le consentement de l'État hôte était fragile",
    },
    "context.national_capacity": {
        "low": "la capacité nationale était faible",
        "medium": "la capacité nationale était moyenne",
        "high": "la capacité nationale était élevée",
    },
    "context.regional_partner": {
        "none": "aucune organisation régionale ne prenait part à l'opération",
        "cooperating": "une organisation régionale coopérait avec l'opération",
        "hybrid": "l'opération était hybride, avec une organisation régionale",
        "rehatted": "des troupes régionales passaient sous casque bleu",
    },
    "function.funding_source": {
        "assessed": "le financement pour {name} venait des contributions statutaires",
        "pooled": "le financement pour {name} passait par un fonds commun",
        "voluntary_pledged": (
            "le financement pour {name} venait de contributions volontaires annoncées"
        ),
        "voluntary_unpledged": (
            "le financement pour {name} venait de contributions volontaires non encore annoncées"
        ),
    },
}
NO_DRAWDOWN_FR = "aucun retrait n'était prévu"
DRAWDOWN_FR = "un retrait était prévu d'ici {months} mois"
DIMENSION_ADDED_FR = "{name} comportait aussi une composante {dimension}"
DIMENSION_REMOVED_FR = "{name} ne comportait plus de composante {dimension}"
DIMENSION_NAMES_FR = {
    "political": "politique",
    "military": "militaire",
    "police": "de police",
    "humanitarian": "humanitaire",
    "development": "de développement",
    "human_rights": "de droits de l'homme",
    "rule_of_law": "d'état de droit",
}
# "l'intégration {level}": the level as an adjective of a feminine noun.
LEVEL_ADJECTIVES_FR = {
    "strategic": "stratégique",
    "programmatic": "programmatique",
    "administrative": "administrative",
}
DEGREE_ADJECTIVES_FR = {"parallel": "parallèle", "partial": "partielle", "full": "complète"}


def result_fr(level: str, degree: tuple[str, str], feasible: tuple[str, str]) -> str:
    """How one level moves, in French: its degree, its feasible degree, or both."""
    (was, now), (feasible_was, feasible_now) = degree, feasible
    adjective = LEVEL_ADJECTIVES_FR[level]
    d = DEGREE_ADJECTIVES_FR
    if was != now and feasible_was != feasible_now:
        if degree == feasible:
            return (
                f"l'intégration {adjective} requise et réalisable serait {d[now]} "
                f"(actuellement {d[was]})"
            )
        return (
            f"l'intégration {adjective} requise serait {d[now]} (actuellement {d[was]}) et "
            f"l'intégration réalisable {d[feasible_now]} (actuellement {d[feasible_was]})"
        )
    if was != now:
        return f"l'intégration {adjective} requise serait {d[now]} (actuellement {d[was]})"
    return (
        f"l'intégration {adjective} réalisable serait {d[feasible_now]} "
        f"(actuellement {d[feasible_was]})"
    )


def opening_fr(condition: str) -> str:
    """ "Si …", elided before "il" as French writes it ("S'il n'y avait pas …")."""
    return f"S'{condition}" if condition.startswith(("il ", "ils ")) else f"Si {condition}"
