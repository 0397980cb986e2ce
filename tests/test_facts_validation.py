"""Every fact is a choice: a bad value is refused with an error keyed by (and naming) the fact."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from assessments.forms import ContextForm, FunctionFactsForm
from assessments.models import CONTEXT_FACTS, Assessment, FunctionAssessment

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


def test_the_bad_value_table_covers_every_fact():
    assert set(BAD_CONTEXT_VALUES) == set(CONTEXT_FACTS)


@pytest.mark.django_db
@pytest.mark.parametrize(("fact", "bad"), sorted(BAD_CONTEXT_VALUES.items()))
def test_each_context_fact_rejects_a_bad_value_naming_the_fact(binub_assessment, fact, bad):
    # given a valid assessment, when one fact gets a value outside its choices
    setattr(binub_assessment, fact, bad)
    # then validation fails on exactly that fact
    with pytest.raises(ValidationError) as caught:
        binub_assessment.full_clean()
    assert fact in caught.value.message_dict
    assert set(caught.value.message_dict) == {fact}


@pytest.mark.django_db
@pytest.mark.parametrize(("fact", "bad"), sorted(BAD_FUNCTION_VALUES.items()))
def test_each_function_fact_rejects_a_bad_value_naming_the_fact(binub_assessment, fact, bad):
    row = binub_assessment.function_assessments.first()
    setattr(row, fact, bad)
    with pytest.raises(ValidationError) as caught:
        row.full_clean()
    assert set(caught.value.message_dict) == {fact}


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
    assert "navy" in " ".join(form.errors["presence_type"])


@pytest.mark.django_db
def test_function_form_rejects_unknown_dimension_and_funding(binub_assessment):
    row = binub_assessment.function_assessments.first()
    form = FunctionFactsForm(
        {"x-dimensions": ["naval"], "x-funding_source": "lottery"}, instance=row, prefix="x"
    )
    assert not form.is_valid()
    assert {"dimensions", "funding_source"} <= set(form.errors)


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
