"""The whole job in a real browser: Debian's Chromium, headless, driven by Playwright."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from assessments.models import Assessment
from tests import factories
from tests.browser.pages import section_open, sign_in


@pytest.mark.django_db(transaction=True)
def test_planner_and_reviewer_do_their_whole_job_in_the_browser(live_server, browser):
    # given BINUB with an approved assessment, its planner and an HQ reviewer
    binub = factories.MissionFactory(acronym="BINUB", name="UN Integrated Office in Burundi")
    planner = factories.MembershipFactory(mission=binub, user__username="binub-planner").user
    factories.hq_reviewer_create(username="hq-reviewer")
    factories.AssessmentFactory(mission=binub, status="approved", created_by=planner)
    base = live_server.url

    # the planner starts a new assessment from the mission page
    page = sign_in(browser, base, "binub-planner")
    page.get_by_role("link", name="BINUB").first.click()
    page.get_by_role("button", name="Start a new assessment").click()
    expect(page.get_by_role("heading", name=re.compile("Edit assessment"))).to_be_visible()
    edit_url = page.url

    # saves a draft with a changed phase and a new desired impact
    page.locator("#id_context-phase").select_option("stabilization")
    section_open(page, "function-ddr")
    page.locator("#id_ddr-desired_impact").fill("Former combatants reintegrated in Bujumbura")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()

    # reloads and finds it
    page.goto(edit_url)
    expect(page.locator("#id_context-phase")).to_have_value("stabilization")
    expect(page.locator("#id_ddr-desired_impact")).to_have_value(
        "Former combatants reintegrated in Bujumbura"
    )

    # submits it and sees the matrix
    page.get_by_role("button", name="Save and submit for HQ review").click()
    matrix = page.locator("table#recommendation-matrix")
    expect(matrix).to_be_visible()
    expect(matrix.locator("td.cell")).to_have_count(36)
    assessment = Assessment.objects.get(mission=binub, status="submitted")

    # an HQ reviewer returns it with a comment
    reviewer = sign_in(browser, base, "hq-reviewer")
    reviewer.get_by_role("link", name="Review queue").click()
    reviewer.get_by_role("link", name="BINUB").click()
    reviewer.get_by_label("Comment for the planners").fill("Explain the stabilization phase.")
    reviewer.get_by_role("button", name="Return with comment").click()
    expect(reviewer.get_by_text("Assessment returned to its planners.")).to_be_visible()

    # the planner sees the comment
    page.goto(f"{base}/assessments/{assessment.pk}/")
    expect(page.get_by_text("Explain the stabilization phase.")).to_be_visible()
    expect(page.get_by_text("Returned with comment")).to_be_visible()

    # and the French interface shows French labels on the same pages
    page.locator("#language-select").select_option("fr")
    page.get_by_role("button", name="Change", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name="Commentaires du siège")).to_be_visible()
    expect(page.get_by_text("Renvoyée avec commentaire")).to_be_visible()
    page.goto(edit_url)
    expect(page.get_by_role("button", name="Enregistrer le brouillon")).to_be_visible()
    expect(page.get_by_role("button", name="Save draft")).to_have_count(0)
    expect(page.get_by_text("Contexte").first).to_be_visible()
    # each function's section, folded or not, is headed with its French name
    sections = page.locator(".form-section > summary")
    expect(sections.filter(has_text="Processus politique")).to_be_visible()
    page.goto(f"{base}/assessments/{assessment.pk}/recommendations/")
    matrix = page.locator("table#recommendation-matrix")
    expect(matrix.locator("caption")).to_have_text(
        "Degré d'intégration recommandé, par fonction et par niveau"
    )
    expect(matrix.get_by_role("columnheader", name="Stratégique")).to_be_visible()
    expect(matrix.get_by_role("rowheader", name="Processus politique")).to_be_visible()
    expect(matrix.get_by_role("rowheader", name="Political process")).to_have_count(0)
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
