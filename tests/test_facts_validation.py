"""Every fact is a choice: a bad value is refused with an error keyed by the fact, whose message
names the fact and lists the values it accepts."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst

from assessments.facts import (
    CONTEXT_FACT_SPECS,
    CONTEXT_FACTS,
    FUNCTION_FACT_SPECS,
    FUNCTION_FACTS,
    fact_rows,
)
from assessments.forms import ContextForm, FunctionFactsForm
from assessments.models import Assessment, FunctionAssessment, Scenario
from assessments.templatetags.function_labels import function_label
from integration.engine import context_contradictions, vocabulary
from tests.factories import PASSWORD
from tests.forms import assessment_form_data as form_data


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
    "military_perceived_partial": "perhaps",
    "humanitarian_access_constrained": "perhaps",
    "common_strategic_framework": "perhaps",
    "joint_monitoring": "perhaps",
    "unct_surge_capacity": "perhaps",
    "national_actors_in_planning": "perhaps",
}
BAD_FUNCTION_VALUES = {
    "dimensions": ["political", "naval"],
    "conflicting_imperatives": "perhaps",
    "unct_programmes": "perhaps",
    "funding_source": "lottery",
    "necessity": "Only one\x0bprogramme",  # a character no report can hold
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
    "military_perceived_partial": "Military perceived as a party: “perhaps” is not one of"
    f" {YES_NO}.",
    "humanitarian_access_constrained": "Humanitarian access constrained: “perhaps” is not one"
    f" of {YES_NO}.",
    "common_strategic_framework": f"Common strategic framework: “perhaps” is not one of {YES_NO}.",
    "joint_monitoring": f"Joint monitoring and evaluation: “perhaps” is not one of {YES_NO}.",
    "unct_surge_capacity": f"UNCT surge capacity: “perhaps” is not one of {YES_NO}.",
    "national_actors_in_planning": "National actors in planning: “perhaps” is not one of"
    f" {YES_NO}.",
    "dimensions": "Dimensions: “naval” is not one of political, military, police, humanitarian,"
    " development, human_rights, rule_of_law.",
    "conflicting_imperatives": f"Conflicting imperatives: “perhaps” is not one of {YES_NO}.",
    "unct_programmes": f"UNCT already runs programmes: “perhaps” is not one of {YES_NO}.",
    "funding_source": "Funding source: “lottery” is not one of assessed, pooled,"
    " voluntary_pledged, voluntary_unpledged.",
    "necessity": "Remove the invisible character U+000B at position 9: reports cannot hold it.",
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
    # French puts a no-break space before the colon and inside the quotes
    expected = "Phase : « war » ne fait pas partie des valeurs admises : ".replace(" :", "\u00a0:")
    assert message.startswith(expected.replace("« ", "«\u00a0").replace(" »", "\u00a0»"))
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


# --- every fact of the table, through the edit form and onto the detail page -----------------


def _another_value(spec, current, context: dict):
    """A valid value of `spec` other than `current` that contradicts no fact of `context`."""
    if spec.kind == "bool":
        return not current
    if spec.kind == "text":
        return "Only one programme links its four components."
    if spec.kind == "int_or_null":
        return 6 if current is None else None
    if spec.kind == "set":
        return [spec.choices[0]] if list(current) != [spec.choices[0]] else [spec.choices[1]]
    return next(
        choice
        for choice in spec.choices
        if choice != current and not context_contradictions({**context, spec.name: choice})
    )


def _cells(page: str, function_label: str) -> list[str]:
    """The cells of one function's row in the detail page's functions table."""
    row = re.search(rf'<th scope="row">{re.escape(function_label)}.*?</tr>', page, re.S)
    assert row is not None, function_label
    return [cell.strip() for cell in re.findall(r"<td>(.*?)</td>", row.group(), re.S)]


@pytest.fixture
def planner_client(client, binub_planner):
    client.login(username=binub_planner.username, password=PASSWORD)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    "spec", [*CONTEXT_FACT_SPECS, *FUNCTION_FACT_SPECS], ids=lambda spec: spec.path
)
def test_each_fact_round_trips_through_the_edit_form_and_shows_on_the_detail_page(
    planner_client, binub_assessment, spec
):
    # given an assessment and one of its facts
    context = {name: getattr(binub_assessment, name) for name in CONTEXT_FACTS}
    ddr = binub_assessment.function_assessments.get(function__code="ddr")
    in_context = spec.path.startswith("context.")
    holder, prefix = (binub_assessment, "context") if in_context else (ddr, "ddr")
    value = _another_value(spec, getattr(holder, spec.name), context)
    # when the planner changes that one fact in the edit form
    data = form_data(binub_assessment)
    key = f"{prefix}-{spec.name}"
    data.pop(key, None)
    if value is not False:
        data[key] = "on" if value is True else ("" if value is None else value)
    response = planner_client.post(reverse("assessment-edit", args=[binub_assessment.pk]), data)
    # then it is saved
    assert response.status_code == 302
    holder.refresh_from_db()
    assert getattr(holder, spec.name) == value
    # and the edit page offers it again
    edit = planner_client.get(reverse("assessment-edit", args=[binub_assessment.pk]))
    assert f'name="{key}"' in edit.content.decode()
    # and the detail page shows it under its label, as the table's rows read it
    page = planner_client.get(reverse("assessment-detail", args=[binub_assessment.pk]))
    page = page.content.decode()
    (fact,) = fact_rows(holder, [spec])
    label = capfirst(str(fact.label))
    if fact.kind == "bool":
        shown = "yes" if fact.value else "no"
    else:
        shown = "—" if fact.display is None else str(fact.display)
    if in_context:
        assert f"<dt>{label}</dt><dd>{shown}</dd>" in page
    else:
        headings = re.findall(r'<th scope="col">(.*?)</th>', page)
        column = headings.index(label) - 1  # the first heading is the function's
        with translation.override("en"):
            name = function_label(ddr.function)
        assert _cells(page, name)[column] == shown


@pytest.mark.django_db
def test_the_detail_page_reads_every_fact_without_a_query_per_fact(
    planner_client, binub_assessment, django_assert_num_queries
):
    url = reverse("assessment-detail", args=[binub_assessment.pk])
    # session, user, the assessment with its mission and authors, its function rows with their
    # functions (prefetched), whether the planner may edit it, review comments, overrides, its
    # scenarios (the user's roles come with the user): none per fact, per function row or per
    # column of the functions table
    with django_assert_num_queries(8):
        planner_client.get(url)
    # and as many with scenarios listed on it
    for n in range(3):
        Scenario.objects.create(
            assessment=binub_assessment,
            name=f"Option {n}",
            changes={"context": {"agency_service_agreements": bool(n % 2)}},
        )
    with django_assert_num_queries(8):
        page = planner_client.get(url).content.decode()
    assert all(f"Option {n}" in page for n in range(3))
