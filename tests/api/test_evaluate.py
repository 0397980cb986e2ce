"""POST /api/v1/evaluate/: the stateless what-if, in exactly the public contract's names."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import Evaluation
from integration import engine
from integration.services import rulebook_published_get
from tests.api.test_tokens import _context

pytestmark = pytest.mark.django_db

URL = "/api/v1/evaluate/"


@pytest.fixture
def planner(as_role, rulebook):
    return as_role("planner")


def test_the_url_is_the_documented_one():
    assert reverse("api:evaluate") == URL


def test_omitting_functions_assesses_all_12_with_catalogue_defaults(planner):
    # given a context and no functions
    response = planner.post(URL, {"context": _context()}, format="json")
    # then 12 recommendations in the public shape, identical to the engine's own answer
    assert response.status_code == 200
    body = response.json()
    assert body["applicable"] is True
    assert body["rulebook"] == {"name": "default", "version": "2007.1"}
    assert len(body["recommendations"]) == 12
    first = body["recommendations"][0]
    assert set(first) == {"function", "lead", "levels", "barriers", "what_if"}
    assert set(first["levels"]) == {"strategic", "programmatic", "administrative"}
    assert set(first["levels"]["strategic"]) == {"degree", "feasible_degree", "rules"}
    _row, compiled = rulebook_published_get()
    expected = engine.decision_to_dict(
        engine.evaluate(engine.facts_from_dict({"context": _context()}), compiled, what_if=True)
    )
    assert body == expected


def test_per_function_facts_may_be_partly_omitted(planner):
    body = {
        "context": _context(),
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
    context = _context() | {"presence_type": "observer_mission"}
    body = planner.post(URL, {"context": context}, format="json").json()
    assert body["applicable"] is False
    assert body["reason"]
    assert body["recommendations"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "context"),
        ({"context": _context() | {"colour": "blue"}}, "context.colour"),
        ({"context": _context() | {"phase": "war"}}, "context.phase"),
        ({"context": {k: v for k, v in _context().items() if k != "phase"}}, "context.phase"),
        ({"context": _context() | {"unct_present": "yes"}}, "context.unct_present"),
        ({"context": _context() | {"drawdown_within_months": -1}},
         "context.drawdown_within_months"),
        ({"context": _context(), "functions": []}, "functions"),
        ({"context": _context(), "functions": [{"function": "magic"}]}, "functions[0].function"),
        (
            {"context": _context(), "functions": [{"function": "ddr"}, {"function": "ssr",
                                                                         "funding_source": "x"}]},
            "functions[1].funding_source",
        ),
        (
            {"context": _context(), "functions": [{"function": "ddr", "dimension": ["political"]}]},
            "functions[0].dimension",
        ),
        ({"context": _context(), "extra": 1}, "extra"),
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
    planner.post(URL, {"context": _context()}, format="json")
    assert not Evaluation.objects.exists()


def test_anonymous_callers_may_not_evaluate(api):
    assert api.post(URL, {"context": _context()}, format="json").status_code == 401
