"""Cases from the source document under rulebook 2007.3, asserted on what a user sees. The
rulebook is kept and replayable; its corrections are in 2008.1 (test_cases_2008.py)."""

from __future__ import annotations

from integration.engine import (
    Decision,
    FunctionRecommendation,
    decision_to_dict,
    evaluate,
    facts_from_dict,
    shipped_rulebook,
)
from integration.engine.samples import binub_context

RULEBOOK = shipped_rulebook("2007.3")

# BINUB (Burundi, §IV.2, §VI Funding, §VII Structural reforms): a political mission beside the
# UNCT in peacebuilding, permitted agency service agreements, its Integrated Peace Consolidation
# Framework funded by the Peacebuilding Fund and built with the World Bank.
BINUB = binub_context()
# A multidimensional peacekeeping operation with every enabler in place.
PKO = {
    **BINUB,
    "presence_type": "multidimensional_pko",
    "phase": "stabilization",
    "force_posture": "deterrent",
    "national_capacity": "medium",
}
DDR_LINKING_EVERYTHING = {
    "function": "ddr",
    "dimensions": ["political", "military", "humanitarian", "development"],
    "funding_source": "assessed",
}


def decide(context: dict, functions: list[dict] | None = None, **kwargs) -> Decision:
    body: dict = {"context": context}
    if functions is not None:
        body["functions"] = functions
    return evaluate(facts_from_dict(body), RULEBOOK, **kwargs)


def one(decision: Decision, code: str) -> FunctionRecommendation:
    return next(item for item in decision.recommendations if item.function == code)


def degrees(item: FunctionRecommendation, level: str) -> tuple[str, str]:
    return item.levels[level].degree, item.levels[level].feasible_degree


def rule_ids(item: FunctionRecommendation, level: str) -> list[str]:
    return [rule.id for rule in item.levels[level].rules]


def test_binub_joint_programmes_get_partial_programmatic_integration() -> None:
    # given BINUB's three joint programmes (Peace and Governance; SSR/DDR/Small Arms; Human
    # Rights and Justice), each paid through the Peacebuilding Fund. BINUB is a political
    # mission with no military component, so nothing requires DDR's components to be merged
    # into one programme (§IV.2).
    functions = [
        {"function": code, "funding_source": "pooled", "unct_programmes": True}
        for code in ("peace_governance", "ssr", "ddr", "human_rights")
    ]
    # when
    decision = decide(BINUB, functions)
    # then each is partial: joint programmes with separate reporting lines, nothing in the way
    for item in decision.recommendations:
        assert degrees(item, "programmatic") == ("partial", "partial"), item.function
        assert degrees(item, "administrative") == ("partial", "partial"), item.function
        assert degrees(item, "strategic") == ("full", "full"), item.function
        assert "p3-partial-default" in rule_ids(item, "programmatic")
        assert item.barriers == ()
    assert one(decision, "human_rights").lead == "unct"  # P12: join the UNCT's programmes


def test_ddr_linking_political_military_and_development_gets_full_integration() -> None:
    decision = decide(PKO, [DDR_LINKING_EVERYTHING])
    ddr = one(decision, "ddr")
    for level in ("strategic", "programmatic", "administrative"):
        assert degrees(ddr, level) == ("full", "full")
    programmatic = ddr.levels["programmatic"].rules
    necessity = [rule for rule in programmatic if rule.id == "p2-linked-components"]
    assert necessity
    assert necessity[0].principle == "P2"
    assert "only means to link" in necessity[0].explanation
    assert ddr.lead == "mission"  # P6: the mission leads security work while stabilising
    assert ddr.barriers == ()


def test_ddr_in_a_political_mission_stays_partial_even_with_all_components() -> None:
    ddr = one(decide(BINUB, [DDR_LINKING_EVERYTHING]), "ddr")
    assert degrees(ddr, "programmatic") == ("partial", "partial")
    assert "p2-linked-components" not in rule_ids(ddr, "programmatic")


