"""POST /api/v1/evaluate/: the stateless what-if, in exactly the public contract's names."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Evaluation
from integration.services import DEFAULT_RULEBOOK_PATH, rulebook_create, rulebook_publish
from tests.api.conftest import evaluate_context

# Read-only: each test builds its own body from it (`CONTEXT | {...}`).
CONTEXT = evaluate_context()

pytestmark = pytest.mark.django_db

URL = "/api/v1/evaluate/"


@pytest.fixture
def planner(as_role, rulebook):
    return as_role("planner")


def test_the_url_is_the_documented_one():
    assert reverse("api:evaluate") == URL


# The catalogue of shared/domain.md §7, in its order, with each function's default dimensions:
# written out here so the defaults are checked against the contract, not against the engine.
CATALOGUE = {
    "political_process": ["political"],
    "peace_governance": ["political", "development"],
    "ddr": ["political", "military", "humanitarian", "development"],
    "ssr": ["political", "military", "police", "development"],
    "rule_of_law": ["rule_of_law", "human_rights", "development"],
    "human_rights": ["human_rights", "rule_of_law"],
    "elections": ["political", "police", "development"],
    "protection_of_civilians": ["military", "police", "humanitarian", "human_rights"],
    "humanitarian_coordination": ["humanitarian"],
    "recovery_development": ["development"],
    "quick_impact_projects": ["political", "development"],
    "national_capacity": ["development", "political"],
}


def _spelled_out(**facts) -> list[dict]:
    """Every catalogue function with the documented defaults written out (or `facts`)."""
    defaults = {"conflicting_imperatives": False, "unct_programmes": False,
                "funding_source": "assessed"}  # fmt: skip
    return [
        {"function": code, "dimensions": dimensions, **defaults, **facts}
        for code, dimensions in CATALOGUE.items()
    ]


def test_omitting_functions_assesses_all_12_in_catalogue_order(planner):
    # given a context and no functions
    response = planner.post(URL, {"context": CONTEXT}, format="json")
    # then 12 recommendations in the public shape, in the catalogue's order
    assert response.status_code == 200
    body = response.json()
    assert body["applicable"] is True
    assert body["rulebook"] == {"name": "default", "version": "2008.1"}
    assert [item["function"] for item in body["recommendations"]] == list(CATALOGUE)
    first = body["recommendations"][0]
    assert set(first) == {"function", "lead", "levels", "barriers", "what_if"}
    assert set(first["levels"]) == {"strategic", "programmatic", "administrative"}
    assert set(first["levels"]["strategic"]) == {"degree", "feasible_degree", "rules"}


def test_omitted_facts_are_the_catalogue_dimensions_false_and_assessed(planner):
    # given the same context with functions omitted, listed bare, and spelled out with the
    # documented defaults (catalogue dimensions, false, false, "assessed")
    def answer(functions: list[dict] | None) -> dict:
        body = {"context": CONTEXT} | ({} if functions is None else {"functions": functions})
        response = planner.post(URL, body, format="json")
        assert response.status_code == 200, response.json()
        return response.json()

    omitted = answer(None)
    # then all three answers are the same, byte for byte
    assert answer([{"function": code} for code in CATALOGUE]) == omitted
    assert answer(_spelled_out()) == omitted
    # and the comparison can tell: other values for those facts change the answer
    assert answer(_spelled_out(funding_source="voluntary_unpledged")) != omitted
    assert answer(_spelled_out(conflicting_imperatives=True)) != omitted
    assert answer(_spelled_out(unct_programmes=True)) != omitted
    ddr_without_military = [
        item | {"dimensions": ["political", "humanitarian", "development"]}
        if item["function"] == "ddr" else item
        for item in _spelled_out()
    ]  # fmt: skip
    assert answer(ddr_without_military) != omitted


# The facts that came with rulebook 2008.1 (domain.md §3), with their documented defaults:
# written out here, as the catalogue above, so the defaults are checked against the contract.
OPTIONAL_CONTEXT_DEFAULTS = {
    "military_perceived_partial": False,
    "humanitarian_access_constrained": False,
    "common_strategic_framework": False,
    "joint_monitoring": False,
    "unct_surge_capacity": False,
    "national_actors_in_planning": False,
}


def test_the_facts_of_2008_1_left_out_answer_as_their_documented_defaults(planner):
    # given the same context without the six later facts, and with them spelled out as false
    # and every function's necessity spelled out as empty
    def answer(context: dict, functions: list[dict] | None = None) -> dict:
        body = {"context": context} | ({} if functions is None else {"functions": functions})
        response = planner.post(URL, body, format="json")
        assert response.status_code == 200, response.json()
        return response.json()

    omitted = answer(CONTEXT)
    # then the answers are the same
    assert answer(CONTEXT | OPTIONAL_CONTEXT_DEFAULTS) == omitted
    assert answer(CONTEXT, _spelled_out(necessity="")) == omitted
    # and the comparison can tell: a stated framework, or a stated necessity, changes it
    assert answer(CONTEXT | {"common_strategic_framework": True}) != omitted
    stated = "Only one programme links the police to the justice chain."
    assert answer(CONTEXT, _spelled_out(necessity=stated)) != omitted


@pytest.mark.parametrize("fact", sorted(OPTIONAL_CONTEXT_DEFAULTS))
def test_a_fact_of_2008_1_of_the_wrong_type_is_a_400_naming_it(planner, fact):
    response = planner.post(URL, {"context": CONTEXT | {fact: "yes"}}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [f"context.{fact}"]


def test_per_function_facts_may_be_partly_omitted(planner):
    body = {
        "context": CONTEXT,
        "functions": [
            {
                "function": "ddr",
                "dimensions": ["political", "military", "development"],
                "conflicting_imperatives": False,
                "unct_programmes": True,
                "funding_source": "assessed",
            },
            {"function": "humanitarian_coordination"},
        ],
    }
    response = planner.post(URL, body, format="json")
    assert response.status_code == 200
    functions = [item["function"] for item in response.json()["recommendations"]]
    assert functions == ["ddr", "humanitarian_coordination"]


def test_an_observer_mission_is_not_applicable(planner):
    context = CONTEXT | {"presence_type": "observer_mission"}
    body = planner.post(URL, {"context": context}, format="json").json()
    assert body["applicable"] is False
    assert body["reason"]
    assert body["recommendations"] == []
    # the rulebook is named in every answer, not-applicable ones included (docs/api.md)
    assert set(body) == {"applicable", "reason", "rulebook", "recommendations"}
    assert body["rulebook"] == {"name": "default", "version": "2008.1"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "context"),
        ({"context": CONTEXT | {"colour": "blue"}}, "context.colour"),
        ({"context": CONTEXT | {"phase": "war"}}, "context.phase"),
        ({"context": {k: v for k, v in CONTEXT.items() if k != "phase"}}, "context.phase"),
        ({"context": CONTEXT | {"unct_present": "yes"}}, "context.unct_present"),
        ({"context": CONTEXT | {"drawdown_within_months": -1}},
         "context.drawdown_within_months"),
        ({"context": CONTEXT | {"drawdown_within_months": 241}},
         "context.drawdown_within_months"),
        ({"context": CONTEXT | {"drawdown_within_months": 1000}},
         "context.drawdown_within_months"),
        ({"context": CONTEXT, "functions": []}, "functions"),
        ({"context": CONTEXT, "functions": [{"function": "magic"}]}, "functions[0].function"),
        (
            {"context": CONTEXT, "functions": [{"function": "ddr"}, {"function": "ssr",
                                                                         "funding_source": "x"}]},
            "functions[1].funding_source",
        ),
        (
            {"context": CONTEXT, "functions": [{"function": "ddr", "dimension": ["political"]}]},
            "functions[0].dimension",
        ),
        ({"context": CONTEXT, "extra": 1}, "extra"),
        ([], "body"),
    ],
)  # fmt: skip
def test_anything_unknown_is_a_400_naming_the_field(planner, body, field):
    response = planner.post(URL, body, format="json")
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == "invalid"
    assert list(error["errors"]) == [field]


def test_a_body_that_is_not_json_is_refused(planner):
    assert planner.post(URL, "context=x", content_type="text/plain").status_code == 415
    broken = planner.post(URL, "{not json", content_type="application/json")
    assert broken.status_code == 400
    assert broken.json()["code"] == "parse_error"


def test_evaluating_stores_nothing(planner, binub_assessment):
    planner.post(URL, {"context": CONTEXT}, format="json")
    assert not Evaluation.objects.exists()


def test_anonymous_callers_may_not_evaluate(api):
    assert api.post(URL, {"context": CONTEXT}, format="json").status_code == 401


def test_the_drawdown_horizon_is_0_to_240_months_as_in_the_form(planner):
    context = CONTEXT
    assert (
        planner.post(
            URL, {"context": context | {"drawdown_within_months": 240}}, format="json"
        ).status_code
        == 200
    )
    refused = planner.post(
        URL, {"context": context | {"drawdown_within_months": 241}}, format="json"
    )
    (message,) = refused.json()["errors"]["context.drawdown_within_months"]
    assert "drawdown_within_months" in message
    assert "0 to 240" in message


def test_asking_the_same_again_answers_the_same_bytes_from_one_light_query(planner):
    # given a context evaluated once
    body = {"context": CONTEXT, "functions": _spelled_out()}
    first = planner.post(URL, body, format="json")
    assert first.status_code == 200
    # when the same body comes again, then the same answer, after one query: which rulebook is
    # published (its checksum is part of the memo's key)
    with CaptureQueriesContext(connection) as queries:
        again = planner.post(URL, body, format="json")
    assert again.content == first.content
    assert len(queries) == 1


def test_a_newly_published_rulebook_answers_afresh(planner, admin_user):
    body = {"context": CONTEXT}
    assert planner.post(URL, body, format="json").json()["rulebook"]["version"] == "2008.1"
    # when another version is published
    content = DEFAULT_RULEBOOK_PATH.read_text(encoding="utf-8").replace(
        'version: "2008.1"', 'version: "2099.1"', 1
    )
    assert "2099.1" in content
    rulebook_publish(rulebook_id=rulebook_create(content=content, by=admin_user).pk)
    # then the same body is answered under it
    assert planner.post(URL, body, format="json").json()["rulebook"]["version"] == "2099.1"


def test_a_necessity_is_at_most_5000_characters_as_the_schema_says(planner):
    def post(necessity: str):
        functions = [{"function": "ddr", "necessity": necessity}]
        return planner.post(URL, {"context": CONTEXT, "functions": functions}, format="json")

    assert post("x" * 5000).status_code == 200
    refused = post("x" * 5001)
    assert refused.status_code == 400
    [(field, [message])] = refused.json()["errors"].items()
    assert "necessity" in field
    assert "at most 5000 characters" in message
