"""The recommendations page reads from the top (issue 14, item 7), as a planner meets it in
Chromium at 1280 px: a page of a few screens rather than 29,000 px, its related pages linked in
the first screen, each cell's details folded until asked for, and a submit that lands on top."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from assessments.models import Assessment
from missions.models import Mission
from tests import factories
from tests.browser.pages import sign_in

VIEWPORT = {"width": 1280, "height": 800}
# MONUC's sample assessment measured about 29,300 px before the cells' details were folded and
# about 6,200 px after; the bound leaves room for a section more, not for unfolded details.
MAX_HEIGHT = 8_000


@pytest.fixture
def monuc_planner(transactional_db):
    call_command("load_sample_data", verbosity=0)
    monuc = Mission.objects.get(acronym="MONUC")
    return factories.MembershipFactory(mission=monuc, user__username="monuc-planner").user


@pytest.mark.django_db(transaction=True)
def test_monucs_recommendations_fit_a_few_screens_with_related_pages_at_the_top(
    live_server, browser, monuc_planner
):
    monuc = Assessment.objects.get(mission__acronym="MONUC")
    page = sign_in(browser, live_server.url, "monuc-planner", viewport=VIEWPORT)
    page.goto(f"{live_server.url}/assessments/{monuc.pk}/recommendations/")
    expect(page.locator("table#recommendation-matrix td.cell")).to_have_count(36)

    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < MAX_HEIGHT, height
    # the page's own sections and its related pages, in the first screen
    nav = page.locator("nav.page-nav")
    for name in ("Levers", "Compare with the previous assessment", "Mission timeline"):
        link = nav.get_by_role("link", name=name)
        expect(link).to_be_in_viewport()
        box = link.bounding_box()
        assert box is not None
        assert box["y"] + box["height"] <= VIEWPORT["height"], name
    # no jargon about versions of the facts
    meta = page.locator("p.meta")
    expect(meta).to_contain_text(re.compile(r"Computed on \d{1,2} [A-Z][a-z]+ \d{4} under rule"))
    expect(meta).not_to_contain_text("version")

    # a cell's details are folded until its cell is followed, then open at its reasons
    details = page.locator("#cell-ddr-programmatic")
    expect(details).to_be_hidden()
    page.locator('td[data-function="ddr"][data-level="programmatic"] a.cell-link').click()
    expect(details.get_by_role("heading", name="Decided by")).to_be_visible()
    expect(details.get_by_role("heading", name="Barriers")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_after_a_submit_the_recommendations_open_at_their_top(live_server, browser, monuc_planner):
    base = live_server.url
    page = sign_in(browser, base, "monuc-planner", viewport=VIEWPORT)
    page.get_by_role("link", name="MONUC").first.click()
    page.get_by_role("button", name="Start a new assessment").click()
    expect(page.get_by_role("heading", name=re.compile("Edit assessment"))).to_be_visible()
    # the planner goes to DDR's section from the form's menu: the address now ends #function-ddr
    page.locator('a[href="#function-ddr"]').first.click()
    expect(page).to_have_url(re.compile(r"#function-ddr$"))

    page.get_by_role("button", name="Save and submit for HQ review").click()

    expect(page.locator("table#recommendation-matrix")).to_be_visible()
    assert re.search(r"/assessments/\d+/recommendations/$", page.url), page.url
    assert page.evaluate("window.scrollY") == 0
    expect(page.get_by_text("Assessment submitted for HQ review")).to_be_in_viewport()
