"""Every endpoint against every role: anonymous, planner of this mission, planner of another,
viewer, HQ reviewer, admin, read token, write token (tokens belong to BINUB's planner)."""

from __future__ import annotations

import pytest
from django.urls import URLResolver, get_resolver, reverse
from rest_framework.permissions import IsAuthenticated

from assessments.api.serializers import AssessmentSerializer
from assessments.models import Assessment
from integration.api.permissions import TokenScopeAllows
from missions.api.views import FunctionViewSet
from tests import factories
from tests.api.conftest import ROLES, evaluate_context

pytestmark = pytest.mark.django_db

ALL_READ = dict.fromkeys(ROLES, 200) | {"anonymous": 401}
# Writes to BINUB: its planner (and their write token) and admins.
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


def _reads(assessment: Assessment) -> dict[str, tuple[str, str, dict | None]]:
    pk = assessment.pk
    return {
        "api root": ("get", reverse("api:api-root"), None),
        "functions": ("get", reverse("api:function-list"), None),
        "function": ("get", reverse("api:function-detail", args=["ddr"]), None),
        "entities": ("get", reverse("api:entity-list") + "?kind=fund_programme", None),
        "entity": ("get", reverse("api:entity-detail", args=["UNDP"]), None),
        "missions": ("get", reverse("api:mission-list"), None),
        "mission": ("get", reverse("api:mission-detail", args=["BINUB"]), None),
        "profile": ("get", reverse("api:mission-integration-profile", args=["BINUB"]), None),
        "assessments": ("get", reverse("api:assessment-list"), None),
        "assessment": ("get", reverse("api:assessment-detail", args=[pk]), None),
        "recommendations": ("get", reverse("api:assessment-recommendations", args=[pk]), None),
        "rulebooks": ("get", reverse("api:rulebook-list"), None),
        "rulebook": ("get", reverse("api:rulebook-detail", args=["2008.1"]), None),
        "evaluate": ("post", reverse("api:evaluate"), {"context": evaluate_context()}),
    }


@pytest.mark.parametrize("role", ROLES)
def test_every_read_endpoint_answers_each_role_as_expected(role, as_role, approved_assessment):
    # given an approved BINUB assessment and an entity
    factories.UNEntityFactory(acronym="UNDP")
    client = as_role(role)
    # when the role calls every read endpoint
    statuses = {
        name: getattr(client, method)(url, body, format="json").status_code
        for name, (method, url, body) in _reads(approved_assessment).items()
    }
    # then signed-in users and both tokens read; anonymous callers get 401
    assert statuses == dict.fromkeys(statuses, ALL_READ[role])


def _put_body(assessment: Assessment) -> dict:
    data = dict(AssessmentSerializer(assessment).data)
    data["context"] = dict(data["context"]) | {"phase": "transition"}
    return data


@pytest.mark.parametrize("role", ROLES)
def test_creating_a_binub_assessment_answers_each_role_as_expected(role, as_role, binub_assessment):
    response = as_role(role).post(
        reverse("api:assessment-list"), {"mission": "BINUB"}, format="json"
    )
    expected = {200: 201}.get(BINUB_WRITE[role], BINUB_WRITE[role])
    assert response.status_code == expected
    created = Assessment.objects.filter(mission__acronym="BINUB").count()
    assert created == (2 if expected == 201 else 1)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method", ["put", "patch"])
def test_changing_a_binub_assessment_answers_each_role_as_expected(
    role, method, as_role, binub_assessment
):
    url = reverse("api:assessment-detail", args=[binub_assessment.pk])
    body = _put_body(binub_assessment) if method == "put" else {"notes": "changed"}
    response = getattr(as_role(role), method)(
        url, body, format="json", HTTP_IF_MATCH=f'"a{binub_assessment.pk}.v1"'
    )
    assert response.status_code == BINUB_WRITE[role], response.content
    binub_assessment.refresh_from_db()
    assert binub_assessment.version == (2 if BINUB_WRITE[role] == 200 else 1)


@pytest.mark.parametrize("role", ROLES)
def test_submitting_a_binub_assessment_answers_each_role_as_expected(
    role, as_role, binub_assessment, rulebook
):
    url = reverse("api:assessment-submit", args=[binub_assessment.pk])
    response = as_role(role).post(url, HTTP_IF_MATCH=f'"a{binub_assessment.pk}.v1"')
    assert response.status_code == BINUB_WRITE[role], response.content
    binub_assessment.refresh_from_db()
    expected_status = "submitted" if BINUB_WRITE[role] == 200 else "draft"
    assert binub_assessment.status == expected_status


@pytest.mark.parametrize("role", ["planner", "admin", "write_token"])
def test_nobody_may_delete_an_assessment_through_the_api(role, as_role, binub_assessment):
    url = reverse("api:assessment-detail", args=[binub_assessment.pk])
    assert as_role(role).delete(url).status_code == 405
    assert Assessment.objects.filter(pk=binub_assessment.pk).exists()


def _api_views(patterns, prefix: str = ""):
    """(route, view callback) for every URL pattern under /api/, included URLconfs too."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _api_views(pattern.url_patterns, route)
        elif route.lstrip("^").startswith("api/"):
            yield route, pattern.callback


def _permissions(callback) -> list:
    """The permission objects the view checks, per action for viewsets."""
    found = []
    for action in (getattr(callback, "actions", None) or {"": None}).values():
        view = callback.cls(**callback.initkwargs)
        view.action = action
        found.append(view.get_permissions())
    return found


def _views_without_the_checks() -> list[str]:
    """Routes under /api/v1/ whose view (or one of its actions) no longer checks both that the
    caller signed in and that a read token changes nothing; and schema or docs pages that
    accept a write."""
    routed = list(_api_views(get_resolver().url_patterns))
    assert len(routed) > 20  # the walk reached /api/v1/, the reports' routes, schema and docs
    failing = []
    for route, callback in routed:
        if not route.lstrip("^").startswith("api/v1/"):
            # the schema and its docs pages describe the API: open to anyone, reads only
            if any(hasattr(callback.cls, method) for method in ("post", "put", "patch", "delete")):
                failing.append(route)
            continue
        for permissions in _permissions(callback):
            kinds = {type(permission) for permission in permissions}
            if not {IsAuthenticated, TokenScopeAllows} <= kinds:
                failing.append(route)
    return failing


def test_every_api_view_keeps_the_sign_in_and_token_scope_checks():
    # a permission_classes override on a view (or get_permissions on an action) that drops
    # TokenScopeAllows would let a read token write there: the walk lists every such route
    assert _views_without_the_checks() == []


def test_the_walk_notices_a_view_that_drops_the_token_scope_check(monkeypatch):
    monkeypatch.setattr(FunctionViewSet, "permission_classes", [IsAuthenticated])
    failing = _views_without_the_checks()
    assert failing
    assert all("functions" in route for route in failing), failing
