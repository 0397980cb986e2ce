"""What each fact and each of its values means, in words a planner accepts (domain.md §2–§3).

Forms show these beside every control, so nobody has to guess what "open combat" or "agency
service agreements" means. Section references point into the source document.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

FACT_HELP = {
    "as_of": _("The date the facts describe. Reassess when the context moves."),
    "presence_type": _("The kind of UN presence in the country."),
    "unct_present": _("A UN Country Team (UNDP, UNICEF, OHCHR …) works in the country."),
    "phase": _(
        "The phase of the peace process now (§IV.4). Phases are not a linear sequence: record "
        "the one the mission is in today and reassess when it changes."
    ),
    "conflict_level": _("The level of violent conflict in the mission area (§IV.4)."),
    "force_posture": _(
        "Are UN (or coalition) forces in open confrontation with spoilers? Open confrontation "
        "makes any association with humanitarian actors compromise their neutrality (§V)."
    ),
    "host_consent": _("The host government's consent to the UN presence."),
    "national_capacity": _(
        "The absorptive capacity of state and society: how much national actors can take on "
        "and lead (§V, speed v. ownership)."
    ),
    "hc_triple_hatted": _(
        "The Humanitarian Coordinator sits in mission leadership as Deputy SRSG, Resident "
        "Coordinator and Humanitarian Coordinator (DSRSG/RC/HC), keeping the HC inside while "
        "OCHA stays outside (§V, §VII Structural reforms)."
    ),
    "pooled_fund": _(
        "A common or pooled fund (e.g. the Peacebuilding Fund) runs through the DSRSG/RC/HC, "
        "giving mission leadership authority to match its responsibility (§VI Funding)."
    ),
    "donors_in_planning": _(
        "Bilateral donors and IFIs take part in integrated planning, as in MONUC's Country "
        "Assistance Framework and BINUB's PRSP-based framework (§VI Funding)."
    ),
    "agency_service_agreements": _(
        "The mission may contract UNCT agencies by agency service agreement to deliver "
        "programmes. BINUB was permitted them; MONUC was not (§VI Administration, §VII)."
    ),
    "common_services": _(
        "Mission and UNCT share common services (premises, transport, security, procurement): "
        "the one administrative link that even parallel structures keep (§IV.2)."
    ),
    "regional_partner": _(
        "The role of a regional organisation such as the African Union (§V Partnering with "
        "regional organizations)."
    ),
    "drawdown_within_months": _(
        "Months until a planned drawdown or handover, if any. Leave empty when none is planned. "
        "Full integration is costly to undo near a drawdown (§IV.2)."
    ),
    "military_perceived_partial": _(
        "The population or the parties see the UN (or coalition) military as a party to the "
        "conflict. The closer humanitarian actors stand to such a force, the more their "
        "neutrality suffers (§V Integrating humanitarianism?). Leave unticked when not known."
    ),
    "humanitarian_access_constrained": _(
        "Humanitarian access is restricted, or aid workers are targeted. Leave unticked when "
        "not known."
    ),
    "common_strategic_framework": _(
        "Mission and UNCT have agreed one strategic framework: shared vision, priorities, "
        "responsibilities and timelines, as BINUB's joint programmes share (§IV.2). Leave "
        "unticked until it is agreed."
    ),
    "joint_monitoring": _(
        "Mission and UNCT monitor and evaluate together against the common strategic framework, "
        "as BINUB's common monitoring and evaluation system does (§IV.2, §VI Accountability). "
        "Leave unticked until they do."
    ),
    "unct_surge_capacity": _(
        "The UN Country Team can scale up to take over what the mission hands on; the source "
        "finds it often cannot (§V, §VII Capacity to scale up). Leave unticked when not known."
    ),
    "national_actors_in_planning": _(
        "National actors (government, civil society) take part in integrated planning; the "
        'IMPP "must be much more inclusive of national actors" (§VII Reform strategic '
        "planning). Leave unticked when not known."
    ),
    "notes": _("Where each fact comes from, and where the sources are silent."),
    "in_mandate": _("Untick when this function is not part of the mission's mandate."),
    "dimensions": _(
        "The components that must be linked to reach the desired impact. Full programmatic "
        "integration needs political, military and development components together, as in DDR."
    ),
    "conflicting_imperatives": _(
        "The function's imperatives conflict (security v. humanitarian, peace v. justice): "
        "parallel structures may then be the only means of reaching complementary objectives."
    ),
    "unct_programmes": _(
        "The UNCT already runs programmes in this area: the mission must not rebuild them (§IV)."
    ),
    "funding_source": _("How the function is paid for (§VI Funding)."),
    "necessity": _(
        "Why the desired impact needs one integrated programme, if it does: full programmatic "
        "integration only where absolutely necessary (§IV.2), as DDR may need to link its "
        "political, military, humanitarian and development components. Leave empty when no "
        "case is made; recommendations quote it."
    ),
    "desired_impact": _(
        "The impact the function exists for. Form follows function: the recommendation follows "
        "from it. Required to submit."
    ),
}

CHOICE_HELP = {
    "presence_type": {
        "multidimensional_pko": _(
            "A peacekeeping operation with military, police and civilian components."
        ),
        "political_mission": _("A political or peacebuilding office without a military force."),
        "hybrid": _("An operation run jointly with a regional organisation, such as UNAMID."),
        "observer_mission": _(
            "A mission limited to ceasefire observation (UNMEE): integration policy does not apply."
        ),
    },
    "phase": {
        "conflict_prevention": _("Preventing violence before it breaks out."),
        "peacemaking": _("Negotiating an end to the conflict."),
        "peace_enforcement": _("Imposing peace by force, with or without consent."),
        "peacekeeping": _("Supporting a ceasefire or peace agreement with consent."),
        "stabilization": _("Securing the state's authority after the fighting."),
        "peacebuilding": _("Consolidating peace: governance, recovery, national capacity."),
        "transition": _("Handing over to the UNCT and national actors as the mission leaves."),
    },
    "conflict_level": {
        "none": _("No violent conflict in the mission area."),
        "low": _("Sporadic or localised violence."),
        "high": _("Widespread violent conflict."),
    },
    "force_posture": {
        "none": _("No UN or coalition force, or no confrontation with spoilers."),
        "deterrent": _("Forces deployed to deter, not in open combat."),
        "open_combat": _(
            "UN or coalition forces in open confrontation with spoilers: humanitarian "
            "coordination must stay parallel at every level."
        ),
    },
    "host_consent": {
        "firm": _("The host government consents to the presence and cooperates."),
        "fragile": _("Consent is withdrawn in part, contested or at risk."),
    },
    "national_capacity": {
        "low": _("State and society can absorb little; ownership needs time."),
        "medium": _("Some national institutions can lead with support."),
        "high": _("National actors can lead; the lead moves toward them."),
    },
    "regional_partner": {
        "none": _("No regional organisation takes part."),
        "cooperating": _("A regional organisation works alongside, coordinated but separate."),
        "hybrid": _("A hybrid operation with the regional organisation (UNAMID)."),
        "rehatted": _("Regional troops re-hatted as UN: the organisation joins UN planning."),
    },
    "dimensions": {
        "political": _("Political affairs: the peace process, mediation, political analysis."),
        "military": _("The military component: security, disarmament, deterrence."),
        "police": _("UN police and national police: public order, police reform."),
        "humanitarian": _(
            "Humanitarian assistance and its principles (neutrality, impartiality): linking "
            "it to the mission can compromise humanitarian space (§V)."
        ),
        "development": _("Recovery and development programmes, mostly run by the UNCT."),
        "human_rights": _("Human rights monitoring, protection and transitional justice."),
        "rule_of_law": _("Justice, corrections and the legal framework."),
    },
    "funding_source": {
        "assessed": _("Assessed contributions of the mission's budget."),
        "pooled": _("A pooled fund run through the DSRSG/RC/HC."),
        "voluntary_pledged": _("Voluntary contributions already pledged."),
        "voluntary_unpledged": _(
            "Voluntary contributions not yet pledged: joint programmes wait for the funds."
        ),
    },
}
