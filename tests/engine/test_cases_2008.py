"""Rulebook 2008.1 against the source: one case per finding of issue 12, each citing the
passage of Campbell (Addis Ababa, 2007) it answers to, asserted on what a planner sees."""

from __future__ import annotations

from integration.engine import (
    Decision,
    FunctionRecommendation,
    default_rulebook,
    evaluate,
    facts_from_dict,
    shipped_rulebook,
)

RULEBOOK = default_rulebook()

# MONUC in 2007 (§IV.2, §V, §VI Funding, §VII Structural reforms): a multidimensional PKO in
# high conflict with a deterrent posture, a triple-hatted HC, donors in its CAF, no agency
# service agreements.
MONUC = {
    "presence_type": "multidimensional_pko",
    "unct_present": True,
    "phase": "peacekeeping",
    "conflict_level": "high",
    "force_posture": "deterrent",
    "host_consent": "firm",
    "national_capacity": "low",
    "hc_triple_hatted": True,
    "pooled_fund": False,
    "donors_in_planning": True,
    "agency_service_agreements": False,
    "common_services": False,
    "regional_partner": "none",
    "drawdown_within_months": None,
}
# UNMIS beside AMIS (§V Partnering with regional organizations): cooperating, no shared structure.
UNMIS = {**MONUC, "donors_in_planning": False, "regional_partner": "cooperating"}
# UNAMID, the AU-UN hybrid for Darfur (§V).
UNAMID = {
    **UNMIS,
    "presence_type": "hybrid",
    "regional_partner": "hybrid",
    "hc_triple_hatted": False,
}
# BINUB (§IV.2, §VI Funding, §VII Structural reforms): joint programmes under a common strategic
# framework with common monitoring and evaluation, agency service agreements, a pooled fund.
BINUB = {
    **MONUC,
    "presence_type": "political_mission",
    "phase": "peacebuilding",
    "conflict_level": "low",
    "force_posture": "none",
    "pooled_fund": True,
    "agency_service_agreements": True,
    "common_services": True,
    "common_strategic_framework": True,
    "joint_monitoring": True,
}
# Every enabler in place: what remains is what the rules say of the function itself.
ENABLED = {
    **MONUC,
    "national_capacity": "medium",
    "pooled_fund": True,
    "agency_service_agreements": True,
    "common_services": True,
    "common_strategic_framework": True,
    "joint_monitoring": True,
}
BINUB_PROGRAMMES = ("peace_governance", "ddr", "ssr", "rule_of_law", "human_rights")


def decide(context: dict, functions: list[dict] | None = None, **kwargs) -> Decision:
    body: dict = {"context": context}
    if functions is not None:
        body["functions"] = functions
    return evaluate(facts_from_dict(body), RULEBOOK, **kwargs)


def one(decision: Decision, code: str) -> FunctionRecommendation:
    return next(item for item in decision.recommendations if item.function == code)


def degrees(item: FunctionRecommendation, level: str) -> tuple[str, str]:
    return item.levels[level].degree, item.levels[level].feasible_degree


def texts(item: FunctionRecommendation, level: str) -> dict[str, str]:
    return {rule.id: rule.explanation for rule in item.levels[level].rules}


def test_ddr_is_full_in_monuc_unmis_and_unamid_and_ssr_is_partial() -> None:
    # §IV.2: "In some cases, such as with DDR programs, full integration may be the only means to
    # effectively link the various components of the program (i.e., the political, military,
    # humanitarian, and development components)". High conflict with a deterrent posture is not
    # open combat (P6), so it does not hold DDR down.
    for context in (MONUC, UNMIS, UNAMID):
        decision = decide(context)
        ddr, ssr = one(decision, "ddr"), one(decision, "ssr")
        assert ddr.levels["programmatic"].degree == "full"
        assert ddr.levels["programmatic"].rules[0].id == "p2-linked-components"
        # SSR sat in BINUB's partial joint programmes; it does not borrow DDR's reason.
        assert degrees(ssr, "programmatic")[0] == "partial"
        assert "p2-linked-components" not in texts(ssr, "programmatic")


