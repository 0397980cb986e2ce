"""In Chromium: a planner tries a lever of the recommendations page and reads it beside the
assessment on the scenario comparison page (issue 13)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.analysis.conftest import evaluated_assessment_create
from tests.analysis.test_levers import MONUC
from tests.browser.pages import sign_in

AGREEMENTS = "If agency service agreements were permitted"


@pytest.fixture
def monuc(transactional_db):
    binub = factories.MissionFactory(acronym="BINUB", name="UN Integrated Office in Burundi")
    factories.MembershipFactory(mission=binub, user__username="binub-planner")
    return evaluated_assessment_create(mission=binub, **MONUC)


@pytest.mark.django_db(transaction=True)
def test_try_it_on_a_lever_opens_the_comparison_with_the_scenarios_column(
    live_server, browser, monuc
):
    # given a planner on the recommendations page of a draft without agency service agreements
    page = sign_in(browser, live_server.url, "binub-planner")
    page.goto(f"{live_server.url}/assessments/{monuc.pk}/recommendations/")
    lever = page.locator("li.lever").filter(has=page.get_by_role("heading", name=AGREEMENTS))

    # when they try the lever of agency service agreements
    lever.get_by_role("button", name="Try it").click()

    # then the comparison shows the baseline and the lever's scenario side by side
    expect(page.get_by_role("heading", level=1)).to_have_text("Scenarios compared: BINUB")
    table = page.locator("#scenario-comparison")
    expect(table.get_by_role("columnheader", name="Assessment (baseline)")).to_be_visible()
    expect(table.get_by_role("columnheader", name=AGREEMENTS)).to_be_visible()
    ddr = table.get_by_role("row", name="DDR · Administrative")
    expect(ddr).to_contain_text("feasible rises")
    expect(ddr).to_contain_text("Administration barrier disappears")
    # and the assessment's page lists the scenario
    page.get_by_role("link", name="Assessment of 2007-04-26").click()
    expect(page.locator("#scenarios")).to_contain_text(AGREEMENTS)
