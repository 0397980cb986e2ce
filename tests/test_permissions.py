"""Who may do what: planners edit only their missions; everyone else reads."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from django.urls import URLResolver, get_resolver, resolve, reverse
from django.utils import translation

from assessments.models import Assessment, Evaluation
from assessments.scenario_models import Scenario
from tests.factories import PASSWORD

# Every route of the product, classified. A new route fails
# test_every_route_is_classified until someone decides who may use it.
EDIT_ROUTES = {"assessment-start", "assessment-edit"}
READ_ROUTES = {
    "home",
    "mission-detail",
    "assessment-detail",
    "assessment-history",
    "review-queue",
}
# HQ review actions: HQ reviewers (and admins) only (tests/web/test_access.py: every workflow
# page against every role; tests/web/test_workflow.py).
REVIEW_ROUTES = {"assessment-review", "assessment-override"}
OPEN_ROUTES = {"login", "logout", "healthz", "set_language", "favicon"}
# The REST API (namespace "api"; every endpoint against every role: tests/api/test_roles.py)
# and its schema and docs pages (open: they describe the API, they hold no data).
API_ROUTES = {
    "api-root",
    "function-list",
    "function-detail",
    "entity-list",
    "entity-detail",
    "mission-list",
    "mission-detail",
    "mission-integration-profile",
    "assessment-list",
    "assessment-detail",
    "assessment-submit",
    "assessment-recommendations",
    "assessment-scenario-list",
    "assessment-scenario-detail",
    "assessment-scenario-apply",
    "assessment-scenario-comparison",
    "rulebook-list",
    "rulebook-detail",
    "evaluate",
}
OPEN_ROUTES |= {"schema", "swagger-ui", "redoc"}
# Single sign-on's redirect to the identity provider and its way back (sso/; tests/sso/): open,
# as signing in must be, and 404 while OIDC_ENABLED is off (as in these tests).
SSO_ROUTES = {"oidc_authentication_init", "oidc_authentication_callback"}
OPEN_ROUTES |= SSO_ROUTES
# A signed-in user's own API tokens (tests/api/test_tokens.py).
READ_ROUTES |= {"token-list", "token-create", "token-revoke"}
# The analysis pages (assessments/analysis_urls.py; tested in tests/analysis/).
READ_ROUTES |= {
    "assessment-recommendations",
    "assessment-compare",
    "missions-compare",
    "mission-timeline",
}
EDIT_ROUTES |= {"assessment-recommendations-compute"}
# The edit page's live preview (tests/web/test_preview.py) and the portfolio's levers.
EDIT_ROUTES |= {"assessment-preview"}
READ_ROUTES |= {"portfolio-levers"}
# The portfolio page: HQ its audience, every signed-in user a reader (tests/analysis/).
READ_ROUTES |= {"portfolio"}
# Scenarios (assessments/scenario_urls.py; tests/analysis/test_scenario_pages.py): everyone reads
# the comparison; planners of the mission write them, drafts and returns only.
READ_ROUTES |= {"scenario-compare"}
EDIT_ROUTES |= {
    "scenario-create",
    "scenario-edit",
    "scenario-delete",
    "scenario-apply",
    "scenario-from-lever",
}
# Reports (reports/; tests/reports/): every signed-in user may request, follow,
# download and retry the reports of missions they read (all of them), so all are read routes.
READ_ROUTES |= {
    "reports",
    "report-request",
    "report-page",
    "report-status",
    "report-retry",
    "report-download",
    "report-api-list",
    "report-api-detail",
    "report-api-file",
}


def _edit_requests(assessment) -> dict[str, list[tuple[str, str, dict | None]]]:
    """Every request that edits `assessment`'s mission, keyed by route name (see EDIT_ROUTES)."""
    mission = assessment.mission.acronym
    edit = reverse("assessment-edit", args=[assessment.pk])
    scenario = Scenario.objects.get_or_create(assessment=assessment, name="Probe")[0]
    on_scenario = [assessment.pk, scenario.pk]
    return {
        "scenario-create": [
            ("get", reverse("scenario-create", args=[assessment.pk]), None),
            ("post", reverse("scenario-create", args=[assessment.pk]), {"context-name": "X"}),
        ],
        **{
            name: [
                ("get", reverse(name, args=on_scenario), None),
                ("post", reverse(name, args=on_scenario), {"version": "1"}),
            ]
            for name in ("scenario-edit", "scenario-delete", "scenario-apply")
        },
        "scenario-from-lever": [
            ("post", reverse("scenario-from-lever", args=[assessment.pk]), {"lever": "0"})
        ],
        "assessment-start": [("post", reverse("assessment-start", args=[mission]), {})],
        "assessment-edit": [
            ("get", edit, None),
            ("post", edit, {"context-phase": "transition"}),
        ],
        "assessment-preview": [
            ("post", reverse("assessment-preview", args=[assessment.pk]), {"context-phase": "x"})
        ],
        "assessment-recommendations-compute": [
            (
                "post",
                reverse("assessment-recommendations-compute", args=[assessment.pk]),
                {},
            )
        ],
    }


