"""Every fact is a choice: a bad value is refused with an error keyed by the fact, whose message
names the fact and lists the values it accepts."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from assessments.facts import CONTEXT_FACTS, FUNCTION_FACTS
from assessments.forms import ContextForm, FunctionFactsForm
from assessments.models import Assessment, FunctionAssessment
from integration.engine import vocabulary


@pytest.fixture(autouse=True)
def _english():
    # The messages are translated when read: read them in English, whatever an earlier test's
    # request left active in this thread.
    with translation.override("en"):
        yield


BAD_CONTEXT_VALUES = {
    "presence_type": "navy",
    "unct_present": "perhaps",
    "phase": "war",
    "conflict_level": "medium",
    "force_posture": "aggressive",
    "host_consent": "none",
    "national_capacity": "huge",
    "hc_triple_hatted": "perhaps",
    "pooled_fund": "perhaps",
    "donors_in_planning": "perhaps",
    "agency_service_agreements": "perhaps",
    "common_services": "perhaps",
    "regional_partner": "nato",
    "drawdown_within_months": -3,
}
BAD_FUNCTION_VALUES = {
    "dimensions": ["political", "naval"],
    "conflicting_imperatives": "perhaps",
    "unct_programmes": "perhaps",
    "funding_source": "lottery",
}

YES_NO = "true, false"
# What the user reads for each bad value above: the fact's label, the value, what it accepts.
EXPECTED_MESSAGES = {
    "presence_type": "Presence type: “navy” is not one of multidimensional_pko, political_mission,"
    " hybrid, observer_mission.",
    "unct_present": f"UNCT present: “perhaps” is not one of {YES_NO}.",
    "phase": "Phase: “war” is not one of conflict_prevention, peacemaking, peace_enforcement,"
    " peacekeeping, stabilization, peacebuilding, transition.",
    "conflict_level": "Conflict level: “medium” is not one of none, low, high.",
    "force_posture": "Force posture: “aggressive” is not one of none, deterrent, open_combat.",
    "host_consent": "Host consent: “none” is not one of firm, fragile.",
    "national_capacity": "National capacity: “huge” is not one of low, medium, high.",
    "hc_triple_hatted": f"HC triple-hatted (DSRSG/RC/HC): “perhaps” is not one of {YES_NO}.",
    "pooled_fund": f"Pooled fund: “perhaps” is not one of {YES_NO}.",
    "donors_in_planning": f"Donors and IFIs in planning: “perhaps” is not one of {YES_NO}.",
    "agency_service_agreements": "Agency service agreements permitted: “perhaps” is not one of"
    f" {YES_NO}.",
    "common_services": f"Common services: “perhaps” is not one of {YES_NO}.",
    "regional_partner": "Regional partner: “nato” is not one of none, cooperating, hybrid,"
    " rehatted.",
    "drawdown_within_months": "Drawdown within (months): “-3” is not a whole number from 0 to 240.",
    "dimensions": "Dimensions: “naval” is not one of political, military, police, humanitarian,"
    " development, human_rights, rule_of_law.",
    "conflicting_imperatives": f"Conflicting imperatives: “perhaps” is not one of {YES_NO}.",
    "unct_programmes": f"UNCT already runs programmes: “perhaps” is not one of {YES_NO}.",
    "funding_source": "Funding source: “lottery” is not one of assessed, pooled,"
    " voluntary_pledged, voluntary_unpledged.",
}


def test_the_bad_value_tables_cover_every_fact():
    assert set(BAD_CONTEXT_VALUES) == set(CONTEXT_FACTS)
    assert set(BAD_FUNCTION_VALUES) == set(FUNCTION_FACTS)
    assert set(EXPECTED_MESSAGES) == set(CONTEXT_FACTS) | set(FUNCTION_FACTS)


@pytest.mark.django_db
@pytest.mark.parametrize(("fact", "bad"), sorted(BAD_CONTEXT_VALUES.items()))
def test_each_context_fact_rejects_a_bad_value_naming_the_fact(binub_assessment, fact, bad):
    # given a valid assessment, when one fact gets a value outside its choices
    setattr(binub_assessment, fact, bad)
    # then validation fails on exactly that fact
    with pytest.raises(ValidationError) as caught:
        binub_assessment.full_clean()
    assert set(caught.value.message_dict) == {fact}
    # with a message that names the fact, the value and what the fact accepts
    assert caught.value.message_dict[fact] == [EXPECTED_MESSAGES[fact]]


@pytest.mark.django_db
@pytest.mark.parametrize(("fact", "bad"), sorted(BAD_FUNCTION_VALUES.items()))
def test_each_function_fact_rejects_a_bad_value_naming_the_fact(binub_assessment, fact, bad):
    row = binub_assessment.function_assessments.first()
    setattr(row, fact, bad)
    with pytest.raises(ValidationError) as caught:
        row.full_clean()
    assert set(caught.value.message_dict) == {fact}
    assert caught.value.message_dict[fact] == [EXPECTED_MESSAGES[fact]]


@pytest.mark.django_db
def test_the_message_is_translated_and_still_lists_the_codes(binub_assessment):
    binub_assessment.phase = "war"
    with pytest.raises(ValidationError) as caught:
        binub_assessment.full_clean()
    # the message is translated when shown, in the reader's language
    with translation.override("fr"):
        message = caught.value.message_dict["phase"][0]
    assert message.startswith("Phase : « war » ne fait pas partie des valeurs admises : ")
    assert message.endswith(", ".join(vocabulary.values(vocabulary.PHASES)) + ".")


@pytest.mark.django_db
def test_a_drawdown_beyond_the_horizon_names_the_fact_and_its_range(binub_assessment):
    binub_assessment.drawdown_within_months = 241
    with pytest.raises(ValidationError) as caught:
        binub_assessment.full_clean()
    assert caught.value.message_dict == {
        "drawdown_within_months": [
            "Drawdown within (months): “241” is not a whole number from 0 to 240."
        ]
    }


@pytest.mark.django_db
def test_unknown_dimension_message_names_it_and_lists_the_allowed(binub_assessment):
    row = binub_assessment.function_assessments.first()
    row.dimensions = ["naval"]
    with pytest.raises(ValidationError) as caught:
        row.full_clean()
    message = " ".join(caught.value.message_dict["dimensions"])
    assert "naval" in message
    assert "political" in message


@pytest.mark.django_db
def test_context_form_puts_each_error_on_its_field(binub_assessment):
    data = {f"context-{name}": value for name, value in BAD_CONTEXT_VALUES.items()}
    data |= {"context-as_of": "2007-04-26", "context-version": "1"}
    form = ContextForm(data, instance=binub_assessment, prefix="context")
    assert not form.is_valid()
    choice_facts = {
        "presence_type",
        "phase",
        "conflict_level",
        "force_posture",
        "host_consent",
        "national_capacity",
        "regional_partner",
        "drawdown_within_months",
    }
    assert choice_facts <= set(form.errors)
    # the form says what the model says (a checkbox cannot post a bad boolean)
    for fact in choice_facts:
        assert form.errors[fact] == [EXPECTED_MESSAGES[fact]], fact


@pytest.mark.django_db
def test_context_form_names_the_fact_when_the_drawdown_is_not_a_number(binub_assessment):
    data = {"context-drawdown_within_months": "soon", "context-version": "1"}
    form = ContextForm(data, instance=binub_assessment, prefix="context")
    assert not form.is_valid()
    assert form.errors["drawdown_within_months"] == [
        "Drawdown within (months): enter a whole number from 0 to 240."
    ]


@pytest.mark.django_db
def test_function_form_rejects_unknown_dimension_and_funding(binub_assessment):
    row = binub_assessment.function_assessments.first()
    form = FunctionFactsForm(
        {"x-dimensions": ["naval"], "x-funding_source": "lottery"}, instance=row, prefix="x"
    )
    assert not form.is_valid()
    assert form.errors["dimensions"] == [EXPECTED_MESSAGES["dimensions"]]
    assert form.errors["funding_source"] == [EXPECTED_MESSAGES["funding_source"]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fact", ["presence_type", "phase", "conflict_level", "force_posture", "regional_partner"]
)
def test_database_refuses_a_bad_value_that_skips_validation(binub_assessment, fact):
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        Assessment.objects.filter(pk=binub_assessment.pk).update(**{fact: "bogus"})
    assert f"assessment_{fact}_valid" in str(caught.value)


@pytest.mark.django_db
def test_database_refuses_unknown_funding_source(binub_assessment):
    with pytest.raises(IntegrityError), transaction.atomic():
        FunctionAssessment.objects.filter(assessment=binub_assessment).update(
            funding_source="lottery"
        )