def test_ssr_with_every_enabler_reaches_partial_not_full() -> None:
    ssr = one(decide(ENABLED, [{"function": "ssr"}]), "ssr")
    assert degrees(ssr, "programmatic") == ("partial", "partial")
    assert degrees(ssr, "administrative")[0] == "partial"


def test_a_planner_stated_necessity_is_quoted_not_the_source() -> None:
    # P2: a planner may state a necessity for another function; the trace quotes the planner.
    case = "One chain of command is needed to vet and retrain the army in six months."
    ssr = one(decide(ENABLED, [{"function": "ssr", "necessity": case}]), "ssr")
    assert degrees(ssr, "programmatic") == ("full", "full")
    decided = ssr.levels["programmatic"].rules[0]
    assert decided.id == "p2-planner-states-necessity"
    assert f'"{case}"' in decided.explanation
    assert "the case here is the planner's" in decided.explanation


def test_without_agency_service_agreements_joint_programmes_stay_feasible() -> None:
    # §VII Structural reforms: agency service agreements "enabled BINUB to achieve partial
    # integration"; MONUC was not permitted them, yet developed all three degrees (§IV.2).
    decision = decide(MONUC)
    for item in decision.recommendations:
        assert item.levels["programmatic"].feasible_degree != "parallel" or (
            item.levels["programmatic"].degree == "parallel"
        ), item.function
    ddr = one(decision, "ddr")
    assert degrees(ddr, "programmatic") == ("full", "partial")
    (barrier,) = [
        b for b in ddr.barriers if b.level == "programmatic" and "agency service" in b.explanation
    ]
    # §VII: the Fifth Committee; §VI Administration: the DOA/CAO's "work around" strategies.
    assert "Fifth Committee" in barrier.remedy
    assert "Director of Administration" in barrier.remedy
    assert "work around" in barrier.remedy


def test_a_cooperating_regional_organisation_meets_the_regional_barrier() -> None:
    # §V: "UNMIS and the AU Mission in Darfur (AMIS) had different opinions on which actions can
    # and should be taken to protect civilians"; "Coordination is not sufficiently binding".
    poc = one(decide(UNMIS), "protection_of_civilians")
    categories = {(b.category, b.level) for b in poc.barriers}
    assert ("regional_partnership", "strategic") in categories


def test_unamid_political_process_is_led_jointly_with_the_regional_partner() -> None:
    # §V: the hybrid force for Darfur; the AU carries the peace process with the UN.
    item = one(decide(UNAMID), "political_process")
    assert item.lead == "joint_regional"
    assert "together" in texts(item, "strategic")["p13-lead-regional-political-process"]


def test_binub_joint_programmes_share_one_lead_and_keep_the_duplication_warning() -> None:
    # §IV.2: BINUB's joint programmes (Peace and Governance; SSR/DDR/Small Arms; Human Rights and
    # Justice), each agency keeping its reporting line.
    functions = [
        {"function": code, "unct_programmes": True, "funding_source": "pooled"}
        for code in BINUB_PROGRAMMES
    ]
    decision = decide(BINUB, functions)
    assert {item.function: item.lead for item in decision.recommendations} == dict.fromkeys(
        BINUB_PROGRAMMES, "joint"
    )
    # the duplication rule lost to the joint-programme lead, and says so rather than vanishing
    strategic = texts(one(decision, "human_rights"), "strategic")
    assert strategic["p12-join-unct-programmes"].startswith(
        "Set aside in favour of p6-lead-joint-in-peacebuilding: "
    )


def test_near_drawdown_the_lead_moves_to_the_unct_with_a_capacity_barrier() -> None:
    # §V: the peacekeeping/peacebuilding interface includes "the transition ... from the mission
    # to the UNCT"; the UNCT "is often unable to scale up and speed up its activities".
    near = {**BINUB, "drawdown_within_months": 9}
    item = one(decide(near, [{"function": "peace_governance"}]), "peace_governance")
    assert item.lead == "unct"
    assert [(b.category, b.level) for b in item.barriers] == [("capacity", "programmatic")]
    assert "scale up" in item.barriers[0].explanation
    surge = one(decide({**near, "unct_surge_capacity": True}), "peace_governance")
    assert surge.lead == "unct"
    assert surge.barriers == ()