def _each_edit_request(assessment):
    for requests in _edit_requests(assessment).values():
        yield from requests


def _route_names(patterns) -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":  # the admin guards itself (is_staff)
                names |= _route_names(pattern.url_patterns)
        elif pattern.name:
            names.add(pattern.name)
    return names


def test_every_route_is_classified():
    names = _route_names(get_resolver().url_patterns)
    assert names - EDIT_ROUTES - READ_ROUTES - OPEN_ROUTES - REVIEW_ROUTES - API_ROUTES == set()


@pytest.mark.django_db
def test_planner_of_unmis_cannot_use_any_binub_editing_page(
    client, unmis_planner, binub_assessment
):
    # given a planner who plans only for UNMIS
    client.login(username=unmis_planner.username, password=PASSWORD)
    before = Assessment.objects.filter(mission__acronym="BINUB").count()
    requests = _edit_requests(binub_assessment)
    # (a new edit route fails here until its requests are added to _edit_requests)
    assert set(requests) == EDIT_ROUTES
    # when they try every page that edits BINUB
    for name, calls in requests.items():
        for method, url, data in calls:
            response = getattr(client, method)(url, data) if data is not None else client.get(url)
            # then each is refused and nothing changes
            assert response.status_code in (403, 404), (name, method, url)
    assert Assessment.objects.filter(mission__acronym="BINUB").count() == before
    binub_assessment.refresh_from_db()
    assert binub_assessment.phase == "peacebuilding"
    assert binub_assessment.version == 1
    assert binub_assessment.current_evaluation is None
    assert not Evaluation.objects.filter(assessment=binub_assessment).exists()


