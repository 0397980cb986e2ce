"""facts_from_dict: the API body in, validated facts out, every error naming its field."""

from __future__ import annotations

import copy
from dataclasses import fields

import pytest
from hypothesis import given, settings

from integration.engine import (
    DEFAULT_FUNDING_SOURCE,
    FACT_SPECS,
    Context,
    FactError,
    FunctionFacts,
    facts_from_dict,
    facts_to_dict,
)
from integration.engine.facts import (
    CONTEXT_CONTRADICTIONS,
    CONTEXT_FACT_SPECS,
    CONTEXT_FACTS,
    FUNCTION_FACT_SPECS,
    FUNCTION_FACTS,
)
from integration.engine.vocabulary import FUNCTIONS, FUNCTIONS_BY_CODE

from .strategies import facts
from .test_cases import BINUB


def body(**changes) -> dict:
    data = {"context": dict(BINUB), "functions": [{"function": "ddr"}]}
    data.update(changes)
    return data


def error_for(data: dict) -> FactError:
    with pytest.raises(FactError) as caught:
        facts_from_dict(data)
    return caught.value


def test_omitted_functions_mean_all_twelve_with_catalogue_dimensions() -> None:
    result = facts_from_dict({"context": BINUB})
    assert [f.function for f in result.functions] == [spec.code for spec in FUNCTIONS]
    for item in result.functions:
        assert set(item.dimensions) == set(FUNCTIONS_BY_CODE[item.function].default_dimensions)


def test_omitted_function_facts_take_documented_defaults() -> None:
    (ddr,) = facts_from_dict(body()).functions
    assert ddr.dimensions == ("political", "military", "humanitarian", "development")
    assert ddr.conflicting_imperatives is False
    assert ddr.unct_programmes is False
    assert ddr.funding_source == DEFAULT_FUNDING_SOURCE == "assessed"
    assert ddr.desired_impact == ""


def test_dimensions_are_stored_in_vocabulary_order() -> None:
    data = body(functions=[{"function": "ddr", "dimensions": ["development", "political"]}])
    assert facts_from_dict(data).functions[0].dimensions == ("political", "development")


@pytest.mark.parametrize(
    ("mutate", "path", "hint"),
    [
        (lambda d: d["context"].update(phase="war"), "context.phase", "peacebuilding"),
        (lambda d: d["context"].pop("phase"), "context.phase", "is required"),
        (lambda d: d["context"].update(unct_present="yes"), "context.unct_present", "true, false"),
        (lambda d: d["context"].update(colour="blue"), "context.colour", "unknown field"),
        (
            lambda d: d["context"].update(drawdown_within_months=-1),
            "context.drawdown_within_months",
            "null",
        ),
        (
            lambda d: d["context"].update(drawdown_within_months=True),
            "context.drawdown_within_months",
            "null",
        ),
        (lambda d: d.update(extra=1), "extra", "allowed fields: context, functions"),
        (lambda d: d.pop("context"), "context", "is required"),
        (lambda d: d.update(functions={}), "functions", "must be a list"),
        (lambda d: d.update(functions=[]), "functions", "at least one"),
        (
            lambda d: d["functions"].append({"function": "ddr"}),
            "functions[1].function",
            "duplicate",
        ),
        (lambda d: d["functions"].append({"function": "fishing"}), "functions[1].function", "ssr"),
        (
            lambda d: d["functions"].append({"dimensions": []}),
            "functions[1].function",
            "is required",
        ),
        (
            lambda d: d["functions"].append({"function": "ssr", "funding_source": "gift"}),
            "functions[1].funding_source",
            "voluntary_unpledged",
        ),
        (
            lambda d: d["functions"].append({"function": "ssr", "dimensions": ["navy"]}),
            "functions[1].dimensions",
            "rule_of_law",
        ),
        (
            lambda d: d["functions"].append({"function": "ssr", "dimensions": []}),
            "functions[1].dimensions",
            "at least one",
        ),
        (
            lambda d: d["functions"].append(
                {"function": "ssr", "dimensions": ["police", "police"]}
            ),
            "functions[1].dimensions",
            "twice",
        ),
        (
            lambda d: d["functions"].append({"function": "ssr", "unct_programmes": 1}),
            "functions[1].unct_programmes",
            "true, false",
        ),
        (
            lambda d: d["functions"].append({"function": "ssr", "budget": 1}),
            "functions[1].budget",
            "unknown field",
        ),
    ],
)
def test_errors_name_the_field_and_the_allowed_values(mutate, path, hint) -> None:
    data = copy.deepcopy(body())
    mutate(data)
    error = error_for(data)
    assert error.path == path
    assert hint in error.message
    assert str(error).startswith(f"{path}: ")


