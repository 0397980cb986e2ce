"""Missions and their integration profiles through the API."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import review_services, services
from tests import factories
from tests.api.helpers import missions_evaluated_ensure, recommendation_override_add

pytestmark = pytest.mark.django_db

PROFILE = "api:mission-integration-profile"


@pytest.fixture(params=["built", "cached"])
def viewer_api(request, as_role):
    """A viewer's client; every test runs twice: answers built on each request, and answers
    kept in the shared Redis until a write (integration/api/read_cache.py), which must then
    show each change the tests make on their next read."""
    if request.param == "cached":
        request.getfixturevalue("shared_redis_on")
    return as_role("viewer")


@pytest.fixture
def viewer_api_built(as_role):
    """A viewer's client with no shared Redis: every answer is built, so queries are counted."""
    return as_role("viewer")


def _assessment(mission, *, as_of, phase="peacebuilding", status="draft", by=None, reviewer=None):
    """An assessment of `mission` on `as_of`, taken through the services to `status`."""
    assessment = factories.AssessmentFactory(mission=mission, as_of=as_of, phase=phase)
    if status in ("submitted", "approved"):
        assessment = services.assessment_submit(
            assessment_id=assessment.pk, by=by, expected_version=1
        )
    if status == "approved":
        assessment = review_services.assessment_approve(
            assessment_id=assessment.pk, by=reviewer, expected_version=assessment.version
        )
    return assessment


# --- the list -------------------------------------------------------------------------------


def test_the_mission_list_is_paginated_with_count_next_previous_results(viewer_api, binub):
    for n in range(3):
        factories.MissionFactory(acronym=f"M{n}")
    body = viewer_api.get(reverse("api:mission-list") + "?page_size=2").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 5  # with BINUB and UNMIS
    assert body["previous"] is None
    assert "page=2" in body["next"]
    assert [m["acronym"] for m in body["results"]] == ["BINUB", "M0"]
    last = viewer_api.get(reverse("api:mission-list") + "?page_size=2&page=3").json()
    assert [m["acronym"] for m in last["results"]] == ["UNMIS"]
    assert last["next"] is None


def test_the_phase_filter_uses_the_latest_assessment(viewer_api, binub, unmis):
    # given BINUB moved from peacekeeping to transition, UNMIS is in peacekeeping
    factories.AssessmentFactory(mission=binub, as_of=dt.date(2006, 1, 1), phase="peacekeeping")
    factories.AssessmentFactory(mission=binub, as_of=dt.date(2007, 4, 26), phase="transition")
    factories.AssessmentFactory(mission=unmis, as_of=dt.date(2007, 4, 26), phase="peacekeeping")
    url = reverse("api:mission-list")
    # when filtering by phase
    peacekeeping = viewer_api.get(url + "?phase=peacekeeping").json()["results"]
    transition = viewer_api.get(url + "?phase=transition").json()["results"]
    # then only the latest assessment's phase counts
    assert [m["acronym"] for m in peacekeeping] == ["UNMIS"]
    assert [m["acronym"] for m in transition] == ["BINUB"]
    assert transition[0]["latest_assessment"]["phase"] == "transition"


def test_the_mission_list_gives_the_latest_approved_assessment_beside_the_latest(
    viewer_api, binub, unmis
):
    # given BINUB approved in 2007, then returned in 2008; UNMIS only submitted
    approved = factories.AssessmentFactory(
        mission=binub, as_of=dt.date(2007, 4, 26), status="approved", functions=False
    )
    returned = factories.AssessmentFactory(
        mission=binub, as_of=dt.date(2008, 1, 1), phase="transition", status="returned"
    )
    factories.AssessmentFactory(mission=unmis, status="submitted", functions=False)
    # when listing missions
    rows = {m["acronym"]: m for m in viewer_api.get(reverse("api:mission-list")).json()["results"]}
    # then the approved answer and the newest one are told apart, each with its status
    assert rows["BINUB"]["latest_approved_assessment"] == {
        "id": approved.pk,
        "as_of": "2007-04-26",
        "status": "approved",
        "phase": "peacebuilding",
    }
    assert rows["BINUB"]["latest_assessment"]["id"] == returned.pk
    assert rows["BINUB"]["latest_assessment"]["status"] == "returned"
    assert rows["UNMIS"]["latest_approved_assessment"] is None
    assert rows["UNMIS"]["latest_assessment"]["status"] == "submitted"


