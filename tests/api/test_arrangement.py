"""The humanitarian arrangement through the API (domain.md §4, P7): stored with each evaluation,
served by the integration profile and the recommendations endpoint as POST /evaluate/ answers it,
and documented in the committed schema."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import Evaluation
from tests import factories
from tests.api.conftest import evaluate_context

pytestmark = pytest.mark.django_db

PROFILE = "api:mission-integration-profile"
SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
OPEN_COMBAT = {"force_posture": "open_combat", "conflict_level": "high", "phase": "peacekeeping"}


@pytest.fixture
def in_open_combat(binub, binub_planner, rulebook):
    """BINUB's assessment with forces in open combat and a triple-hatted HC, submitted."""
    assessment = factories.AssessmentFactory(mission=binub, **OPEN_COMBAT)
    return services.assessment_submit(
        assessment_id=assessment.pk, by=binub_planner, expected_version=1
    )


def _two_feet_out(arrangement: dict) -> None:
    assert arrangement["arrangement"] == "two_feet_out"
    assert arrangement["rules"][0]["id"] == "p7-arrangement-two-feet-out-open-combat"
    assert arrangement["rules"][0]["principle"] == "P7"
    assert "UN or coalition forces are in open combat" in arrangement["rules"][0]["explanation"]
    assert arrangement["rules"][1]["explanation"].startswith(
        "Set aside in favour of p7-arrangement-two-feet-out-open-combat: "
    )
    risks = [risk["id"] for risk in arrangement["risks"]]
    assert "p7-risk-triple-hatted-hc-beside-fighting-force" in risks


def test_the_profile_names_the_arrangement_its_rules_and_its_risks(as_role, in_open_combat):
    viewer = as_role("viewer")
    body = viewer.get(reverse(PROFILE, args=["BINUB"])).json()
    _two_feet_out(body["humanitarian_arrangement"])
    # as of a day, the same: it is stored with the evaluation standing then
    as_of = f"?as_of={timezone.localdate().isoformat()}"
    past = viewer.get(reverse(PROFILE, args=["BINUB"]) + as_of).json()
    assert past["humanitarian_arrangement"] == body["humanitarian_arrangement"]


def test_the_stored_arrangement_is_what_evaluate_answers_for_the_same_facts(
    as_role, in_open_combat
):
    planner = as_role("planner")
    stored = planner.get(reverse(PROFILE, args=["BINUB"])).json()["humanitarian_arrangement"]
    context = evaluate_context() | OPEN_COMBAT
    answer = planner.post("/api/v1/evaluate/", {"context": context}, format="json").json()
    _two_feet_out(answer["humanitarian_arrangement"])
    assert answer["humanitarian_arrangement"] == stored


def test_the_recommendations_endpoint_carries_the_arrangement(as_role, in_open_combat):
    url = reverse("api:assessment-recommendations", args=[in_open_combat.pk])
    assert url == f"/api/v1/assessments/{in_open_combat.pk}/recommendations/"
    body = as_role("viewer").get(url).json()
    _two_feet_out(body["humanitarian_arrangement"])


def test_an_evaluation_under_a_rulebook_that_decides_none_shows_null(as_role, in_open_combat):
    # as one stored under 2007.3 reads
    Evaluation.objects.filter(pk=in_open_combat.current_evaluation_id).update(
        humanitarian_arrangement=None
    )
    body = as_role("viewer").get(reverse(PROFILE, args=["BINUB"])).json()
    assert body["humanitarian_arrangement"] is None
    assert len(body["recommendations"]) == 12


def test_a_peacebuilding_mission_at_peace_is_two_feet_in_through_evaluate(as_role, rulebook):
    # §V: "where peacekeepers are not using force, direct association is less of a risk"
    context = evaluate_context()  # peacebuilding, no force posture, a triple-hatted HC
    answer = as_role("planner").post("/api/v1/evaluate/", {"context": context}, format="json")
    assert answer.status_code == 200
    arrangement = answer.json()["humanitarian_arrangement"]
    assert arrangement["arrangement"] == "two_feet_in"
    assert arrangement["rules"][0]["id"] == "p7-arrangement-two-feet-in"


def test_the_committed_schema_documents_the_arrangement_on_every_answer():
    components = yaml.safe_load(SCHEMA.read_text())["components"]["schemas"]
    arrangement = "#/components/schemas/HumanitarianArrangement"
    assert set(components["HumanitarianArrangement"]["properties"]) == {
        "arrangement",
        "rules",
        "risks",
    }
    # stored answers: always present, null where the rulebook decides none
    for name in ("IntegrationProfile", "AssessmentRecommendations"):
        field = components[name]["properties"]["humanitarian_arrangement"]
        assert field["allOf"] == [{"$ref": arrangement}], name
        assert field["nullable"] is True, name
        assert "humanitarian_arrangement" in components[name]["required"], name
    # POST /evaluate/: absent under a rulebook that decides none
    field = components["Decision"]["properties"]["humanitarian_arrangement"]
    assert arrangement in str(field)
    assert "humanitarian_arrangement" not in components["Decision"]["required"]