def test_humanitarian_coordination_keeps_ocha_outside_and_the_hc_inside() -> None:
    item = one(decide(BINUB), "humanitarian_coordination")
    assert item.lead == "humanitarian_coordinator"
    assert degrees(item, "programmatic") == ("parallel", "parallel")
    assert degrees(item, "administrative") == ("parallel", "parallel")
    assert degrees(item, "strategic") == ("partial", "partial")
    explanations = {rule.id: rule.explanation for rule in item.levels["strategic"].rules}
    assert "DSRSG/RC/HC" in explanations["p7-hc-inside"]
    assert "OCHA stays outside" in next(
        rule.explanation
        for rule in item.levels["programmatic"].rules
        if rule.id == "p7-ocha-outside"
    )
    assert "p8-neutral-ngos-outside" in rule_ids(item, "programmatic")


def test_humanitarian_coordination_without_a_triple_hatted_hc_meets_a_structure_barrier() -> None:
    item = one(decide({**BINUB, "hc_triple_hatted": False}), "humanitarian_coordination")
    assert degrees(item, "strategic") == ("partial", "parallel")
    (barrier,) = item.barriers
    assert (barrier.category, barrier.level) == ("structure", "strategic")
    assert "DSRSG/RC/HC" in barrier.remedy
    assert "§VII Structural reforms" in barrier.remedy


def test_open_combat_makes_humanitarian_coordination_parallel_at_every_level() -> None:
    decision = decide({**PKO, "force_posture": "open_combat", "phase": "peace_enforcement"})
    item = one(decision, "humanitarian_coordination")
    for level in ("strategic", "programmatic", "administrative"):
        assert degrees(item, level) == ("parallel", "parallel")
    assert "p7-open-combat-humanitarian-coordination" in rule_ids(item, "strategic")
    # Protection of civilians keeps its humanitarian component apart from the fighting force.
    protection = one(decision, "protection_of_civilians")
    assert degrees(protection, "programmatic") == ("parallel", "parallel")
    assert protection.lead == "mission"


def test_observer_mission_is_not_applicable() -> None:
    decision = decide({**BINUB, "presence_type": "observer_mission"})
    assert decision.applicable is False
    assert "ceasefire observation" in decision.reason
    assert decision.recommendations == ()
    assert decision_to_dict(decision) == {
        "applicable": False,
        "reason": decision.reason,
        "rulebook": {"name": "default", "version": "2007.3"},
        "recommendations": [],
    }


def test_no_country_team_is_not_applicable() -> None:
    decision = decide({**BINUB, "unct_present": False})
    assert decision.applicable is False
    assert "no UN Country Team" in decision.reason


def test_without_agency_service_agreements_administration_is_held_back() -> None:
    # given a MONUC-like context: a peacekeeping operation not permitted agency service
    # agreements (§VII Structural reforms)
    context = {**PKO, "agency_service_agreements": False}
    # when
    ddr = one(decide(context, [DDR_LINKING_EVERYTHING]), "ddr")
    # then joint programmes are out of reach, and administration stays at common services
    assert degrees(ddr, "programmatic") == ("full", "parallel")
    assert degrees(ddr, "administrative") == ("full", "partial")
    assert [(b.category, b.level) for b in ddr.barriers] == [
        ("administration", "programmatic"),
        ("administration", "administrative"),
    ]
    administrative = ddr.barriers[1]
    assert administrative.remedy.startswith(
        "Permit the mission to contract UNCT agencies through agency service agreements, as "
        "BINUB was"
    )
    assert "§VII Structural reforms" in administrative.remedy
    assert "p9-no-agency-service-agreements" in rule_ids(ddr, "administrative")


def test_binub_without_agency_service_agreements_could_not_run_joint_programmes() -> None:
    # given BINUB as it was, but without the agency service agreements it was permitted:
    # "Agency service agreements enabled BINUB to achieve partial integration (programmatic
    # integration with separate reporting lines)" (§VII Structural reforms)
    context = {**BINUB, "agency_service_agreements": False}
    # when
    item = one(decide(context, [{"function": "peace_governance"}]), "peace_governance")
    # then the joint programme is still called for, but only parallel programmes are feasible
    assert degrees(item, "programmatic") == ("partial", "parallel")
    assert rule_ids(item, "programmatic")[0] == "p3-partial-default"
    assert "p9-no-agency-service-agreements-joint-programmes" in rule_ids(item, "programmatic")
    (barrier,) = [b for b in item.barriers if b.level == "programmatic"]
    assert barrier.category == "administration"
    assert "MONUC could not" in barrier.explanation
    assert "Fifth Committee" in barrier.remedy
    assert "General Assembly" in barrier.remedy
    assert "§VII Structural reforms" in barrier.remedy
    # and the answer differs from BINUB's own
    own = one(decide(BINUB, [{"function": "peace_governance"}]), "peace_governance")
    assert degrees(own, "programmatic") == ("partial", "partial")
    assert own.barriers == ()


