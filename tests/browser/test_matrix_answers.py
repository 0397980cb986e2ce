"""The matrix gives an answer to act on (issue 14, item 2), as a planner reads it in Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from assessments import review_services
from assessments.models import Assessment, Recommendation
from assessments.services import assessment_evaluate
from tests import factories
from tests.browser.pages import sign_in


@pytest.mark.django_db(transaction=True)
def test_each_cell_says_what_to_plan_for_and_an_override_takes_its_colour(live_server, browser):
    # given BINUB's evaluated assessment in review, DDR strategic overridden to parallel by HQ
    binub = factories.MissionFactory(acronym="BINUB")
    assessment = factories.AssessmentFactory(mission=binub, status="under_review")
    assessment_evaluate(assessment_id=assessment.pk)
    reviewer = factories.hq_reviewer_create(username="hq-reviewer")
    review_services.recommendation_override(
        assessment_id=assessment.pk,
        by=reviewer,
        function_code="ddr",
        level="strategic",
        degree="parallel",
        justification="The parties keep DDR to themselves.",
    )
    assessment = Assessment.objects.get(pk=assessment.pk)
    stored = Recommendation.objects.get(
        evaluation=assessment.current_evaluation, function__code="ddr", level="programmatic"
    )
    assert (stored.degree, stored.feasible_degree) == ("full", "partial")

    page = sign_in(browser, live_server.url, "hq-reviewer")
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/recommendations/")
    matrix = page.locator("table#recommendation-matrix")

    # a capped cell: plan for what the context allows, the degree needed and what blocks it
    capped = matrix.locator('td[data-function="ddr"][data-level="programmatic"]')
    expect(capped).to_contain_text(re.compile(r"Plan for\s+◐\s+Partial"))
    expect(capped).to_contain_text(re.compile(r"\(Full needed; blocked by [a-z, ]+\)"))
    partial = matrix.locator("td.degree-partial:not(.constrained)").first
    assert _background(capped) == _background(partial)

    # an overridden cell: the override's colour and a clear label
    overridden = matrix.locator('td[data-function="ddr"][data-level="strategic"]')
    expect(overridden).to_contain_text(re.compile(r"Plan for\s+○\s+Parallel"))
    expect(overridden).to_contain_text("HQ override: Parallel (engine: Full)")
    parallel = matrix.locator("td.degree-parallel:not(.overridden)").first
    assert _background(overridden) == _background(parallel)

    # the details: what decided, human titles, no machine ids in sight
    capped.locator("a.cell-link").click()
    details = page.locator("#cell-ddr-programmatic")
    expect(details.get_by_role("heading", name="Decided by")).to_be_visible()
    expect(details.locator(".rules-decided .rule-title").first).not_to_be_empty()
    assert not re.search(r"\b(engine\.|p\d+-)[a-z0-9.-]+", details.inner_text())

    # and in French
    page.locator("#language-select").select_option("fr")
    page.get_by_role("button", name="Change", exact=True).click()
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/recommendations/")
    capped = page.locator('td[data-function="ddr"][data-level="programmatic"]')
    # (French puts a no-break space before : and ;)
    expect(capped).to_contain_text(re.compile(r"À prévoir\s:\s+◐\s+Partielle"))
    expect(capped).to_contain_text(re.compile(r"\(Complète nécessaire\s; bloquée par"))
    overridden = page.locator('td[data-function="ddr"][data-level="strategic"]')
    expect(overridden).to_contain_text(
        re.compile(r"Dérogation du Siège\s: Parallèle \(moteur\s: Complète\)")
    )
    expect(page.locator("#cell-ddr-programmatic").get_by_text("Décidé par")).to_be_attached()


def _background(cell) -> str:
    return cell.evaluate("element => getComputedStyle(element).backgroundColor")
