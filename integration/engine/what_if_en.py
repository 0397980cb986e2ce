"""What-if phrases in English, for what_if_sentences.py: how a changed fact reads after "If …",
and how a level moves. "{name}" is the function's name as it reads inside a sentence ("the
political process", "DDR": texts_en.NAMES_IN_SENTENCE). what_if_fr.py mirrors them.
"""

from __future__ import annotations

from .vocabulary import DIMENSIONS, HOST_CONSENT, NATIONAL_CAPACITY, PHASES

# How a changed fact reads after "If …": booleans as (when it becomes true, when it becomes
# false), choices by value. "{name}" is the function's name as it reads inside a sentence.
BOOLEAN_PHRASES = {
    "context.unct_present": (
        "a UN Country Team worked in the country",
        "no UN Country Team worked in the country",
    ),
    "context.hc_triple_hatted": (
        "the Humanitarian Coordinator sat in mission leadership as DSRSG/RC/HC",
        "the Humanitarian Coordinator did not sit in mission leadership as DSRSG/RC/HC",
    ),
    "context.pooled_fund": (
        "a pooled fund ran through the DSRSG/RC/HC",
        "no pooled fund ran through the DSRSG/RC/HC",
    ),
    "context.donors_in_planning": (
        "bilateral donors and IFIs took part in integrated planning",
        "bilateral donors and IFIs were left out of integrated planning",
    ),
    "context.agency_service_agreements": (
        "agency service agreements were permitted",
        "agency service agreements were not permitted",
    ),
    "context.common_services": (
        "the mission and the UNCT shared common services",
        "the mission and the UNCT shared no common services",
    ),
    "context.military_perceived_partial": (
        "the UN or coalition military were seen as a party to the conflict",
        "the UN or coalition military were not seen as a party to the conflict",
    ),
    "context.humanitarian_access_constrained": (
        "humanitarian access were restricted",
        "humanitarian access were open",
    ),
    "context.common_strategic_framework": (
        "the mission and the UNCT agreed one common strategic framework",
        "the mission and the UNCT had no common strategic framework",
    ),
    "context.joint_monitoring": (
        "the mission and the UNCT monitored and evaluated together",
        "the mission and the UNCT did not monitor and evaluate together",
    ),
    "context.unct_surge_capacity": (
        "the UNCT could scale up to take over from the mission",
        "the UNCT could not scale up to take over from the mission",
    ),
    "context.national_actors_in_planning": (
        "national actors took part in integrated planning",
        "national actors took no part in integrated planning",
    ),
    "function.conflicting_imperatives": (
        "the imperatives of {name} conflicted",
        "the imperatives of {name} did not conflict",
    ),
    "function.unct_programmes": (
        "the UNCT already ran programmes in {name}",
        "the UNCT ran no programmes in {name}",
    ),
}
CHOICE_PHRASES = {
    "context.presence_type": {
        "multidimensional_pko": "the UN presence were a multidimensional peacekeeping operation",
        "political_mission": "the UN presence were a political mission",
        "hybrid": "the UN presence were a hybrid operation with a regional organisation",
        "observer_mission": "the UN presence were an observer mission",
    },
    "context.phase": {
        value: f"the peace process were in its {value.replace('_', ' ')} phase"
        for value, _label in PHASES
    },
    "context.conflict_level": {
        "none": "there were no violent conflict",
        "low": "violent conflict were low",
        "high": "violent conflict were high",
    },
    "context.force_posture": {
        "none": "no UN force were deployed or confronting spoilers",
        "deterrent": "UN forces held a deterrent posture",
        "open_combat": "UN or coalition forces were in open combat with spoilers",
    },
    "context.host_consent": {value: f"host consent were {value}" for value, _ in HOST_CONSENT},
    "context.national_capacity": {
        value: f"national capacity were {value}" for value, _label in NATIONAL_CAPACITY
    },
    "context.regional_partner": {
        "none": "no regional organisation took part in the operation",
        "cooperating": "a regional organisation cooperated with the operation",
        "hybrid": "the operation were a hybrid with a regional organisation",
        "rehatted": "regional troops were re-hatted as UN",
    },
    "function.funding_source": {
        "assessed": "{name} were funded from assessed contributions",
        "pooled": "{name} were funded through a pooled fund",
        "voluntary_pledged": "{name} were funded from pledged voluntary contributions",
        "voluntary_unpledged": "{name} were funded from voluntary contributions not yet pledged",
    },
}
DIMENSION_NAMES = {value: label.lower() for value, label in DIMENSIONS}


def result_en(level: str, degree: tuple[str, str], feasible: tuple[str, str]) -> str:
    """How one level moves: its degree, its feasible degree, or both in one clause."""
    (was, now), (feasible_was, feasible_now) = degree, feasible
    if was != now and feasible_was != feasible_now:
        if degree == feasible:
            return f"{level} integration would be called for and feasible at {now} (now {was})"
        return (
            f"{level} integration would be called for at {now} (now {was}) and feasible at "
            f"{feasible_now} (now {feasible_was})"
        )
    if was != now:
        return f"{level} integration would be called for at {now} (now {was})"
    return f"{level} integration would become feasible at {feasible_now} (now {feasible_was})"


NO_DRAWDOWN = "no drawdown were planned"
DRAWDOWN = "a drawdown were planned within {months} months"
DIMENSION_ADDED = "{name} also had a {dimension} component"
DIMENSION_REMOVED = "{name} no longer had a {dimension} component"


def opening_en(condition: str) -> str:
    return f"If {condition}"