def test_without_agency_service_agreements_or_common_services_there_is_no_administrative_link():
    context = {**BINUB, "agency_service_agreements": False, "common_services": False}
    item = one(decide(context), "peace_governance")
    assert degrees(item, "administrative") == ("partial", "parallel")
    assert [(b.category, b.level) for b in item.barriers] == [
        ("administration", "programmatic"),
        ("administration", "administrative"),
    ]
    assert "common services" in item.barriers[1].remedy


def test_ssr_in_open_combat_with_fragile_consent_cannot_be_fully_integrated_today() -> None:
    # given a stabilising peacekeeping operation fighting spoilers, with fragile host consent
    context = {
        **PKO,
        "force_posture": "open_combat",
        "conflict_level": "high",
        "host_consent": "fragile",
    }
    # when
    ssr = one(decide(context, [{"function": "ssr"}]), "ssr")
    # then SSR's impact still calls for one programme (P2), but the context allows joint
    # programmes at most: open confrontation makes integration politically charged (§IV.4)
    assert degrees(ssr, "programmatic") == ("full", "partial")
    assert degrees(ssr, "administrative") == ("full", "partial")
    barriers = {(b.category, b.level): b for b in ssr.barriers}
    assert set(barriers) == {("planning", "programmatic"), ("culture", "programmatic")}
    assert "politically charged" in barriers["planning", "programmatic"].explanation
    assert "§VII Improved mandate and mission review" in barriers["planning", "programmatic"].remedy
    assert "costly to undo" in barriers["culture", "programmatic"].explanation
    # and without the fighting and with firm consent nothing stands in the way
    calm = {**context, "force_posture": "deterrent", "host_consent": "firm"}
    assert degrees(one(decide(calm, [{"function": "ssr"}]), "ssr"), "programmatic") == (
        "full",
        "full",
    )


def test_unpledged_voluntary_funding_delays_joint_programmes() -> None:
    functions = [{"function": "peace_governance", "funding_source": "voluntary_unpledged"}]
    item = one(decide(BINUB, functions), "peace_governance")
    assert degrees(item, "programmatic") == ("partial", "parallel")
    # One funding barrier, at the programmatic level. The administrative one (no integrated
    # budget from voluntary money) caps at partial, which is what administration is called for
    # at anyway, so it stands in the way of nothing and is not listed.
    (funding,) = item.barriers
    assert (funding.category, funding.level) == ("funding", "programmatic")
    assert "§VII Funding reforms" in funding.remedy
    # With programmes only in parallel, administration keeps the one link parallel structures
    # keep: BINUB shares common services, so it stays partial and no coupling holds it back.
    assert degrees(item, "administrative") == ("partial", "partial")
    assert "engine.feasibility.parallel-keeps-common-services-only" not in rule_ids(
        item, "administrative"
    )


def test_donors_outside_planning_and_no_pooled_fund_hold_back_full_integration() -> None:
    context = {**PKO, "donors_in_planning": False, "pooled_fund": False}
    ddr = one(decide(context, [DDR_LINKING_EVERYTHING]), "ddr")
    assert degrees(ddr, "strategic") == ("full", "partial")
    assert degrees(ddr, "programmatic") == ("full", "partial")
    assert degrees(ddr, "administrative") == ("full", "partial")
    categories = {(b.category, b.level) for b in ddr.barriers}
    assert categories == {("planning", "strategic"), ("capacity", "programmatic")}
    planning = next(b for b in ddr.barriers if b.category == "planning")
    assert "Country Assistance Framework" in planning.remedy


def test_a_hybrid_operation_must_agree_integration_with_the_regional_partner() -> None:
    context = {**PKO, "presence_type": "hybrid", "regional_partner": "hybrid"}
    decision = decide(context)
    ddr = one(decision, "ddr")
    barrier = next(b for b in ddr.barriers if b.category == "regional_partnership")
    assert barrier.level == "strategic"
    assert "strategic, programmatic and administrative levels" in barrier.remedy
    assert one(decision, "political_process").lead == "regional_partner"


