"""Assessments through the API: nested facts, ETag on reads, If-Match on writes."""

from __future__ import annotations

import copy

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.api.serializers import AssessmentSerializer
from assessments.facts import CONTEXT_FACT_SPECS, FUNCTION_FACT_SPECS
from assessments.models import Assessment, HistoryEntry
from tests import factories

pytestmark = pytest.mark.django_db


def _url(assessment: Assessment) -> str:
    return reverse("api:assessment-detail", args=[assessment.pk])


def _etag(assessment: Assessment, version: int | None = None) -> str:
    return f'"a{assessment.pk}.v{version or assessment.version}"'


@pytest.fixture
def planner(as_role):
    return as_role("planner")


def test_reading_an_assessment_gives_nested_facts_and_an_etag(planner, binub_assessment):
    response = planner.get(_url(binub_assessment))
    assert response.status_code == 200
    assert response["ETag"] == _etag(binub_assessment)
    body = response.json()
    assert body["mission"] == "BINUB"
    assert set(body["context"]) == {
        "presence_type", "unct_present", "phase", "conflict_level", "force_posture",
        "host_consent", "national_capacity", "hc_triple_hatted", "pooled_fund",
        "donors_in_planning", "agency_service_agreements", "common_services",
        "regional_partner", "drawdown_within_months", "military_perceived_partial",
        "humanitarian_access_constrained", "common_strategic_framework", "joint_monitoring",
        "unct_surge_capacity", "national_actors_in_planning",
    }  # fmt: skip
    ddr = next(item for item in body["functions"] if item["function"] == "ddr")
    assert ddr["dimensions"] == ["political", "military", "humanitarian", "development"]
    assert ddr["funding_source"] == "assessed"
    assert ddr["necessity"] == ""


def test_a_read_with_the_current_etag_is_304(planner, binub_assessment):
    response = planner.get(_url(binub_assessment), HTTP_IF_NONE_MATCH=_etag(binub_assessment))
    assert response.status_code == 304
    assert response.content == b""


def test_a_write_with_the_current_etag_succeeds_and_returns_the_next_one(
    planner, binub_assessment, binub_planner
):
    # given the ETag a planner read
    etag = planner.get(_url(binub_assessment))["ETag"]
    # when they change the phase and one function's funding with If-Match
    response = planner.patch(
        _url(binub_assessment),
        {"context": {"phase": "transition"}, "functions": [{"function": "ddr",
                                                             "funding_source": "pooled"}]},
        format="json",
        HTTP_IF_MATCH=etag,
    )  # fmt: skip
    # then it is saved through the service: new version, new ETag, a history entry
    assert response.status_code == 200, response.json()
    assert response["ETag"] == _etag(binub_assessment, 2)
    binub_assessment.refresh_from_db()
    assert binub_assessment.phase == "transition"
    assert binub_assessment.function_assessments.get(function__code="ddr").funding_source == (
        "pooled"
    )
    entry = HistoryEntry.objects.get(assessment=binub_assessment, action="saved")
    assert entry.actor == binub_planner
    assert entry.changes["phase"] == ["peacebuilding", "transition"]


def test_a_write_with_a_stale_etag_is_412_and_changes_nothing(planner, binub_assessment):
    # given someone saved after the caller read version 1
    planner.patch(_url(binub_assessment), {"notes": "first"}, format="json",
                  HTTP_IF_MATCH=_etag(binub_assessment, 1))  # fmt: skip
    # when the caller writes with version 1
    response = planner.patch(
        _url(binub_assessment), {"notes": "second"}, format="json",
        HTTP_IF_MATCH=_etag(binub_assessment, 1),
    )  # fmt: skip
    # then 412, in the error format, and the first save stands
    assert response.status_code == 412
    assert response.json()["code"] == "precondition_failed"
    binub_assessment.refresh_from_db()
    assert (binub_assessment.notes, binub_assessment.version) == ("first", 2)