def test_human_rights_in_monuc_does_not_say_joined_and_separate_at_once() -> None:
    # §IV.2 (parallel structures for conflicting imperatives) with §IV (no duplication).
    functions = [
        {"function": "human_rights", "conflicting_imperatives": True, "unct_programmes": True}
    ]
    item = one(decide(MONUC, functions), "human_rights")
    assert degrees(item, "programmatic")[0] == "parallel"
    prose = " ".join(rule.explanation for level in item.levels.values() for rule in level.rules)
    assert "joins them" not in prose
    assert "peace v. justice" in prose  # the imperatives human rights has, not humanitarian ones
    assert "security against humanitarian" not in prose


def test_donors_outside_planning_are_a_funding_barrier_to_programmes_not_to_the_plan() -> None:
    # §VI Funding: leaving donors and IFIs out leaves "no guarantee that these integrated
    # strategies will be funded, and thus implemented".
    decision = decide({**ENABLED, "donors_in_planning": False})
    political = one(decision, "political_process")
    assert degrees(political, "strategic") == ("full", "full")
    ddr = one(decision, "ddr")
    # the administrative level, held down by the programmes, names its own lever (invariant 11)
    assert [(b.category, b.level) for b in ddr.barriers] == [
        ("funding", "programmatic"),
        ("funding", "administrative"),
    ]
    assert "common services" in ddr.barriers[1].remedy


def test_the_humanitarian_arrangement_is_decided_from_posture_and_partiality() -> None:
    # §V: "The degree of cooperation between humanitarian and military actors should depend on
    # the perceived partiality of the military"; §VII: keep OCHA outside, the HC inside.
    assert decide(MONUC).humanitarian_arrangement.arrangement == "one_foot_in"
    combat = decide({**MONUC, "force_posture": "open_combat"}).humanitarian_arrangement
    assert combat.arrangement == "two_feet_out"
    assert combat.rules[0].id == "p7-arrangement-two-feet-out-open-combat"
    assert any(rule.explanation.startswith("Set aside in favour of") for rule in combat.rules[1:])
    # a triple-hatted HC under a mission in open combat is a risk to flag, not a target
    assert "p7-risk-triple-hatted-hc-beside-fighting-force" in {r.id for r in combat.risks}


def test_a_hybrid_seen_as_partial_is_not_told_to_bring_the_hc_inside() -> None:
    context = {**UNAMID, "military_perceived_partial": True}
    decision = decide(context)
    assert decision.humanitarian_arrangement.arrangement == "two_feet_out"
    for item in decision.recommendations:
        assert all("Bring the Humanitarian Coordinator" not in b.remedy for b in item.barriers)


def test_quick_impact_projects_with_a_humanitarian_component_meet_a_barrier() -> None:
    # §VII Funding reforms: QIPs "should not cross into humanitarian territory".
    functions = [{"function": "quick_impact_projects", "dimensions": ["political", "humanitarian"]}]
    item = one(decide(ENABLED, functions), "quick_impact_projects")
    assert degrees(item, "strategic") == ("full", "partial")
    (barrier,) = item.barriers
    assert "Humanitarian Coordinator" in barrier.remedy


def test_violence_is_context_not_a_barrier() -> None:
    # §IV.4 with P6: the force posture charges integration; violence alone is context.
    decision = decide(ENABLED)
    assert all(b.category != "planning" for item in decision.recommendations for b in item.barriers)
    ddr = one(decision, "ddr")
    assert "p6-high-conflict-context" in texts(ddr, "programmatic")
    combat = decide(
        {**ENABLED, "force_posture": "open_combat"}, [{"function": "ssr", "necessity": "x"}]
    )
    ssr = one(combat, "ssr")
    assert degrees(ssr, "programmatic") == ("partial", "partial")  # a cap on the degree
    assert ssr.barriers == ()


def test_capacity_is_national_or_unct_capacity_and_srsg_authority_is_its_own_category() -> None:
    # §VI New initiatives: SRSGs "do not have the financial or administrative authority";
    # §V: low absorptive capacity of state and society.
    ddr = one(decide(MONUC), "ddr")
    by_rule = {b.explanation.split(":")[0]: b.category for b in ddr.barriers}
    assert by_rule["No pooled fund runs through the DSRSG/RC/HC"] == "accountability"
    assert by_rule["State and society have low absorptive capacity"] == "capacity"