def test_on_the_same_date_the_newer_assessment_is_the_latest(viewer_api, binub):
    factories.AssessmentFactory(mission=binub, as_of=dt.date(2007, 4, 26), phase="peacekeeping")
    factories.AssessmentFactory(mission=binub, as_of=dt.date(2007, 4, 26), phase="transition")
    url = reverse("api:mission-list") + "?phase=transition"
    assert [m["acronym"] for m in viewer_api.get(url).json()["results"]] == ["BINUB"]


def test_the_mission_list_filters_by_presence_type_and_country_and_searches(viewer_api, binub):
    factories.MissionFactory(acronym="UNMEE", country="Ethiopia", presence_type="observer_mission")
    factories.MissionFactory(acronym="MONUC", name="Mission in the DRC", country="DR Congo")
    url = reverse("api:mission-list")

    def acronyms(query: str) -> list[str]:
        return [m["acronym"] for m in viewer_api.get(url + query).json()["results"]]

    assert acronyms("?presence_type=observer_mission") == ["UNMEE"]
    assert acronyms("?country=ethiopia") == ["UNMEE"]
    assert acronyms("?q=drc") == ["MONUC"]
    assert acronyms("?ordering=-acronym") == ["UNMIS", "UNMEE", "MONUC", "BINUB"]
    assert acronyms("?ordering=country") == ["MONUC", "UNMEE", "BINUB", "UNMIS"]


def test_invalid_filters_are_400_naming_the_filter(viewer_api, binub):
    response = viewer_api.get(reverse("api:mission-list") + "?phase=war&presence_type=navy")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"phase", "presence_type"}


def test_a_mission_shows_its_entities_and_assessments(viewer_api, binub):
    factories.MissionEntityFactory(
        mission=binub, entity=factories.UNEntityFactory(acronym="UNDP"), role="unct_member"
    )
    factories.AssessmentFactory(mission=binub)
    body = viewer_api.get(reverse("api:mission-detail", args=["BINUB"])).json()
    assert body["entities"] == [
        {"acronym": "UNDP", "name": "Entity UNDP", "kind": "fund_programme", "role": "unct_member"}
    ]
    assert len(body["assessments"]) == 1
    assert viewer_api.get(reverse("api:mission-detail", args=["NOPE"])).status_code == 404


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


def test_the_mission_list_makes_the_same_queries_for_5_and_200_missions(viewer_api_built):
    viewer_api = viewer_api_built
    url = reverse("api:mission-list") + "?page_size=200&phase=peacekeeping&ordering=-latest_as_of"
    missions_evaluated_ensure(5)
    # count; the page of missions with their latest and latest approved assessments (subqueries)
    assert _queries(viewer_api, url) == 2
    missions_evaluated_ensure(200)
    assert viewer_api.get(url).json()["count"] == 200  # BINUB and UNMIS have no assessment
    assert _queries(viewer_api, url) == 2


def _overridden(client, url: str) -> dict[tuple[str, str], str]:
    """(function, level) → the override's author, in the profile at `url`."""
    return {
        (item["function"], level): answer["override"]["author"]
        for item in client.get(url).json()["recommendations"]
        for level, answer in item["levels"].items()
        if answer["override"]
    }


def test_the_profile_makes_the_same_queries_with_one_assessment_and_with_a_long_history(
    viewer_api_built, binub, binub_planner, hq_reviewer, rulebook
):
    viewer_api = viewer_api_built
    today = reverse(PROFILE, args=["BINUB"])
    as_of = today + f"?as_of={timezone.localdate().isoformat()}"
    # given BINUB's one assessment, submitted and evaluated once, no overrides, among 5 missions
    missions_evaluated_ensure(5)
    current = _assessment(
        binub, as_of=dt.date(2007, 4, 26), status="submitted", by=binub_planner
    )  # fmt: skip
    # 1. the mission; 2. the assessment with its current evaluation and rulebook (with as_of:
    # the evaluation standing then, with its assessment and rulebook; the status on that day
    # and the newest evaluation by then are subqueries); 3. the evaluation's recommendations
    # with their functions; 4. the overrides with their authors (with as_of: the overrides'
    # history with its actors)
    assert (_queries(viewer_api, today), _queries(viewer_api, as_of)) == (4, 4)

    # when BINUB has older approved assessments; and, while the current one awaits review, it
    # is evaluated twice more and two reviewers override three functions (one twice) before
    # it is approved; among 200 missions
    other_reviewer = factories.hq_reviewer_create(username="hq-second")
    for year in (2005, 2006):
        older = _assessment(binub, as_of=dt.date(year, 1, 1), status="submitted", by=binub_planner)
        recommendation_override_add(older, "ssr", "strategic", "parallel", by=hq_reviewer)
        review_services.assessment_approve(
            assessment_id=older.pk, by=hq_reviewer, expected_version=2
        )
    for _ in range(2):
        services.assessment_evaluate(assessment_id=current.pk)
    recommendation_override_add(current, "ssr", "strategic", "partial", by=hq_reviewer)
    recommendation_override_add(current, "ssr", "strategic", "parallel", by=other_reviewer)
    recommendation_override_add(current, "ddr", "programmatic", "partial", by=hq_reviewer)
    recommendation_override_add(
        current, "elections", "administrative", "parallel", by=other_reviewer
    )
    review_services.assessment_approve(assessment_id=current.pk, by=hq_reviewer, expected_version=2)
    missions_evaluated_ensure(200)

    # then the profile shows them all, and costs the same four queries
    expected = {
        ("ssr", "strategic"): "hq-second",
        ("ddr", "programmatic"): "hq-reviewer",
        ("elections", "administrative"): "hq-second",
    }
    assert _overridden(viewer_api, today) == _overridden(viewer_api, as_of) == expected
    assert (_queries(viewer_api, today), _queries(viewer_api, as_of)) == (4, 4)