def test_transition_and_a_near_drawdown_rule_out_full_integration() -> None:
    for context in ({**PKO, "phase": "transition"}, {**PKO, "drawdown_within_months": 9}):
        ddr = one(decide(context, [DDR_LINKING_EVERYTHING]), "ddr")
        assert degrees(ddr, "programmatic") == ("partial", "partial")
        assert degrees(ddr, "administrative") == ("partial", "partial")
        ids = rule_ids(ddr, "programmatic")
        assert "p11-transition" in ids or "p11-drawdown-near" in ids
        assert "engine.coupling.administrative-full-needs-programmatic-full" in rule_ids(
            ddr, "administrative"
        )


def test_conflicting_imperatives_lead_to_parallel_structures() -> None:
    functions = [{"function": "human_rights", "conflicting_imperatives": True}]
    item = one(decide(BINUB, functions), "human_rights")
    assert degrees(item, "programmatic") == ("parallel", "parallel")
    assert degrees(item, "strategic") == ("partial", "partial")
    # Parallel structures keep common services, and nothing more (§IV.2).
    assert degrees(item, "administrative") == ("partial", "partial")
    without = one(decide({**BINUB, "common_services": False}, functions), "human_rights")
    assert degrees(without, "administrative") == ("parallel", "parallel")
    assert "engine.coupling.parallel-keeps-common-services-only" in rule_ids(
        without, "administrative"
    )


def test_quick_impact_projects_are_mission_led_and_stay_out_of_humanitarian_territory() -> None:
    functions = [
        {"function": "quick_impact_projects", "dimensions": ["political", "development"]},
        {"function": "humanitarian_coordination"},
    ]
    decision = decide(BINUB, functions)
    qips = one(decision, "quick_impact_projects")
    assert qips.lead == "mission"
    assert degrees(qips, "programmatic") == ("parallel", "parallel")
    assert "p15-qip-lead-mission" in rule_ids(qips, "strategic")
    humanitarian = decide(
        BINUB,
        [{"function": "quick_impact_projects", "dimensions": ["development", "humanitarian"]}],
    )
    assert "p15-qip-not-humanitarian" in rule_ids(
        one(humanitarian, "quick_impact_projects"), "strategic"
    )


def test_lead_moves_to_national_actors_as_capacity_grows_and_transition_nears() -> None:
    context = {**BINUB, "national_capacity": "high", "phase": "transition"}
    decision = decide(context)
    assert one(decision, "peace_governance").lead == "national"
    assert one(decision, "humanitarian_coordination").lead == "humanitarian_coordinator"


def test_a_development_only_function_stays_parallel_and_says_why_first() -> None:
    item = one(decide(BINUB, [{"function": "recovery_development"}]), "recovery_development")
    assert degrees(item, "programmatic") == ("parallel", "parallel")
    # the rule that decided the degree opens the trace; the default it overrode follows
    assert rule_ids(item, "programmatic") == ["p5-development-only", "p3-partial-default"]


def test_decision_dict_has_exactly_the_public_shape() -> None:
    payload = decision_to_dict(decide(BINUB, [{"function": "ddr"}], what_if=True))
    assert set(payload) == {"applicable", "rulebook", "recommendations"}
    assert payload["rulebook"] == {"name": "default", "version": "2007.3"}
    (item,) = payload["recommendations"]
    assert set(item) == {"function", "lead", "levels", "barriers", "what_if"}
    assert list(item["levels"]) == ["strategic", "programmatic", "administrative"]
    for level in item["levels"].values():
        assert set(level) == {"degree", "feasible_degree", "rules"}
        assert all(set(rule) == {"id", "principle", "explanation"} for rule in level["rules"])
    assert item["what_if"]
    fields = {"fact", "from", "to", "level", "output", "from_degree", "to_degree", "sentence"}
    assert all(set(entry) == {*fields, "alternatives"} for entry in item["what_if"])
    alternatives = [other for entry in item["what_if"] for other in entry["alternatives"]]
    assert alternatives
    assert all(set(other) == {"fact", "from", "to"} for other in alternatives)