def test_strategic_full_is_earned_by_a_common_framework_and_joint_monitoring() -> None:
    # §IV.2: BINUB's joint programmes are "all part of a common strategic framework and common
    # monitoring and evaluation system".
    bare = one(decide(MONUC), "peace_governance")
    assert {(b.category, b.level) for b in bare.barriers} >= {
        ("planning", "strategic"),
        ("accountability", "strategic"),
    }
    binub = one(decide(BINUB), "peace_governance")
    assert degrees(binub, "strategic") == ("full", "full")


def test_the_partial_default_claims_binub_only_for_binubs_programmes() -> None:
    # §IV.2 names BINUB's three joint programmes; humanitarian coordination was not one of them.
    decision = decide(BINUB)
    for item in decision.recommendations:
        prose = " ".join(rule.explanation for rule in item.levels["programmatic"].rules)
        assert ("BINUB" in prose) == (item.function in BINUB_PROGRAMMES), item.function


def test_no_lead_claims_binubs_joint_programmes_for_a_function_that_was_not_one() -> None:
    # §IV.2 names BINUB's three joint programmes; electoral support and the protection of
    # civilians were not among them (invariant 13: no rule claims for one function what the
    # source says of another).
    for context in (BINUB, MONUC):
        decision = decide(context)
        for item in decision.recommendations:
            if item.function in BINUB_PROGRAMMES:
                continue
            leads = " ".join(rule.explanation for rule in item.levels["strategic"].rules)
            assert "BINUB's joint programmes" not in leads, item.function


def test_a_mandate_template_that_replicates_unct_programmes_is_a_guidance_barrier() -> None:
    # §VI Guidance: "Security Council mandates include a standard set of multidimensional
    # programs that often replicate programs of the UNCT ... the standard multidimensional peace
    # operation templates provide an easy way to decide on staffing. These practices, however,
    # often lead to the creation of unnecessary staff positions." §VII Improved Guidance:
    # "Develop guidelines for the Security Council on the types of mandates necessary".
    functions = [{"function": "ddr", "unct_programmes": True}]
    ddr = one(decide(ENABLED, functions), "ddr")
    assert degrees(ddr, "administrative") == ("full", "partial")
    (barrier,) = [b for b in ddr.barriers if b.category == "guidance"]
    assert barrier.level == "administrative"
    assert barrier.explanation.startswith("The UNCT already runs programmes for DDR")
    assert "§VII Improved Guidance" in barrier.remedy
    assert "guidelines for the Security Council" in barrier.remedy
    # BINUB, a peacebuilding office with no multidimensional template, meets no such barrier,
    # nor does DDR where the UNCT runs no programme of its own.
    assert not any(b.category == "guidance" for b in one(decide(ENABLED), "ddr").barriers)
    binub = decide({**BINUB, "presence_type": "political_mission"}, functions)
    assert not any(b.category == "guidance" for b in one(binub, "ddr").barriers)


def test_without_joint_monitoring_no_one_is_accountable_for_the_common_plan() -> None:
    # §VI Accountability: "Without system-wide accountability there are few incentives for the
    # achievement of an integrated strategy ... In the absence of effective monitoring and
    # evaluation of the entire UN effort, decision-makers do not have the information necessary
    # to make mid-course corrections." §VII Incentives: "Develop methods to evaluate the impact".
    item = one(decide({**ENABLED, "joint_monitoring": False}), "peace_governance")
    assert degrees(item, "strategic") == ("full", "partial")
    (barrier,) = item.barriers
    assert (barrier.category, barrier.level) == ("accountability", "strategic")
    assert "correct course" in barrier.explanation
    assert "§VII Incentives for integration and collective action" in barrier.remedy
    assert one(decide(ENABLED), "peace_governance").barriers == ()


def test_rulebook_2007_3_still_answers_as_it_did() -> None:
    # Kept for replay: DDR in MONUC partial there, and no humanitarian arrangement.
    decision = evaluate(facts_from_dict({"context": MONUC}), shipped_rulebook("2007.3"))
    assert decision.humanitarian_arrangement is None
    assert one(decision, "ddr").levels["programmatic"].degree == "partial"
