"""Invariant 12 (domain.md §6): contradictory facts are refused, naming both facts, never
silently evaluated — by the engine, the edit form, the API and the loader of stored assessments."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from assessments import reevaluation, services
from assessments.models import Assessment, FunctionAssessment
from integration import engine
from integration.services import rulebook_default_ensure
from tests.api.conftest import evaluate_context
from tests.factories import PASSWORD
from tests.forms import assessment_form_data as form_data

CONTRADICTIONS = [
    # (changes to a valid context, the two paths named)
    (
        {"presence_type": "hybrid", "regional_partner": "none"},
        ("presence_type", "regional_partner"),
    ),
    (
        {"conflict_level": "none", "force_posture": "open_combat"},
        ("conflict_level", "force_posture"),
    ),
    # a fact of rulebook 2008.1 (domain.md §3): surge capacity is the UN Country Team's
    (
        {"unct_surge_capacity": True, "unct_present": False},
        ("unct_surge_capacity", "unct_present"),
    ),
]


@pytest.mark.parametrize(("changes", "names"), CONTRADICTIONS)
def test_the_engine_refuses_a_contradictory_context_naming_both_facts(changes, names):
    with pytest.raises(engine.ContradictoryFacts) as refused:
        engine.facts_from_dict({"context": evaluate_context() | changes})
    first, second = (f"context.{name}" for name in names)
    assert refused.value.paths == (first, second)
    assert first in str(refused.value)
    assert second in str(refused.value)


def test_the_engine_refuses_a_pooled_function_without_a_pooled_fund():
    context = evaluate_context() | {"pooled_fund": False}
    body = {"context": context, "functions": [{"function": "ddr", "funding_source": "pooled"}]}
    with pytest.raises(engine.ContradictoryFacts) as refused:
        engine.facts_from_dict(body)
    assert refused.value.paths == ("functions[0].funding_source", "context.pooled_fund")
    # each alone is fine
    engine.facts_from_dict({"context": context, "functions": [{"function": "ddr"}]})
    body["context"] = evaluate_context()
    engine.facts_from_dict(body)


@pytest.mark.parametrize(
    "changes",
    [
        {"presence_type": "hybrid", "regional_partner": "hybrid"},
        {"presence_type": "hybrid", "regional_partner": "cooperating"},
        {"conflict_level": "none", "force_posture": "deterrent"},
        {"conflict_level": "low", "force_posture": "open_combat"},
        # monitoring is "against" the framework (§3), yet the two are stated apart: refusing
        # one without the other would hide from what-if and levers the pair that closes both
        {"joint_monitoring": True, "common_strategic_framework": False},
        {"unct_surge_capacity": False, "unct_present": False},
    ],
)
def test_the_neighbouring_values_are_accepted(changes):
    engine.facts_from_dict({"context": evaluate_context() | changes})


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "names"), CONTRADICTIONS)
def test_the_api_answers_400_naming_both_facts(api, changes, names):
    rulebook_default_ensure()
    response = api.post(
        "/api/v1/evaluate/", {"context": evaluate_context() | changes}, format="json"
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert sorted(errors) == sorted(f"context.{name}" for name in names)
    for messages in errors.values():
        assert all(f"context.{name}" in messages[0] for name in names)


@pytest.mark.django_db
def test_the_api_names_the_function_and_the_pooled_fund(api):
    rulebook_default_ensure()
    body = {
        "context": evaluate_context() | {"pooled_fund": False},
        "functions": [{"function": "ssr"}, {"function": "ddr", "funding_source": "pooled"}],
    }
    response = api.post("/api/v1/evaluate/", body, format="json")
    assert response.status_code == 400
    assert sorted(response.json()["errors"]) == [
        "context.pooled_fund",
        "functions[1].funding_source",
    ]


@pytest.fixture
def api(binub_planner):
    client = APIClient()
    client.force_authenticate(binub_planner)
    return client


@pytest.fixture
def planner_client(client, binub_planner):
    client.login(username=binub_planner.username, password=PASSWORD)
    return client


def _errors(response, prefix: str, field: str) -> list[str]:
    form = response.context["context_form"]
    if prefix == "context":
        return form.errors.get(field, [])
    forms = {row.function.code: f for row, f in response.context["function_forms"]}
    return forms[prefix].errors.get(field, [])


@pytest.mark.django_db
def test_the_form_puts_the_contradiction_on_both_context_fields(planner_client, binub_assessment):
    url = reverse("assessment-edit", args=[binub_assessment.pk])
    data = form_data(
        binub_assessment,
        **{"context-conflict_level": "none", "context-force_posture": "open_combat"},
    )
    with translation.override("en"):
        response = planner_client.post(url, data)
    assert response.status_code == 400
    message = (
        "Conflict level contradicts force posture: forces in open combat mean there is conflict."
    )
    assert _errors(response, "context", "conflict_level") == [message]
    assert _errors(response, "context", "force_posture") == [message]
    binub_assessment.refresh_from_db()
    assert binub_assessment.version == 1


def _posted(changes: dict) -> dict:
    """Context changes as the edit form posts them: a ticked box "on", an unticked one absent."""
    return {
        f"context-{name}": ("on" if value else None) if isinstance(value, bool) else value
        for name, value in changes.items()
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "names"), CONTRADICTIONS)
def test_the_form_names_both_fields_of_every_contradiction(
    planner_client, binub_assessment, changes, names
):
    url = reverse("assessment-edit", args=[binub_assessment.pk])
    with translation.override("en"):
        response = planner_client.post(url, form_data(binub_assessment, **_posted(changes)))
    assert response.status_code == 400
    first, second = (_errors(response, "context", name) for name in names)
    assert first == second
    assert len(first) == 1
    # "UNCT surge capacity contradicts UNCT present: …"
    assert " contradicts " in first[0]
    for name in names:
        label = str(Assessment._meta.get_field(name).verbose_name)
        assert label.lower() in first[0].lower()
    binub_assessment.refresh_from_db()
    assert binub_assessment.version == 1


@pytest.mark.django_db
def test_the_form_puts_pooled_funding_without_a_fund_on_the_function_and_the_fund(
    planner_client, binub_assessment
):
    url = reverse("assessment-edit", args=[binub_assessment.pk])
    row = binub_assessment.function_assessments.filter(in_mandate=True).first()
    code = row.function.code
    data = form_data(
        binub_assessment, **{"context-pooled_fund": None, f"{code}-funding_source": "pooled"}
    )
    with translation.override("en"):
        response = planner_client.post(url, data)
    assert response.status_code == 400
    assert _errors(response, code, "funding_source")
    assert "contradicts" in _errors(response, code, "funding_source")[0]
    assert _errors(response, "context", "pooled_fund") == _errors(response, code, "funding_source")
    binub_assessment.refresh_from_db()
    assert binub_assessment.version == 1


@pytest.mark.django_db
def test_the_form_names_both_fields_in_french(planner_client, binub_assessment):
    url = reverse("assessment-edit", args=[binub_assessment.pk])
    data = form_data(
        binub_assessment,
        **{"context-presence_type": "hybrid", "context-regional_partner": "none"},
    )
    with translation.override("fr"):
        response = planner_client.post(url, data, HTTP_ACCEPT_LANGUAGE="fr")
        message = _errors(response, "context", "presence_type")[0]
    assert response.status_code == 400
    assert "contredit" in message


@pytest.mark.django_db
def test_reevaluate_lists_a_stored_contradictory_assessment_and_skips_it(binub_assessment):
    rulebook = rulebook_default_ensure()
    first = services.assessment_evaluate(assessment_id=binub_assessment.pk)
    # stored before the invariant was enforced (written past the form and the engine)
    Assessment.objects.filter(pk=binub_assessment.pk).update(
        conflict_level="none", force_posture="open_combat"
    )
    result = reevaluation.assessments_reevaluate(rulebook=rulebook, dry_run=False)
    assert [failure.assessment_id for failure in result.failed] == [binub_assessment.pk]
    binub_assessment.refresh_from_db()
    assert binub_assessment.current_evaluation_id == first.pk

    out, err = io.StringIO(), io.StringIO()
    call_command("reevaluate", "--dry-run", "--no-progress", stdout=out, stderr=err)
    assert f"assessment {binub_assessment.pk} not re-evaluated" in err.getvalue()
    assert "context.conflict_level" in err.getvalue()
    assert "context.force_posture" in err.getvalue()
    assert "1 could not be evaluated" in out.getvalue()


@pytest.mark.django_db
def test_reevaluate_skips_a_stored_pooled_function_without_a_fund(binub_assessment):
    rulebook = rulebook_default_ensure()
    services.assessment_evaluate(assessment_id=binub_assessment.pk)
    Assessment.objects.filter(pk=binub_assessment.pk).update(pooled_fund=False)
    FunctionAssessment.objects.filter(assessment=binub_assessment, in_mandate=True).update(
        funding_source="pooled"
    )
    result = reevaluation.assessments_reevaluate(rulebook=rulebook, dry_run=True)
    assert len(result.failed) == 1
    assert "context.pooled_fund" in result.failed[0].reason
