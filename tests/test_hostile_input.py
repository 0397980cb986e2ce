"""Input that used to be a 500: an acronym no address can carry, NUL characters, JSON nested
past any use, a body too large to read. Each is a 4xx now, in the API's error format under
/api/ (integration/middleware.py, integration/api/parsers.py, integration/api/exceptions.py)."""

from __future__ import annotations

import json

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse
from rest_framework.test import APIClient

from assessments.models import Assessment
from integration.api.parsers import MAX_DEPTH
from missions.models import Mission
from reports.models import ReportJob
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

TOO_BIG = 10 * 1024 * 1024


def _is_api_error(response, status: int, code: str) -> bool:
    body = response.json()
    return (
        response["Content-Type"] == "application/json"
        and set(body) == {"status", "code", "detail", "errors"}
        and (body["status"], body["code"]) == (status, code)
    )


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.fixture
def planner_client(client, binub_planner):
    client.login(username=binub_planner.username, password=PASSWORD)
    return client


@pytest.fixture
def planner_api(binub_planner):
    api = APIClient()
    api.force_authenticate(binub_planner)
    return api


# --- acronyms -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("acronym", "allowed"),
    [
        ("BINUB", True),
        ("GOV-BDI", True),
        ("UN_2", True),
        ("A/B", False),
        ("A B", False),
        ("A.B", False),
        ("MINUSCÀ", False),
        ("A%2FB", False),
        ("AB\n", False),
    ],
)
def test_an_acronym_is_valid_exactly_when_a_page_address_can_carry_it(acronym, allowed):
    mission = factories.MissionFactory.build(acronym=acronym)
    try:
        mission.full_clean(exclude=["id"])
        refused_fields = set()
    except ValidationError as refused:
        refused_fields = set(refused.message_dict)
    valid = not refused_fields
    assert refused_fields <= {"acronym"}
    try:
        reverse("mission-detail", args=[acronym])
        linkable = True
    except NoReverseMatch:
        linkable = False
    assert valid is linkable is allowed


def test_the_admin_refuses_an_acronym_with_a_slash_and_the_home_page_keeps_serving(
    planner_client, admin_user, binub
):
    # given the admin's own mission form
    model_admin = admin.site._registry[Mission]
    request = RequestFactory().post("/admin/missions/mission/add/")
    request.user = admin_user
    form_class = model_admin.get_form(request)
    # when an administrator types an acronym with a slash
    form = form_class(
        {"acronym": "A/B", "name": "A B", "country": "C", "presence_type": "multidimensional_pko"}
    )
    # then the form names the field, and every page that links missions still serves
    assert not form.is_valid()
    assert "part of page addresses" in form.errors["acronym"][0]
    assert planner_client.get(reverse("home")).status_code == 200


def test_the_database_refuses_an_acronym_no_address_can_carry(binub):
    with pytest.raises(IntegrityError), transaction.atomic():
        Mission.objects.filter(pk=binub.pk).update(acronym="A/B")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="schema changes in a transaction")
def test_the_migration_renames_acronyms_that_broke_the_home_page():
    # given the schema before the constraint, holding the acronyms the admin used to accept
    executor = MigrationExecutor(connection)
    executor.migrate([("missions", "0002_text_hygiene")])
    with connection.cursor() as cursor:
        for acronym in ("A/B", "A-B", "UN MIS"):
            cursor.execute(
                "INSERT INTO missions_mission (acronym, name, country, presence_type,"
                " mandate_notes) VALUES (%s, 'x', 'x', 'multidimensional_pko', '')",
                [acronym],
            )
    # when the migration runs
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    # then each became a slug, and none took another's acronym
    acronyms = set(Mission.objects.values_list("acronym", flat=True))
    assert acronyms == {"A-B", "A-B-2", "UN-MIS"}


# --- NUL characters -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/missions/%00/",
        "/missions/%00/timeline/",
        "/assessments/{pk}/override/dd%00r/strategic/",
        "/?q=%00",
        "/missions/BINUB/?x%00=1",
    ],
)
def test_a_nul_in_an_address_or_a_query_is_a_400(planner_client, binub_assessment, url):
    assert planner_client.get(url.format(pk=binub_assessment.pk)).status_code == 400


def test_a_report_request_with_a_nul_is_a_400_and_queues_nothing(planner_client, binub):
    response = planner_client.post(
        reverse("report-request"), {"kind": "mission", "mission": "BI\x00NUB", "formats": "pdf"}
    )

    assert response.status_code == 400
    assert not ReportJob.objects.exists()


def test_a_nul_in_an_api_address_or_query_is_a_400_in_the_api_format(planner_api, binub):
    for url in ("/api/v1/missions/BI%00NUB/", "/api/v1/missions/?q=%00"):
        response = planner_api.get(url)
        assert response.status_code == 400
        assert _is_api_error(response, 400, "bad_request")
        assert "NUL" in response.json()["detail"]


# --- JSON nested past any use ---------------------------------------------------------------


def test_json_nested_past_the_stack_is_a_400_naming_the_problem(planner_api):
    response = planner_api.post(
        reverse("api:evaluate"), _nested(100_000), content_type="application/json"
    )

    assert response.status_code == 400
    assert _is_api_error(response, 400, "parse_error")
    assert f"nested deeper than {MAX_DEPTH} levels" in response.json()["detail"]


def test_a_patch_nested_one_level_too_deep_is_refused_and_changes_nothing(
    planner_api, binub_assessment
):
    # given an assessment's notes wrapped in lists one level past the limit
    body = json.dumps({"notes": json.loads(_nested(MAX_DEPTH))})
    # when a client sends it
    response = planner_api.patch(
        reverse("api:assessment-detail", args=[binub_assessment.pk]),
        body,
        content_type="application/json",
        HTTP_IF_MATCH=f'"a{binub_assessment.pk}.v1"',
    )
    # then it is refused before anything reads it
    assert _is_api_error(response, 400, "parse_error")
    binub_assessment.refresh_from_db()
    assert binub_assessment.version == 1


# --- bodies too large to read ---------------------------------------------------------------


def test_a_10_mb_body_is_a_413_in_the_api_format(planner_api, binub_assessment):
    big = json.dumps({"notes": "x" * TOO_BIG})
    evaluate = planner_api.post(reverse("api:evaluate"), big, content_type="application/json")
    patch = planner_api.patch(
        reverse("api:assessment-detail", args=[binub_assessment.pk]),
        big,
        content_type="application/json",
        HTTP_IF_MATCH=f'"a{binub_assessment.pk}.v1"',
    )
    form = planner_api.post(
        reverse("api:evaluate"),
        f"notes={'x' * TOO_BIG}",
        content_type="application/x-www-form-urlencoded",
    )

    for response in (evaluate, patch, form):
        assert response.status_code == 413
        assert _is_api_error(response, 413, "payload_too_large")
    assert Assessment.objects.get().version == 1