# --- the integration profile ---------------------------------------------------------------


def test_the_profile_shows_the_approved_assessments_recommendations(
    viewer_api, approved_assessment
):
    response = viewer_api.get(reverse(PROFILE, args=["BINUB"]))
    assert response.status_code == 200
    body = response.json()
    assert body["approved"] is True
    assert body["assessment"]["id"] == approved_assessment.pk
    assert body["rulebook"] == {"name": "default", "version": "2008.1"}
    assert len(body["recommendations"]) == 12
    ddr = next(item for item in body["recommendations"] if item["function"] == "ddr")
    assert set(ddr) == {"function", "lead", "levels", "barriers"}
    assert set(ddr["levels"]["strategic"]) == {"degree", "feasible_degree", "rules", "override"}


def test_the_profile_falls_back_to_the_latest_submitted_flagged_not_approved(
    viewer_api, submitted_assessment
):
    body = viewer_api.get(reverse(PROFILE, args=["BINUB"])).json()
    assert body["approved"] is False
    assert body["assessment"]["status"] == "submitted"


def test_an_approved_assessment_wins_over_a_newer_submitted_one(
    viewer_api, binub, binub_planner, hq_reviewer, rulebook
):
    approved = _assessment(
        binub, as_of=dt.date(2007, 1, 1), status="approved", by=binub_planner, reviewer=hq_reviewer
    )
    _assessment(binub, as_of=dt.date(2008, 1, 1), status="submitted", by=binub_planner)
    body = viewer_api.get(reverse(PROFILE, args=["BINUB"])).json()
    assert (body["assessment"]["id"], body["approved"]) == (approved.pk, True)


@contextmanager
def _on(day: dt.date):
    """Everything done inside happens at noon on `day` (created_at, history, evaluations)."""
    noon = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    with mock.patch("django.utils.timezone.now", return_value=noon):
        yield


def test_as_of_gives_the_profile_as_it_stood_at_the_end_of_that_day(
    viewer_api, binub, binub_planner, hq_reviewer, rulebook
):
    # given an assessment dated 26 April, submitted on 1 May; in review, HQ set SSR's strategic
    # degree to partial on 3 May, and on 5 May, after a re-evaluation, a second reviewer
    # changed SSR to full and overrode DDR; approved on 10 May. And a later one dated 15 May,
    # submitted on 20 May, approved on 1 July
    other_reviewer = factories.hq_reviewer_create(username="hq-second")
    with _on(dt.date(2007, 5, 1)):
        april = _assessment(binub, as_of=dt.date(2007, 4, 26), status="submitted", by=binub_planner)
    with _on(dt.date(2007, 5, 3)):
        recommendation_override_add(april, "ssr", "strategic", "partial", by=hq_reviewer)
    with _on(dt.date(2007, 5, 5)):
        services.assessment_evaluate(assessment_id=april.pk, trigger="reevaluate")
        recommendation_override_add(april, "ssr", "strategic", "full", by=other_reviewer)
        recommendation_override_add(april, "ddr", "programmatic", "partial", by=other_reviewer)
    with _on(dt.date(2007, 5, 10)):
        review_services.assessment_approve(
            assessment_id=april.pk, by=hq_reviewer, expected_version=2
        )
    with _on(dt.date(2007, 5, 20)):
        may = _assessment(binub, as_of=dt.date(2007, 5, 15), status="submitted", by=binub_planner)
    with _on(dt.date(2007, 7, 1)):
        review_services.assessment_approve(assessment_id=may.pk, by=hq_reviewer, expected_version=2)
    first, second = april.evaluations.order_by("id")

    def profile(as_of: str):
        response = viewer_api.get(reverse(PROFILE, args=["BINUB"]) + f"?as_of={as_of}")
        if response.status_code != 200:
            return response.status_code
        body = response.json()
        overrides = {
            (item["function"], level): (answer["override"]["degree"], answer["override"]["author"])
            for item in body["recommendations"]
            for level, answer in item["levels"].items()
            if answer["override"]
        }
        assessment = body["assessment"]
        return assessment["id"], assessment["status"], body["evaluation"]["id"], overrides

    # when asking for each date, then each sees only what had happened by the end of that day
    assert profile("2007-04-30") == 404  # dated, not yet submitted
    assert profile("2007-05-01") == (april.pk, "submitted", first.pk, {})
    assert profile("2007-05-03") == (
        april.pk, "submitted", first.pk, {("ssr", "strategic"): ("partial", "hq-reviewer")}
    )  # fmt: skip
    both = {("ssr", "strategic"): ("full", "hq-second"),
            ("ddr", "programmatic"): ("partial", "hq-second")}  # fmt: skip
    assert profile("2007-05-05") == (april.pk, "submitted", second.pk, both)
    assert profile("2007-05-10") == (april.pk, "approved", second.pk, both)
    # the May assessment is submitted, not approved: the approved April one still wins
    assert profile("2007-05-31") == (april.pk, "approved", second.pk, both)
    assert profile("2007-07-01")[:3] == (may.pk, "approved", may.current_evaluation_id)
    response = viewer_api.get(reverse(PROFILE, args=["BINUB"]) + "?as_of=2007-05-01")
    assert (response.json()["approved"], response.json()["requested_as_of"]) == (
        False,
        "2007-05-01",
    )


