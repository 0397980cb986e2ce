"""In Chromium: the portfolio page, with approved answers, an HQ override and a newer returned
assessment, has no serious axe violation in English or French, filters without JavaScript,
opens a function in the matrix from its cell, and on a 390 px phone scrolls only inside its own
box (issue 14, "go beyond")."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from assessments import review_services, services
from assessments.models import Assessment
from tests import factories
from tests.browser.pages import sign_in
from tests.browser.test_accessibility import AXE, PHONE, _axe_violations, _sideways


@pytest.fixture
def portfolio(transactional_db):
    binub = factories.MissionFactory(acronym="BINUB", presence_type="political_mission")
    reviewer = factories.UserFactory(username="hq")
    reviewer.groups.add(Group.objects.get_or_create(name="HQ reviewers")[0])
    binub_answer = factories.AssessmentFactory(
        mission=binub, presence_type="political_mission", status="under_review"
    )
    services.assessment_evaluate(assessment_id=binub_answer.pk)
    review_services.recommendation_override(
        assessment_id=binub_answer.pk,
        by=reviewer,
        function_code="ddr",
        level="programmatic",
        degree="parallel",
        justification="Separate structures while the armed groups distrust the UN.",
    )
    monuc = factories.MissionFactory(acronym="MONUC")
    monuc_answer = factories.AssessmentFactory(
        mission=monuc, phase="peacekeeping", conflict_level="high", force_posture="deterrent"
    )
    services.assessment_evaluate(assessment_id=monuc_answer.pk)
    Assessment.objects.filter(pk__in=[binub_answer.pk, monuc_answer.pk]).update(status="approved")
    factories.AssessmentFactory(mission=monuc, as_of="2008-01-15", status="returned")
    return {"BINUB": binub_answer, "MONUC": monuc_answer}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("locale", ["en-GB", "fr-FR"])
def test_the_portfolio_has_no_serious_axe_violation(live_server, browser, portfolio, locale):
    page = sign_in(browser, live_server.url, "hq", bypass_csp=True)
    page.context.add_cookies(
        [{"name": "django_language", "value": locale[:2], "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/portfolio/")
    page.add_script_tag(content=AXE)

    assert page.evaluate("document.documentElement.lang") == locale[:2]
    assert _axe_violations(page) == []


@pytest.mark.django_db(transaction=True)
def test_hq_filters_the_portfolio_and_opens_a_function_in_the_matrix(
    live_server, browser, portfolio
):
    # given HQ on the portfolio: both missions, MONUC's newer returned assessment named
    page = sign_in(browser, live_server.url, "hq", java_script_enabled=False)
    page.get_by_role("link", name="Portfolio", exact=True).click()
    rows = page.locator("#portfolio-map tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator('tr[data-mission="MONUC"]')).to_contain_text("Newer, not approved:")
    expect(page.locator('tr[data-mission="MONUC"] .status-returned')).to_have_text("Returned")
    # BINUB's overridden cell reads the override, as the matrix does
    ddr = page.locator('tr[data-mission="BINUB"] td[data-function="ddr"] a')
    expect(ddr).to_contain_text("Programmatic: plan for Parallel (HQ override; engine:")
    # when they keep the political missions (no JavaScript: a plain GET form)
    page.get_by_label("Presence type").select_option("political_mission")
    page.get_by_role("button", name="Filter").click()
    # then BINUB alone is left, and the filter is kept
    expect(rows).to_have_count(1)
    expect(page.get_by_label("Presence type")).to_have_value("political_mission")
    # and its DDR cell opens DDR in BINUB's matrix
    ddr.click()
    answer = portfolio["BINUB"].pk
    assert page.url.endswith(f"/assessments/{answer}/recommendations/#function-ddr")
    expect(page.locator("#function-ddr")).to_be_in_viewport()


@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_portfolio_scrolls_inside_its_own_box(live_server, browser, portfolio):
    page = sign_in(browser, live_server.url, "hq", viewport=PHONE)
    page.goto(f"{live_server.url}/portfolio/")
    region = page.get_by_role("region", name="What to plan for, by mission and function")
    # the page does not scroll sideways; the table does, in a box a keyboard can reach
    assert _sideways(page) == 0
    assert region.evaluate("r => r.scrollWidth > r.clientWidth")
    region.focus()
    expect(region).to_be_focused()
    page.keyboard.press("End")
    last = page.locator("#portfolio-map thead th").last
    last.scroll_into_view_if_needed()
    box = last.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]
    assert _sideways(page) == 0
