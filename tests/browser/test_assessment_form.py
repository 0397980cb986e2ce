"""The edit form in Chromium (issue #14, item 4): a refused save focuses a summary whose links
reach each field, dates and numbers turn red, an invalid select keeps the posted value, the
mandate tick folds a function away, and on a phone the save bar does not cover the form."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.pages import section_open, sign_in


@pytest.fixture
def binub_draft(transactional_db):
    binub = factories.MissionFactory(acronym="BINUB", name="UN Integrated Office in Burundi")
    planner = factories.MembershipFactory(mission=binub, user__username="binub-planner").user
    return factories.AssessmentFactory(mission=binub, created_by=planner)


def _edit(browser, live_server, draft, **context) -> Page:
    page = sign_in(browser, live_server.url, "binub-planner", **context)
    page.goto(f"{live_server.url}/assessments/{draft.pk}/edit/")
    return page


def _border(page: Page, selector: str) -> str:
    return page.locator(selector).evaluate("e => getComputedStyle(e).borderTopColor")


@pytest.mark.django_db(transaction=True)
def test_an_invalid_select_keeps_the_submitted_value(live_server, browser, binub_draft):
    # given a phase value the select does not offer (a stale or tampered page)
    page = _edit(browser, live_server, binub_draft)
    page.locator("#id_context-phase").evaluate(
        "select => { select.add(new Option('war', 'war')); select.value = 'war'; }"
    )
    # when the planner saves
    page.get_by_role("button", name="Save draft").click()
    # then the select still holds what was posted, marked, and saving again is refused again
    expect(page.locator("#id_context-phase")).to_have_value("war")
    expect(page.locator("#id_context-phase option:checked")).to_contain_text("not accepted")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#error-summary")).to_contain_text("Phase")
    binub_draft.refresh_from_db()
    assert binub_draft.phase == "peacebuilding"
    assert binub_draft.version == 1


@pytest.mark.django_db(transaction=True)
def test_a_refused_save_focuses_a_summary_whose_links_reach_each_field(
    live_server, browser, binub_draft
):
    page = _edit(browser, live_server, binub_draft)
    # given an as-of date of 1900 and a drawdown of -4 months
    page.locator("#id_context-as_of").fill("1900-01-01")
    page.locator("#id_context-drawdown_within_months").fill("-4")
    page.get_by_role("button", name="Save draft").click()

    # then the summary has the focus and names both fields
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("As of: 1900-01-01 is too early")
    # the Context link of the contents says it holds errors
    expect(page.locator(".toc a.has-error").first).to_contain_text("Context (2 errors)")
    # date and number inputs get the red border, like the others
    red = "rgb(176, 0, 32)"
    assert _border(page, "#id_context-as_of") == red
    assert _border(page, "#id_context-drawdown_within_months") == red
    # a link of the summary puts the cursor in its field
    summary.get_by_role("link", name=re.compile("drawdown", re.I)).click()
    expect(page.locator("#id_context-drawdown_within_months")).to_be_focused()
    described = page.locator("#id_context-as_of").get_attribute("aria-describedby")
    assert "id_context-as_of_error" in described.split()
    expect(page.locator("#id_context-as_of_error")).to_contain_text("1948-01-01 or later")


@pytest.mark.django_db(transaction=True)
def test_unticking_the_mandate_folds_the_functions_facts_away(live_server, browser, binub_draft):
    page = _edit(browser, live_server, binub_draft)
    section_open(page, "function-ddr")
    section = page.locator("#function-ddr")
    tick = page.locator("#id_ddr-in_mandate")
    tick.check()
    expect(page.locator("#id_ddr-desired_impact")).to_be_visible()

    count = page.locator("#completeness")
    before = [int(n) for n in re.findall(r"\d+", count.inner_text())]

    tick.uncheck()

    expect(page.locator("#id_ddr-desired_impact")).to_be_hidden()
    expect(tick).to_be_visible()  # the tick stays, to bring the function back
    expect(section.locator(":scope > summary")).to_contain_text("not in the mandate")
    # one function fewer in the mandate, counted as the planner goes
    expect(count).to_contain_text(f"of {before[1] - 1} function")


@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_header_is_short_and_the_save_bar_does_not_cover_the_form(
    live_server, browser, binub_draft
):
    page = _edit(browser, live_server, binub_draft, viewport={"width": 390, "height": 844})

    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= 80
    actions = page.locator(".sticky-actions")
    assert actions.evaluate("e => getComputedStyle(e).position") == "static"
    # nothing of the save bar is on the first screen: it waits at the end of the form
    assert actions.bounding_box()["y"] > 844


@pytest.mark.django_db(transaction=True)
def test_a_conflict_rows_link_opens_the_folded_section_and_focuses_the_field(
    live_server, browser, binub_draft
):
    # given two tabs on the same draft, where DDR's section is folded (its impact is given)
    first = _edit(browser, live_server, binub_draft)
    second = first.context.new_page()
    second.goto(first.url)
    for page, words in ((first, "First editor's impact"), (second, "Second editor's impact")):
        section_open(page, "function-ddr")
        page.locator("#id_ddr-desired_impact").fill(words)
    # when both save, the second meets the first's version
    first.get_by_role("button", name="Save draft").click()
    expect(first.get_by_text("Draft saved.")).to_be_visible()
    second.get_by_role("button", name="Save draft").click()
    expect(second.locator(".conflict-table")).to_be_visible()
    field = second.locator("#id_ddr-desired_impact")
    expect(field).to_be_hidden()  # DDR is done on both sides: its section is folded

    # then the conflict row's link unfolds DDR and puts the cursor in the field
    second.locator(".conflict-table").get_by_role("link", name=re.compile("Desired impact")).click()
    expect(field).to_be_visible()
    expect(field).to_be_focused()