def test_dataclasses_validate_on_construction() -> None:
    with pytest.raises(FactError, match=r"context\.force_posture"):
        Context(**{**BINUB, "force_posture": "siege"})
    with pytest.raises(FactError, match=r"function\.funding_source"):
        FunctionFacts("ddr", funding_source="gift")


@settings(max_examples=200, deadline=None)
@given(facts(applicable=None))
def test_round_trip_through_the_dict_form_is_exact(given_facts) -> None:
    again = facts_from_dict(facts_to_dict(given_facts))
    assert again == given_facts
    assert facts_to_dict(again) == facts_to_dict(given_facts)


def test_the_fact_table_names_exactly_the_fields_of_the_fact_dataclasses() -> None:
    # The table is what the web layer reads; the dataclasses are what the engine reads.
    assert tuple(field.name for field in fields(Context)) == CONTEXT_FACTS
    function_fields = tuple(field.name for field in fields(FunctionFacts))
    assert function_fields == ("function", *FUNCTION_FACTS, "desired_impact")


OPTIONAL_SPECS = [spec for spec in (*CONTEXT_FACT_SPECS, *FUNCTION_FACT_SPECS) if spec.optional]


def test_the_facts_of_rulebook_2008_1_are_in_the_table_as_optional_facts() -> None:
    # domain.md §3: six context facts came after the first release, and per function the
    # planner's necessity (P2); each is optional with a default that means "not stated".
    assert [spec.path for spec in OPTIONAL_SPECS] == [
        "context.military_perceived_partial",
        "context.humanitarian_access_constrained",
        "context.common_strategic_framework",
        "context.joint_monitoring",
        "context.unct_surge_capacity",
        "context.national_actors_in_planning",
        "function.necessity",
    ]
    assert [spec.default for spec in OPTIONAL_SPECS] == [False] * 6 + [""]


@pytest.mark.parametrize("spec", OPTIONAL_SPECS, ids=lambda spec: spec.path)
def test_an_optional_fact_left_out_takes_its_default_and_stays_out_of_the_dict_form(spec) -> None:
    group = "context" if spec.path.startswith("context.") else "functions"
    data = body()
    read = facts_from_dict(data)
    holder = read.context if group == "context" else read.functions[0]
    assert getattr(holder, spec.name) == spec.default
    written = facts_to_dict(read)
    assert spec.name not in (written["context"] if group == "context" else written["functions"][0])


@pytest.mark.parametrize("spec", OPTIONAL_SPECS, ids=lambda spec: spec.path)
def test_an_optional_fact_given_is_read_and_written_back(spec) -> None:
    value = True if spec.kind == "bool" else "Only one programme links its four components."
    data = copy.deepcopy(body())
    if spec.path.startswith("context."):
        data["context"][spec.name] = value
        assert facts_to_dict(facts_from_dict(data))["context"][spec.name] == value
    else:
        data["functions"][0][spec.name] = value
        assert facts_to_dict(facts_from_dict(data))["functions"][0][spec.name] == value


@pytest.mark.parametrize("spec", OPTIONAL_SPECS, ids=lambda spec: spec.path)
def test_an_optional_fact_of_the_wrong_type_is_refused_naming_it(spec) -> None:
    data = copy.deepcopy(body())
    if spec.path.startswith("context."):
        data["context"][spec.name] = "yes"
        path = spec.path
    else:
        data["functions"][0][spec.name] = 1
        path = f"functions[0].{spec.name}"
    assert error_for(data).path == path


def test_every_contradiction_names_two_facts_of_the_table() -> None:
    for first, value, second, other, _reason in CONTEXT_CONTRADICTIONS:
        assert {first, second} <= set(CONTEXT_FACTS)
        assert value in (*FACT_SPECS[f"context.{first}"].choices, True, False)
        assert other in (*FACT_SPECS[f"context.{second}"].choices, True, False)


def test_every_fact_of_the_table_has_a_label_and_every_enum_its_vocabulary() -> None:
    for spec in (*CONTEXT_FACT_SPECS, *FUNCTION_FACT_SPECS):
        assert spec.label, spec.path
        if spec.kind in ("enum", "set"):
            assert spec.choices == tuple(value for value, _label in spec.vocabulary), spec.path
        if spec.default is not None:
            assert spec.kind != "enum" or spec.default in spec.choices, spec.path
