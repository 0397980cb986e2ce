"""In Chromium: a reviewer overrides from the review page's matrix in one step; a planner's
token is revoked only after confirming; a refused page explains itself in the site's layout;
no page asks for a favicon that is not there."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from assessments import services
from assessments.models import Assessment
from integration.api.tokens import api_token_create
from integration.models import ApiToken
from tests import factories
from tests.browser.pages import sign_in, switch_to_french


@pytest.fixture
def binub_submitted(transactional_db):
    binub = factories.MissionFactory(acronym="BINUB", name="UN Integrated Office in Burundi")
    planner = factories.MembershipFactory(mission=binub, user__username="binub-planner").user
    assessment = factories.AssessmentFactory(mission=binub, created_by=planner)
    services.assessment_evaluate(assessment_id=assessment.pk)
    Assessment.objects.filter(pk=assessment.pk).update(status="submitted")
    factories.hq_reviewer_create(username="hq-reviewer")
    return assessment


def _missing(page) -> list[str]:
    """Collects the addresses the page's requests found missing (404)."""
    missing: list[str] = []
    page.on("response", lambda response: response.status == 404 and missing.append(response.url))
    return missing


@pytest.mark.django_db(transaction=True)
def test_a_reviewer_overrides_a_cell_from_the_review_page_in_one_step(
    live_server, browser, binub_submitted
):
    page = sign_in(browser, live_server.url, "hq-reviewer")
    missing = _missing(page)
    # when the reviewer opens the assessment they review
    page.goto(f"{live_server.url}/assessments/{binub_submitted.pk}/")
    # then the matrix is there, and beside its DDR programmatic cell, the override
    matrix = page.locator("table#recommendation-matrix")
    expect(matrix.locator("td.cell")).to_have_count(36)
    cell = matrix.locator('td[data-function="ddr"][data-level="programmatic"]')
    cell.get_by_role("link", name=re.compile("^Override")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"^Override: .*Programmatic level \(BINUB\)")
    )
    assert missing == []


@pytest.mark.django_db(transaction=True)
def test_in_french_a_token_is_revoked_only_once_confirmed_and_a_refusal_explains_itself(
    live_server, browser, binub_submitted
):
    planner = binub_submitted.created_by
    issued = api_token_create(user=planner, name="tableau de bord", scope="read")
    page = sign_in(browser, live_server.url, "binub-planner")
    missing = _missing(page)
    switch_to_french(page)
    # when the planner revokes their token
    page.goto(f"{live_server.url}/tokens/")
    page.get_by_role("link", name="Révoquer… tableau de bord").click()
    # then they are asked first, the token named
    expect(page.get_by_role("heading", level=1)).to_have_text("Révoquer ce jeton\u00a0?")
    expect(page.locator("main")).to_contain_text("Le jeton «\u00a0tableau de bord\u00a0»")
    assert ApiToken.objects.get(pk=issued.token.pk).revoked_at is None
    page.get_by_role("button", name="Oui, le révoquer").click()
    expect(page.locator(".messages")).to_be_visible()
    assert ApiToken.objects.get(pk=issued.token.pk).revoked_at is not None
    # when they open a reviewer's page, the refusal says why, in the site's layout
    response = page.goto(
        f"{live_server.url}/assessments/{binub_submitted.pk}/override/ddr/programmatic/"
    )
    assert response is not None
    assert response.status == 403
    expect(page.locator("header.site-header")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_text(
        "Seuls les examinateurs du Siège examinent les évaluations."
    )
    expect(page.get_by_role("link", name="Retour aux missions")).to_be_visible()
    assert missing == []
