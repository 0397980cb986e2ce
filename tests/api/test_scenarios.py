"""/api/v1/assessments/{id}/scenarios/: every role, If-Match (428, 412), apply with its history
entry, validation naming the field, the comparison, and query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Assessment, FunctionAssessment, HistoryEntry, Scenario
from assessments.scenario_services import scenario_create
from tests.api.conftest import ROLES

pytestmark = pytest.mark.django_db

ALL_READ = dict.fromkeys(ROLES, 200) | {"anonymous": 401}
# Writes to BINUB's scenarios: its planner (and their write token) and admins.
BINUB_WRITE = {
    "anonymous": 401,
    "planner": 200,
    "other_planner": 403,
    "viewer": 403,
    "hq_reviewer": 403,
    "admin": 200,
    "read_token": 403,
    "write_token": 200,
}
NO_POOLED_FUND = {"context": {"pooled_fund": False}}


@pytest.fixture
def scenario(binub_assessment, binub_planner, rulebook):
    return scenario_create(
        assessment_id=binub_assessment.pk,
        by=binub_planner,
        name="No pooled fund",
        note="If the donors do not renew it",
        changes=NO_POOLED_FUND,
    )


def _list_url(assessment) -> str:
    return reverse("api:assessment-scenario-list", kwargs={"id": assessment.pk})


def _url(scenario, name: str = "detail") -> str:
    return reverse(
        f"api:assessment-scenario-{name}",
        kwargs={"id": scenario.assessment_id, "scenario_id": scenario.pk},
    )


def _comparison_url(assessment, ids: str | None = None) -> str:
    url = reverse("api:assessment-scenario-comparison", kwargs={"id": assessment.pk})
    return url if ids is None else f"{url}?ids={ids}"


@pytest.mark.parametrize("role", ROLES)
def test_every_signed_in_role_reads_scenarios_and_their_comparison(role, as_role, scenario):
    client = as_role(role)
    statuses = {
        "list": client.get(_list_url(scenario.assessment)).status_code,
        "detail": client.get(_url(scenario)).status_code,
        "comparison": client.get(_comparison_url(scenario.assessment)).status_code,
    }
    assert statuses == dict.fromkeys(statuses, ALL_READ[role])


def test_a_scenario_reads_with_its_etag_and_the_rulebook_it_is_evaluated_under(
    as_role, scenario, binub_planner, rulebook
):
    response = as_role("viewer").get(_url(scenario))
    assert response["ETag"] == f'"s{scenario.pk}.v1"'
    body = response.json()
    assert {key: body[key] for key in ("name", "note", "changes", "version")} == {
        "name": "No pooled fund",
        "note": "If the donors do not renew it",
        "changes": {"context": {"pooled_fund": False}, "functions": {}},
        "version": 1,
    }
    assert body["rulebook_version"] == rulebook.version
    assert (body["created_by"], body["updated_by"]) == (binub_planner.username,) * 2
    assert {"id", "assessment", "created_at", "updated_at"} <= set(body)
    # and a copy still current costs nothing to fetch again
    again = as_role("viewer").get(_url(scenario), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


@pytest.mark.parametrize("role", ROLES)
def test_creating_a_binub_scenario_answers_each_role_as_expected(
    role, as_role, binub_assessment, rulebook
):
    response = as_role(role).post(
        _list_url(binub_assessment),
        {"name": "Transition", "changes": {"context": {"phase": "transition"}}},
        format="json",
    )
    expected = {200: 201}.get(BINUB_WRITE[role], BINUB_WRITE[role])
    assert response.status_code == expected, response.content
    assert Scenario.objects.count() == (1 if expected == 201 else 0)
    if expected == 201:
        created = Scenario.objects.get()
        assert response["Location"].endswith(f"/scenarios/{created.pk}/")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_changing_a_binub_scenario_answers_each_role_as_expected(role, method, as_role, scenario):
    body = {"name": "Renamed", "changes": {}} if method != "delete" else None
    response = getattr(as_role(role), method)(
        _url(scenario), body, format="json", HTTP_IF_MATCH=f'"s{scenario.pk}.v1"'
    )
    expected = BINUB_WRITE[role]
    if method == "delete" and expected == 200:
        expected = 204
    assert response.status_code == expected, response.content
    left = Scenario.objects.filter(pk=scenario.pk).first()
    if expected == 204:
        assert left is None
    else:
        assert left.version == (2 if expected == 200 else 1)


@pytest.mark.parametrize("role", ROLES)
def test_applying_a_binub_scenario_answers_each_role_as_expected(
    role, as_role, scenario, binub_assessment
):
    response = as_role(role).post(
        _url(scenario, "apply"), HTTP_IF_MATCH=f'"a{binub_assessment.pk}.v1"'
    )
    assert response.status_code == BINUB_WRITE[role], response.content
    binub_assessment.refresh_from_db()
    assert binub_assessment.pooled_fund is (BINUB_WRITE[role] != 200)


def test_applying_copies_the_changes_and_records_a_history_entry(
    as_role, scenario, binub_assessment, binub_planner
):
    # when BINUB's planner applies the scenario to the draft
    response = as_role("planner").post(
        _url(scenario, "apply"), HTTP_IF_MATCH=f'"a{binub_assessment.pk}.v1"'
    )
    # then the answer is the assessment with the scenario's facts, and its new ETag
    assert response.status_code == 200
    assert response["ETag"] == f'"a{binub_assessment.pk}.v2"'
    assert response.json()["context"]["pooled_fund"] is False
    entry = HistoryEntry.objects.get(assessment=binub_assessment, action="scenario_applied")
    assert entry.actor == binub_planner
    assert entry.changes == {"pooled_fund": [True, False], "scenario": "No pooled fund"}


def test_writes_without_if_match_are_refused_with_428(as_role, scenario):
    planner = as_role("planner")
    answers = [
        planner.put(_url(scenario), {"name": "x", "changes": {}}, format="json"),
        planner.patch(_url(scenario), {"note": "x"}, format="json"),
        planner.delete(_url(scenario)),
        planner.post(_url(scenario, "apply")),
    ]
    assert [answer.status_code for answer in answers] == [428] * 4
    assert Scenario.objects.get().version == 1


def test_writes_from_a_stale_version_are_refused_with_412(as_role, scenario, binub_assessment):
    # given someone renamed the scenario (version 2) and saved the assessment (version 2)
    planner = as_role("planner")
    stale = f'"s{scenario.pk}.v1"'
    assert (
        planner.patch(
            _url(scenario), {"name": "Theirs"}, format="json", HTTP_IF_MATCH=stale
        ).status_code
        == 200
    )
    Assessment.objects.filter(pk=binub_assessment.pk).update(version=2)
    # when the planner writes from what they read before
    patch = planner.patch(_url(scenario), {"name": "Mine"}, format="json", HTTP_IF_MATCH=stale)
    delete = planner.delete(_url(scenario), HTTP_IF_MATCH=stale)
    apply = planner.post(_url(scenario, "apply"), HTTP_IF_MATCH=f'"a{binub_assessment.pk}.v1"')
    # then each is refused, naming the current version
    assert [patch.status_code, delete.status_code, apply.status_code] == [412, 412, 412]
    assert f'"s{scenario.pk}.v2"' in patch.json()["detail"]
    assert Scenario.objects.get().name == "Theirs"


def test_scenarios_of_a_submitted_assessment_are_read_only(as_role, scenario, binub_assessment):
    Assessment.objects.filter(pk=binub_assessment.pk).update(status="submitted")
    planner = as_role("planner")
    created = planner.post(
        _list_url(binub_assessment), {"name": "Other", "changes": {}}, format="json"
    )
    patched = planner.patch(
        _url(scenario), {"note": "x"}, format="json", HTTP_IF_MATCH=f'"s{scenario.pk}.v1"'
    )
    assert [created.status_code, patched.status_code] == [409, 409]
    # reading still works
    assert planner.get(_url(scenario)).status_code == 200


def test_validation_errors_name_the_field_at_fault(as_role, binub_assessment, scenario):
    planner = as_role("planner")
    response = planner.post(
        _list_url(binub_assessment),
        {
            "name": "No pooled fund",  # taken
            "changes": {
                "context": {"weather": "fine"},
                "functions": {"ddr": {"funding_source": "lottery"}},
            },
        },
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"name", "changes.context.weather"}
    response = planner.post(
        _list_url(binub_assessment),
        {"name": "Lottery", "changes": {"functions": {"ddr": {"funding_source": "lottery"}}}},
        format="json",
    )
    assert list(response.json()["errors"]) == ["changes.functions.ddr.funding_source"]
    response = planner.post(
        _list_url(binub_assessment), {"name": "x", "changes": [], "colour": 1}, format="json"
    )
    assert set(response.json()["errors"]) == {"changes", "colour"}


def test_the_comparison_shows_what_moved_against_the_baseline(
    as_role, binub_assessment, binub_planner, rulebook
):
    # given BINUB's draft with agency service agreements and common services, and a scenario
    # without either
    scenario = scenario_create(
        assessment_id=binub_assessment.pk,
        by=binub_planner,
        name="No administrative link",
        note="",
        changes={"context": {"agency_service_agreements": False, "common_services": False}},
    )
    # when a viewer compares them
    response = as_role("viewer").get(_comparison_url(binub_assessment, str(scenario.pk)))
    assert response.status_code == 200
    body = response.json()
    assert body["rulebook_version"] == rulebook.version
    assert [column["scenario"] for column in body["columns"]] == [None, scenario.pk]
    assert body["columns"][1]["name"] == "No administrative link"
    assert len(body["rows"]) == 12 * 3  # every function of the mandate, at every level
    # then administration barriers appear at the administrative level, and feasibility there
    # falls wherever the degree called for is above parallel
    administrative = [row["cells"][1] for row in body["rows"] if row["level"] == "administrative"]
    assert any(cell["feasible_moved"] for cell in administrative)
    for cell in administrative:
        if cell["degree"] != "parallel":
            assert cell["feasible_degree"] == "parallel"
            added = {barrier["category"] for barrier in cell["barriers_added"]}
            assert added == {"administration"}
    assert all(not row["cells"][0]["moved"] for row in body["rows"])


def test_the_comparison_refuses_foreign_or_too_many_ids(as_role, scenario, unmis):
    viewer = as_role("viewer")
    assert viewer.get(_comparison_url(scenario.assessment, "1,2,3,4")).status_code == 400
    assert viewer.get(_comparison_url(scenario.assessment, "abc")).status_code == 400
    foreign = viewer.get(_comparison_url(scenario.assessment, str(scenario.pk + 1000)))
    assert list(foreign.json()["errors"]) == ["ids"]
    assert viewer.get(_comparison_url(scenario.assessment) + "x").status_code == 404


def _count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_list_and_the_comparison_make_the_same_queries_for_1_and_3_scenarios(
    as_role, scenario, binub_assessment, binub_planner
):
    client = as_role("viewer")
    list_url = _list_url(binub_assessment)
    # list: the assessment (visible?), the published rulebook, count, page of scenarios with
    # their authors
    assert _count_queries(client, list_url) == 4
    # comparison: the assessment, its scenarios with authors, its function rows, the rulebook
    comparison = _count_queries(client, _comparison_url(binub_assessment))
    for name in ("Second", "Third"):
        scenario_create(
            assessment_id=binub_assessment.pk,
            by=binub_planner,
            name=name,
            note="",
            changes={"functions": {"ddr": {"conflicting_imperatives": True}}},
        )
    assert _count_queries(client, list_url) == 4
    assert _count_queries(client, _comparison_url(binub_assessment)) == comparison


def test_function_facts_change_through_the_api(as_role, binub_assessment, rulebook):
    response = as_role("planner").post(
        _list_url(binub_assessment),
        {
            "name": "DDR voluntary",
            "changes": {"functions": {"ddr": {"funding_source": "voluntary_pledged"}}},
        },
        format="json",
    )
    assert response.status_code == 201
    assert (
        FunctionAssessment.objects.get(
            assessment=binub_assessment, function__code="ddr"
        ).funding_source
        == "assessed"
    )  # the draft itself is unchanged until applied


def test_the_comparison_reads_in_the_requests_language(as_role, binub_assessment, binub_planner):
    # given a scenario that puts administration barriers in BINUB's way
    scenario = scenario_create(
        assessment_id=binub_assessment.pk,
        by=binub_planner,
        name="Sans accords",
        note="",
        changes={"context": {"agency_service_agreements": False}},
    )
    # when a French reader compares it
    response = as_role("viewer").get(
        _comparison_url(binub_assessment, str(scenario.pk)), HTTP_ACCEPT_LANGUAGE="fr"
    )
    # then the engine's texts are in French, the codes unchanged
    added = [
        barrier for row in response.json()["rows"] for barrier in row["cells"][1]["barriers_added"]
    ]
    assert added
    assert {barrier["category"] for barrier in added} == {"administration"}
    explanations = " ".join(barrier["explanation"] for barrier in added)
    assert "accords de services entre organismes" in explanations
    assert "agency service agreements" not in explanations