def test_a_write_without_if_match_is_428(planner, binub_assessment):
    for method in ("put", "patch"):
        response = getattr(planner, method)(_url(binub_assessment), {"notes": "x"}, format="json")
        assert response.status_code == 428, method
        assert response.json()["code"] == "precondition_required"
    submit = planner.post(reverse("api:assessment-submit", args=[binub_assessment.pk]))
    assert submit.status_code == 428
    binub_assessment.refresh_from_db()
    assert binub_assessment.version == 1


def test_if_match_star_or_another_assessments_etag_does_not_pass(planner, binub_assessment):
    other = factories.AssessmentFactory(mission=binub_assessment.mission)
    star = planner.patch(_url(binub_assessment), {"notes": "x"}, format="json", HTTP_IF_MATCH="*")
    assert star.status_code == 428
    foreign = planner.patch(
        _url(binub_assessment), {"notes": "x"}, format="json", HTTP_IF_MATCH=_etag(other, 1)
    )
    assert foreign.status_code == 412


def test_a_stale_version_found_only_under_the_lock_is_412(
    planner, binub_assessment, binub_planner, monkeypatch
):
    # given the early check passes but a concurrent save lands before the service's lock
    from assessments import services

    real_update = services.assessment_update

    def racing_update(**kwargs):
        real_update(**kwargs | {"context": {"notes": "concurrent"}, "functions": {}})
        return real_update(**kwargs)

    monkeypatch.setattr(services, "assessment_update", racing_update)
    response = planner.patch(
        _url(binub_assessment), {"notes": "mine"}, format="json",
        HTTP_IF_MATCH=_etag(binub_assessment),
    )  # fmt: skip
    assert response.status_code == 412
    binub_assessment.refresh_from_db()
    assert binub_assessment.notes == "concurrent"


def test_put_needs_every_field(planner, binub_assessment):
    response = planner.put(
        _url(binub_assessment), {"notes": "x"}, format="json", HTTP_IF_MATCH=_etag(binub_assessment)
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {"as_of", "context", "functions"} <= set(errors)


def test_put_accepts_back_what_a_get_returned(planner, binub_assessment):
    body = planner.get(_url(binub_assessment)).json()
    body["context"]["conflict_level"] = "high"
    response = planner.put(
        _url(binub_assessment), body, format="json", HTTP_IF_MATCH=_etag(binub_assessment)
    )
    assert response.status_code == 200, response.json()
    assert response.json()["context"]["conflict_level"] == "high"


OPTIONAL_SPECS = [spec for spec in (*CONTEXT_FACT_SPECS, *FUNCTION_FACT_SPECS) if spec.optional]


def _stated(spec) -> bool | str:
    """A value that states an optional fact (its default means "not stated")."""
    return True if spec.kind == "bool" else "Only one programme links its four components."


def _holder(body: dict, spec) -> dict:
    """Where `spec` sits in an assessment body: the context, or the first function."""
    return body["context"] if spec.path.startswith("context.") else body["functions"][0]


def _with(body: dict, spec, value) -> dict:
    """`body` with the optional fact `spec` set to `value` (None: left out)."""
    _holder(body, spec).pop(spec.name, None)
    if value is not None:
        _holder(body, spec)[spec.name] = value
    return body


@pytest.mark.parametrize("spec", OPTIONAL_SPECS, ids=lambda spec: spec.path)
def test_an_optional_fact_round_trips_and_a_put_without_it_gives_its_default(
    planner, binub_assessment, spec
):
    # given a planner who read the assessment, when they PUT it back stating the fact
    read = planner.get(_url(binub_assessment)).json()
    stated = planner.put(
        _url(binub_assessment),
        _with(copy.deepcopy(read), spec, _stated(spec)),
        format="json",
        HTTP_IF_MATCH=_etag(binub_assessment),
    )
    # then the answer and the next read show it
    assert stated.status_code == 200, stated.json()
    assert _holder(planner.get(_url(binub_assessment)).json(), spec)[spec.name] == _stated(spec)
    # when a PATCH leaves it out, it stays
    patched = planner.patch(
        _url(binub_assessment), {"notes": "kept"}, format="json", HTTP_IF_MATCH=stated["ETag"]
    )
    assert patched.status_code == 200, patched.json()
    assert _holder(patched.json(), spec)[spec.name] == _stated(spec)
    # when a PUT leaves it out (a client that predates it), it is the documented default
    put = planner.put(
        _url(binub_assessment),
        _with(copy.deepcopy(read), spec, None),
        format="json",
        HTTP_IF_MATCH=patched["ETag"],
    )
    assert put.status_code == 200, put.json()
    assert _holder(put.json(), spec)[spec.name] == spec.default


def test_unknown_fields_and_values_are_400_naming_the_field(planner, binub_assessment):
    response = planner.patch(
        _url(binub_assessment),
        {
            "context": {"phase": "war", "colour": "blue", "unct_present": "yes"},
            "functions": [{"function": "ddr", "dimensions": ["political", "magic"]},
                          {"function": "teleport"}],
        },
        format="json",
        HTTP_IF_MATCH=_etag(binub_assessment),
    )  # fmt: skip
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {
        "context.colour",
        "context.phase",
        "context.unct_present",
        "functions[0].dimensions[1]",
        "functions[1].function",
    }
    assert errors["context.colour"] == ["Unknown field."]


def test_a_function_listed_twice_is_400(planner, binub_assessment):
    response = planner.patch(
        _url(binub_assessment),
        {"functions": [{"function": "ddr"}, {"function": "ddr"}]},
        format="json",
        HTTP_IF_MATCH=_etag(binub_assessment),
    )
    assert response.status_code == 400
    assert "functions" in response.json()["errors"]


def test_moving_an_assessment_to_another_mission_is_refused(planner, binub_assessment, unmis):
    response = planner.patch(
        _url(binub_assessment), {"mission": "UNMIS"}, format="json",
        HTTP_IF_MATCH=_etag(binub_assessment),
    )  # fmt: skip
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"mission"}


