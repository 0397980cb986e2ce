"""Profiles and mission lists kept rendered in Redis until a write (integration/api/read_cache.py).

tests/api/test_missions.py runs every profile and list test with and without the cache; these
add what only the cache has: no query while nothing changed, the same bytes as a built answer,
and the writes that send no model signal of their own.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services
from assessments.reevaluation import assessments_reevaluate
from integration.services import rulebook_published_get
from tests import factories
from tests.api.helpers import missions_evaluated_ensure, recommendation_override_add

pytestmark = pytest.mark.django_db

PROFILE = reverse("api:mission-integration-profile", args=["BINUB"])
LIST = reverse("api:mission-list") + "?page_size=50"


@pytest.fixture
def viewer_api(as_role):
    return as_role("viewer")


def _read(client, url: str, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    return response, len(queries)


@pytest.mark.parametrize("missions", [5, 200])
def test_a_stored_profile_and_list_are_read_without_a_query(
    viewer_api, approved_assessment, shared_redis_on, missions
):
    # given N missions, the profile and the list read once (and so stored)
    missions_evaluated_ensure(missions)
    first_profile, _ = _read(viewer_api, PROFILE)
    first_list, _ = _read(viewer_api, LIST)
    # when they are read again, then no query is made, and a revalidation is a 304
    profile, profile_queries = _read(viewer_api, PROFILE)
    listing, list_queries = _read(viewer_api, LIST)
    not_modified, revalidation_queries = _read(
        viewer_api, PROFILE, HTTP_IF_NONE_MATCH=first_profile["ETag"]
    )
    assert (profile_queries, list_queries, revalidation_queries) == (0, 0, 0)
    assert (profile.content, listing.content) == (first_profile.content, first_list.content)
    assert not_modified.status_code == 304


def test_a_stored_answer_has_the_bytes_and_etag_of_a_built_one(
    viewer_api, approved_assessment, settings, redis_url, request
):
    # given the profile and the list as built without a cache
    built_profile = viewer_api.get(PROFILE)
    built_list = viewer_api.get(LIST)
    # when the shared Redis stores them and they are read from it
    request.getfixturevalue("shared_redis_on")
    viewer_api.get(PROFILE), viewer_api.get(LIST)
    stored_profile, queries = _read(viewer_api, PROFILE)
    stored_list, _ = _read(viewer_api, LIST)
    # then the answers are the same, byte for byte, headers included
    assert queries == 0
    assert stored_profile.content == built_profile.content
    assert stored_list.content == built_list.content
    for header in ("ETag", "Cache-Control", "Vary", "Content-Type"):
        assert stored_profile[header] == built_profile[header], header
    assert stored_list["Content-Type"] == built_list["Content-Type"]


def test_a_bulk_reevaluation_retires_stored_profiles(
    viewer_api, approved_assessment, shared_redis_on
):
    # given BINUB's profile, stored
    before = viewer_api.get(PROFILE).json()
    # when every assessment is re-evaluated in bulk (COPY and one UPDATE: no model signals)
    rulebook, _ = rulebook_published_get()
    result = assessments_reevaluate(rulebook=rulebook, dry_run=False)
    assert result.failed == []
    # then the profile shows the new evaluation
    after = viewer_api.get(PROFILE).json()
    assert after["evaluation"]["id"] != before["evaluation"]["id"]
    assert after["evaluation"]["trigger"] == "reevaluate"


def test_a_renamed_override_author_shows_in_the_stored_profile(
    viewer_api, approved_assessment, hq_reviewer, shared_redis_on
):
    recommendation_override_add(approved_assessment, "ssr", "strategic", "partial", by=hq_reviewer)
    assert "hq-reviewer" in viewer_api.get(PROFILE).content.decode()
    hq_reviewer.username = "hq-renamed"
    hq_reviewer.save()
    assert "hq-renamed" in viewer_api.get(PROFILE).content.decode()


def test_a_new_draft_and_a_renamed_mission_show_in_the_stored_list(
    viewer_api, binub, binub_planner, shared_redis_on
):
    def binub_row() -> dict:
        results = viewer_api.get(LIST).json()["results"]
        return next(row for row in results if row["acronym"] == "BINUB")

    assert binub_row()["latest_assessment"] is None
    draft = services.assessment_create(mission=binub, by=binub_planner, as_of=dt.date(2008, 1, 1))
    assert binub_row()["latest_assessment"]["id"] == draft.pk
    binub.name = "Bureau intégré des Nations Unies au Burundi"
    binub.save()
    assert binub_row()["name"] == binub.name


def test_a_mission_added_is_in_the_stored_list(viewer_api, binub, shared_redis_on):
    assert viewer_api.get(LIST).json()["count"] == 2  # BINUB and UNMIS (conftest)
    factories.MissionFactory(acronym="MINURCAT")
    assert viewer_api.get(LIST).json()["count"] == 3


def _revalidated(client, etag: str):
    """The profile asked with `etag`: a 304 while it is current, else the new profile."""
    return _read(client, PROFILE, HTTP_IF_NONE_MATCH=etag)


def test_every_change_to_the_profile_changes_its_etag_and_the_304_costs_no_query(
    viewer_api, approved_assessment, hq_reviewer, shared_redis_on
):
    # given BINUB's profile, stored, and its revalidation: a 304 without a query
    etags = [viewer_api.get(PROFILE)["ETag"]]
    response, queries = _revalidated(viewer_api, etags[-1])
    assert (response.status_code, queries) == (304, 0)

    def changed() -> str:
        # then the ETag held is no longer current: the new profile comes back, with a new ETag
        response, _ = _revalidated(viewer_api, etags[-1])
        assert response.status_code == 200
        assert response["ETag"] not in etags
        etags.append(response["ETag"])
        again, queries = _revalidated(viewer_api, etags[-1])
        assert (again.status_code, queries) == (304, 0)
        return response.content.decode()

    # when an HQ reviewer overrides a level
    recommendation_override_add(approved_assessment, "ssr", "strategic", "partial", by=hq_reviewer)
    assert "hq-reviewer" in changed()
    # when every assessment is re-evaluated in bulk (a new evaluation, no model signal)
    rulebook, _ = rulebook_published_get()
    assert assessments_reevaluate(rulebook=rulebook, dry_run=False).failed == []
    assert '"trigger":"reevaluate"' in changed()
    # when the rulebook the evaluation was computed under is renamed
    rulebook.name = "renamed rulebook"
    rulebook.save()
    assert "renamed rulebook" in changed()


def test_stored_answers_are_kept_per_language_and_per_version_of_the_code(
    viewer_api, approved_assessment, shared_redis_on, monkeypatch
):
    from assessments.api import views

    # given BINUB's profile, stored for English
    english = viewer_api.get(PROFILE)
    assert _read(viewer_api, PROFILE)[1] == 0
    # when it is asked in French, it is built for French (it reads stored data: the same body)
    french, queries = _read(viewer_api, PROFILE, HTTP_ACCEPT_LANGUAGE="fr")
    assert queries > 0
    assert (french.content, french["ETag"]) == (english.content, english["ETag"])
    # when another version of the code that builds it is deployed, it is built again
    monkeypatch.setattr(views, "ANSWER_VERSION", "another-deploy")
    assert _read(viewer_api, PROFILE)[1] > 0
    assert _read(viewer_api, PROFILE)[1] == 0
