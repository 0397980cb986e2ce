"""facts_from_dict: the API body in, validated facts out, every error naming its field."""

from __future__ import annotations

import copy
from dataclasses import fields

import pytest
from hypothesis import given, settings

from integration.engine import (
    DEFAULT_FUNDING_SOURCE,
    Context,
    FactError,
    FunctionFacts,
    facts_from_dict,
    facts_to_dict,
)
from integration.engine.facts import (
    ADDED_CONTEXT_FACTS,
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
    # The facts added after the first release follow, engine-only until the web layer takes them.
    assert tuple(field.name for field in fields(Context)) == CONTEXT_FACTS + ADDED_CONTEXT_FACTS
    function_fields = {field.name for field in fields(FunctionFacts)}
    assert set(FUNCTION_FACTS) == function_fields - {"function", "desired_impact", "necessity"}


def test_every_fact_of_the_table_has_a_label_and_every_enum_its_vocabulary() -> None:
    for spec in (*CONTEXT_FACT_SPECS, *FUNCTION_FACT_SPECS):
        assert spec.label, spec.path
        if spec.kind in ("enum", "set"):
            assert spec.choices == tuple(value for value, _label in spec.vocabulary), spec.path
        if spec.default is not None:
            assert spec.kind != "enum" or spec.default in spec.choices, spec.path
