"""In Chromium: the main pages, the admin and the API docs run under the strict
Content-Security-Policy without a single violation (nothing inline, nothing remote)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from assessments import services
from tests import factories
from tests.browser.pages import sign_in

# Reported by the page itself, before any of its scripts run.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}`);
});
"""


@pytest.fixture
def binub_evaluated(transactional_db):
    binub = factories.MissionFactory(acronym="BINUB", name="UN Integrated Office in Burundi")
    planner = factories.MembershipFactory(mission=binub, user__username="binub-planner").user
    # one account that may open every page: planner of BINUB, HQ reviewer and admin
    planner.is_staff = planner.is_superuser = True
    planner.save()
    planner.groups.add(Group.objects.get_or_create(name="HQ reviewers")[0])
    factories.AssessmentFactory(mission=binub, status="approved", created_by=planner)
    draft = factories.AssessmentFactory(mission=binub, created_by=planner)
    services.assessment_evaluate(assessment_id=draft.pk)
    return draft


@pytest.mark.django_db(transaction=True)
def test_the_main_pages_run_without_a_content_security_policy_violation(
    live_server, browser, binub_evaluated
):
    pk = binub_evaluated.pk
    paths = [
        "/",
        "/missions/BINUB/",
        f"/assessments/{pk}/edit/",
        f"/assessments/{pk}/recommendations/",
        f"/assessments/{pk}/compare/",
        "/compare/missions/",
        "/portfolio/",
        "/missions/BINUB/timeline/",
        "/review/",
        "/reports/",
        "/tokens/",
        "/admin/",
        "/admin/integration/signinevent/",
        "/api/docs/",
        "/api/docs/redoc/",
    ]
    anonymous = browser.new_context().new_page()
    anonymous.add_init_script(LISTEN)
    console: list[str] = []
    anonymous.on("console", lambda m: console.append(m.text))
    anonymous.goto(f"{live_server.url}/login/")
    anonymous.wait_for_load_state("networkidle")
    found = {"/login/": anonymous.evaluate("window.__violations")}

    page = sign_in(browser, live_server.url, "binub-planner")
    page.on("console", lambda m: console.append(m.text))
    page.add_init_script(LISTEN)
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        page.wait_for_load_state("networkidle")
        found[path] = page.evaluate("window.__violations")
    # the docs pages did render (their scripts ran)
    page.goto(f"{live_server.url}/api/docs/redoc/")
    page.wait_for_selector("#redoc-container h1", timeout=30_000)
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .info", timeout=30_000)

    assert {path: v for path, v in found.items() if v} == {}
    assert [m for m in console if "Content Security Policy" in m] == []