def test_involved_entities_are_named_by_acronym(planner, binub_assessment):
    factories.UNEntityFactory(acronym="UNDP")
    response = planner.patch(
        _url(binub_assessment),
        {"functions": [{"function": "ddr", "involved_entities": ["UNDP", "NOPE"]}]},
        format="json",
        HTTP_IF_MATCH=_etag(binub_assessment),
    )
    assert response.status_code == 400
    assert "NOPE" in response.json()["errors"]["functions[0].involved_entities"][0]
    response = planner.patch(
        _url(binub_assessment),
        {"functions": [{"function": "ddr", "involved_entities": ["UNDP"]}]},
        format="json",
        HTTP_IF_MATCH=_etag(binub_assessment),
    )
    ddr = next(f for f in response.json()["functions"] if f["function"] == "ddr")
    assert ddr["involved_entities"] == ["UNDP"]


def test_creating_prefills_from_the_previous_assessment_and_applies_the_body(
    planner, binub_assessment
):
    response = planner.post(
        reverse("api:assessment-list"),
        {"mission": "BINUB", "as_of": "2008-01-15", "context": {"conflict_level": "high"}},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert response["Location"].endswith(f"/api/v1/assessments/{body['id']}/")
    assert response["ETag"] == f'"a{body["id"]}.v{body["version"]}"'
    assert body["as_of"] == "2008-01-15"
    assert body["status"] == "draft"
    assert body["context"]["conflict_level"] == "high"
    assert body["context"]["phase"] == binub_assessment.phase  # prefilled
    assert len(body["functions"]) == 12


def test_creating_needs_a_known_mission(planner, binub_assessment):
    missing = planner.post(reverse("api:assessment-list"), {}, format="json")
    assert missing.status_code == 400
    assert set(missing.json()["errors"]) == {"mission"}
    unknown = planner.post(reverse("api:assessment-list"), {"mission": "NOPE"}, format="json")
    assert unknown.status_code == 400
    assert set(unknown.json()["errors"]) == {"mission"}


def test_creating_with_an_invalid_body_leaves_no_draft_behind(planner, binub_assessment):
    response = planner.post(
        reverse("api:assessment-list"),
        {"mission": "BINUB", "context": {"phase": "nowhere"}},
        format="json",
    )
    assert response.status_code == 400
    assert Assessment.objects.count() == 1


def test_a_submitted_assessment_cannot_be_changed_409(planner, submitted_assessment):
    response = planner.patch(
        _url(submitted_assessment), {"notes": "late"}, format="json",
        HTTP_IF_MATCH=_etag(submitted_assessment),
    )  # fmt: skip
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"


def test_submitting_computes_recommendations(planner, binub_assessment, rulebook):
    response = planner.post(
        reverse("api:assessment-submit", args=[binub_assessment.pk]),
        HTTP_IF_MATCH=_etag(binub_assessment),
    )
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"
    assert response["ETag"] == _etag(binub_assessment, 2)
    recommendations = planner.get(
        reverse("api:assessment-recommendations", args=[binub_assessment.pk])
    ).json()
    assert recommendations["rulebook"]["version"] == "2008.1"
    assert len(recommendations["recommendations"]) == 12


def test_submitting_without_every_desired_impact_names_the_missing_ones(
    planner, binub_assessment, rulebook
):
    binub_assessment.function_assessments.filter(function__code="ssr").update(desired_impact="")
    response = planner.post(
        reverse("api:assessment-submit", args=[binub_assessment.pk]),
        HTTP_IF_MATCH=_etag(binub_assessment),
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"functions.ssr.desired_impact"}


def test_recommendations_show_rules_barriers_what_if_and_overrides(
    planner, approved_assessment, hq_reviewer
):
    # given an HQ override of DDR's programmatic degree
    from assessments.review_services import recommendation_override

    recommendation_override(
        assessment_id=approved_assessment.pk, by=hq_reviewer, function_code="ddr",
        level="programmatic", degree="partial", justification="Donors will not fund it.",
    )  # fmt: skip
    # when the recommendations are read
    body = planner.get(
        reverse("api:assessment-recommendations", args=[approved_assessment.pk])
    ).json()
    # then the engine's answer and the override sit side by side
    ddr = next(item for item in body["recommendations"] if item["function"] == "ddr")
    assert list(ddr["levels"]) == ["strategic", "programmatic", "administrative"]
    programmatic = ddr["levels"]["programmatic"]
    assert programmatic["degree"] == "full"
    assert programmatic["override"]["degree"] == "partial"
    assert programmatic["override"]["author"] == hq_reviewer.username
    assert ddr["levels"]["strategic"]["override"] is None
    assert all(rule.keys() == {"id", "principle", "explanation"} for rule in programmatic["rules"])
    assert all(barrier["remedy"] for barrier in ddr["barriers"])
    assert isinstance(ddr["what_if"], list)


def test_a_draft_never_evaluated_has_no_recommendations_404(planner, binub_assessment):
    response = planner.get(reverse("api:assessment-recommendations", args=[binub_assessment.pk]))
    assert response.status_code == 404


def test_the_assessment_list_filters_by_mission_and_status(planner, approved_assessment, unmis):
    factories.AssessmentFactory(mission=unmis)
    url = reverse("api:assessment-list")
    assert planner.get(url).json()["count"] == 2
    assert [a["mission"] for a in planner.get(url + "?mission=unmis").json()["results"]] == [
        "UNMIS"
    ]
    assert planner.get(url + "?status=approved").json()["count"] == 1
    assert planner.get(url + "?status=bogus").status_code == 400


def _count_list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("api:assessment-list") + "?page_size=200")
    assert response.status_code == 200
    return len(queries)


def test_the_assessment_list_makes_the_same_queries_for_1_and_20_assessments(
    as_role, binub_assessment
):
    client = as_role("viewer")
    # count, page of assessments with missions, function rows with functions, their entities
    assert _count_list_queries(client) == 4
    for _ in range(19):
        factories.AssessmentFactory(mission=binub_assessment.mission)
    assert _count_list_queries(client) == 4
    assert AssessmentSerializer  # the serializer that reads only prefetched rows


def test_an_as_of_date_before_1948_is_refused_naming_the_field(planner, binub_assessment):
    response = planner.post(
        reverse("api:assessment-list"),
        {"mission": "BINUB", "as_of": "1900-01-01"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"]["as_of"] == [
        "As of: 1900-01-01 is too early; the date must be 1948-01-01 or later."
    ]
    assert Assessment.objects.filter(mission__acronym="BINUB").count() == 1
