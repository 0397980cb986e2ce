"""In a real browser: the core flow without JavaScript, the matrix as a printed handout, and
the French matrix with the engine's reasons in French."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from assessments import services
from tests import factories
from tests.browser.pages import section_open, sign_in


@pytest.fixture
def binub_evaluated(transactional_db):
    binub = factories.MissionFactory(acronym="BINUB", name="UN Integrated Office in Burundi")
    planner = factories.MembershipFactory(mission=binub, user__username="binub-planner").user
    assessment = factories.AssessmentFactory(
        mission=binub, created_by=planner, agency_service_agreements=False
    )
    services.assessment_evaluate(assessment_id=assessment.pk)
    return assessment


@pytest.mark.django_db(transaction=True)
def test_a_planner_saves_and_submits_without_javascript(live_server, browser):
    # given BINUB with an approved assessment and its planner, in a browser without JavaScript
    binub = factories.MissionFactory(acronym="BINUB", name="UN Integrated Office in Burundi")
    planner = factories.MembershipFactory(mission=binub, user__username="binub-planner").user
    factories.AssessmentFactory(mission=binub, status="approved", created_by=planner)
    page = sign_in(browser, live_server.url, "binub-planner", java_script_enabled=False)
    # when they start an assessment, save a draft and submit it, all by plain form posts
    page.get_by_role("link", name="BINUB").first.click()
    page.get_by_role("button", name="Start a new assessment").click()
    expect(page.get_by_role("heading", name=re.compile("Edit assessment"))).to_be_visible()
    section_open(page, "function-ddr")
    page.locator("#id_ddr-desired_impact").fill("Former combatants reintegrated")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    expect(page.locator("#id_ddr-desired_impact")).to_have_value("Former combatants reintegrated")
    page.get_by_role("button", name="Save and submit for HQ review").click()
    # then the matrix shows, every cell with its details reachable by a plain link
    matrix = page.locator("table#recommendation-matrix")
    expect(matrix.locator("td.cell")).to_have_count(36)
    first = matrix.locator("td.cell a").first
    target = first.get_attribute("href")
    assert target
    assert target.startswith("#cell-")
    first.click()
    expect(page.locator(target)).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_the_matrix_prints_as_a_handout(live_server, browser, binub_evaluated):
    page = sign_in(browser, live_server.url, "binub-planner")
    page.goto(f"{live_server.url}/assessments/{binub_evaluated.pk}/recommendations/")
    expect(page.locator("header.site-header, .site-header").first).to_be_visible()
    # when printed
    page.emulate_media(media="print")
    # then navigation and controls are gone, and the matrix, its legend and every cell's
    # reasons are on the page
    expect(page.locator(".site-header").first).to_be_hidden()
    expect(page.locator("nav.crumbs")).to_be_hidden()
    for button in page.locator("button").all():
        expect(button).to_be_hidden()
    expect(page.locator("table#recommendation-matrix")).to_be_visible()
    expect(page.locator(".legend").first).to_be_visible()
    # (the cells' own reasons; the levers' lifted barriers stay folded in their details)
    expect(page.locator(".cell-details").get_by_text("Remedy:").first).to_be_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


@pytest.mark.django_db(transaction=True)
def test_the_french_matrix_gives_the_engines_reasons_in_french(
    live_server, browser, binub_evaluated
):
    page = sign_in(browser, live_server.url, "binub-planner")
    page.locator("#language-select").select_option("fr")
    page.get_by_role("button", name="Change", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.goto(f"{live_server.url}/assessments/{binub_evaluated.pk}/recommendations/")
    # (each cell's details are folded: unfold them all, as a reader who reads them all would)
    page.locator("main details").evaluate_all("all => all.forEach(e => { e.open = true; })")
    # the barrier the missing agency service agreements raise, with its §VII remedy, in French
    text = page.locator("main").inner_text()
    assert "accords de services entre organismes" in text
    assert "Réexaminer, avec la Cinquième Commission de l'Assemblée générale" in text
    # a what-if, in French (under 2008.1 agency service agreements alone move nothing here)
    assert re.search(r"Si [^.\n]*, l'intégration [^.\n]*\(actuellement [a-zè]+\)", text)
    assert "agency service agreements" not in text
    assert "If agency service agreements" not in text