@pytest.mark.django_db
def test_viewer_and_hq_reviewer_read_but_cannot_edit(client, viewer, hq_reviewer, binub_assessment):
    for user in (viewer, hq_reviewer):
        client.login(username=user.username, password=PASSWORD)
        assert (
            client.get(reverse("assessment-detail", args=[binub_assessment.pk])).status_code == 200
        )
        assert client.get(reverse("mission-detail", args=["BINUB"])).status_code == 200
        for method, url, data in _each_edit_request(binub_assessment):
            response = getattr(client, method)(url, data) if data is not None else client.get(url)
            assert response.status_code == 403, (user.username, url)
        client.logout()


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_login_from_every_page(client, binub_assessment):
    urls = [
        reverse("home"),
        reverse("mission-detail", args=["BINUB"]),
        reverse("assessment-detail", args=[binub_assessment.pk]),
        *[url for _method, url, _data in _each_edit_request(binub_assessment)],
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


@pytest.mark.django_db
def test_planner_of_binub_may_start_and_edit_binub_assessments(
    client, binub_planner, binub_assessment
):
    client.login(username=binub_planner.username, password=PASSWORD)
    response = client.post(reverse("assessment-start", args=["BINUB"]))
    assert response.status_code == 302
    new = Assessment.objects.filter(mission__acronym="BINUB").latest("id")
    assert new.pk != binub_assessment.pk
    assert client.get(reverse("assessment-edit", args=[new.pk])).status_code == 200


@pytest.mark.django_db
def test_admin_pages_need_an_admin(client, binub_planner, admin_user):
    client.login(username=binub_planner.username, password=PASSWORD)
    response = client.get(reverse("admin:missions_function_changelist"))
    assert response.status_code == 302  # the admin sends non-staff users to its own login
    client.logout()
    client.login(username=admin_user.username, password=PASSWORD)
    for name in (
        "admin:missions_function_changelist",
        "admin:missions_unentity_changelist",
        "admin:missions_mission_changelist",
        "admin:assessments_assessment_changelist",
    ):
        assert client.get(reverse(name)).status_code == 200, name


# What an anonymous visitor may open: signing in, the health probe, the favicon, the language
# switcher (it sits on the login page), and the API's schema and docs (they describe the API,
# hold no data).
# Static files are served by WhiteNoise before any view. Everything else needs a session.
ANONYMOUS_ROUTES = {
    "login",
    "admin:login",
    "healthz",
    "favicon",
    "set_language",
    "schema",
    "swagger-ui",
    "redoc",
}
# A value for every URL parameter any route takes; a new parameter fails the walk below.
URL_SAMPLES = {
    "pk": "1",
    "id": "1",
    "job_id": "1",
    "scenario_id": "1",
    "acronym": "BINUB",
    "decision": "approve",
    "function": "ddr",
    "level": "strategic",
    "fmt": "pdf",
    "code": "ddr",
    "version": "2007.1",
    "format": "json",
    "object_id": "1",
    "content_type_id": "1",
    "app_label": "missions",
    "url": "no-such-page/",
}


def _every_url(patterns, prefix: str = "", namespace: str = ""):
    """(name or pattern, URL, view) for every pattern, named or not, with sample parameters."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _every_url(pattern.url_patterns, route, inner)
            continue
        # regex groups first: "(?P<name>…)" also looks like a route converter "<name>"
        url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: URL_SAMPLES[m[1]], route)
        url = re.sub(
            r"<(?:(\w+):)?(\w+)>",
            # DRF's format suffix converter takes the dot with it
            lambda m: ("." if m[1] == "drf_format_suffix" else "") + URL_SAMPLES[m[2]],
            url,
        )
        url = "/" + url.replace("^", "").replace("$", "").replace("/?", "").replace("\\.", ".")
        name = f"{namespace}{pattern.name}" if pattern.name else route
        yield name, url, pattern.callback


@pytest.mark.django_db
def test_anonymous_users_reach_only_the_open_routes(client):
    urls = list(_every_url(get_resolver().url_patterns))
    login = reverse("login")
    seen = set()
    assert len(urls) > 100  # the walk reached the included URLconfs, the admin's and the API's
    for name, url, view in urls:
        # the sample URL reaches the pattern it was built from
        assert resolve(url).func == view, (name, url)
        seen.add(name)
        response = client.get(url)
        location = response.get("Location", "")
        if name in ANONYMOUS_ROUTES:
            assert "?next=" not in location, (name, url, location)
            assert response.status_code < 400, (name, url, response.status_code)
        elif name in SSO_ROUTES:
            assert response.status_code == 404, (name, url, response.status_code)
        elif url.startswith("/api/"):
            assert response.status_code in (401, 403), (name, url, response.status_code)
        else:
            # the admin's index sends anonymous users to its own login page, the rest to ours
            logins = {login, reverse("admin:login")} if url.startswith("/admin/") else {login}
            assert response.status_code == 302, (name, url, response.status_code)
            assert location in {f"{to}?next={quote(url)}" for to in logins}, (name, url, location)
    assert seen >= ANONYMOUS_ROUTES


def test_anonymous_users_get_static_files(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_language_switcher_works_on_the_login_page(client):
    # given an anonymous visitor on the login page, when they choose French
    response = client.post(reverse("set_language"), {"language": "fr", "next": reverse("login")})
    # then they stay on the login page, now in French
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    # (override: the request activates French in this thread; later tests must not inherit it)
    with translation.override("en"):
        page = client.get(reverse("login"))
    assert page.status_code == 200
    assert 'lang="fr"' in page.content.decode()