def test_as_of_leaves_out_assessments_dated_after_it(
    viewer_api, binub, binub_planner, hq_reviewer, rulebook
):
    # given an assessment dated 1 September, prepared and approved ahead, on 1 July
    with _on(dt.date(2007, 7, 1)):
        ahead = _assessment(
            binub, as_of=dt.date(2007, 9, 1), status="approved", by=binub_planner,
            reviewer=hq_reviewer,
        )  # fmt: skip
    url = reverse(PROFILE, args=["BINUB"])
    # then the profile shows it from its date on, not from its approval
    assert viewer_api.get(url + "?as_of=2007-08-31").status_code == 404
    assert viewer_api.get(url + "?as_of=2007-09-01").json()["assessment"]["id"] == ahead.pk


def test_a_returned_assessment_leaves_the_profile_until_it_is_submitted_again(
    viewer_api, binub, binub_planner, hq_reviewer, rulebook
):
    with _on(dt.date(2007, 5, 1)):
        returned = _assessment(
            binub, as_of=dt.date(2007, 4, 26), status="submitted", by=binub_planner
        )
    with _on(dt.date(2007, 5, 2)):
        review_services.assessment_return(
            assessment_id=returned.pk, by=hq_reviewer, expected_version=2, comment="Sources?"
        )
    url = reverse(PROFILE, args=["BINUB"])
    assert viewer_api.get(url + "?as_of=2007-05-01").json()["assessment"]["status"] == "submitted"
    assert viewer_api.get(url + "?as_of=2007-05-02").status_code == 404


def test_an_invalid_as_of_is_400(viewer_api, approved_assessment):
    response = viewer_api.get(reverse(PROFILE, args=["BINUB"]) + "?as_of=yesterday")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"as_of"}


def test_a_mission_without_a_submitted_assessment_has_no_profile(viewer_api, binub_assessment):
    response = viewer_api.get(reverse(PROFILE, args=["BINUB"]))
    assert response.status_code == 404
    assert "BINUB" in response.json()["detail"]


def test_the_profile_carries_cache_control_and_an_etag_and_answers_304(
    viewer_api, approved_assessment, hq_reviewer
):
    url = reverse(PROFILE, args=["BINUB"])
    first = viewer_api.get(url)
    assert first["Cache-Control"] == "private, max-age=60"
    assert "Authorization" in first["Vary"]
    assert viewer_api.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    # when HQ overrides a recommendation, the profile (and its ETag) change
    review_services.recommendation_override(
        assessment_id=approved_assessment.pk, by=hq_reviewer, function_code="ssr",
        level="strategic", degree="partial", justification="Sequencing with the elections.",
    )  # fmt: skip
    second = viewer_api.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert second["ETag"] != first["ETag"]
    ssr = next(i for i in second.json()["recommendations"] if i["function"] == "ssr")
    assert ssr["levels"]["strategic"]["override"]["degree"] == "partial"
