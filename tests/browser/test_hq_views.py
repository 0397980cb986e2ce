"""What HQ reads in Chromium: approved answers told apart from newer, unapproved ones (issue 14)."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from assessments.models import Assessment
from assessments.services import assessment_evaluate
from tests import factories
from tests.browser.pages import sign_in


def _approved_then_returned() -> tuple[Assessment, Assessment]:
    """BINUB approved in 2007 (peacebuilding), then a newer one returned in 2008 (transition)."""
    binub = factories.MissionFactory(acronym="BINUB", name="UN Integrated Office in Burundi")
    approved = factories.AssessmentFactory(mission=binub, status="approved")
    assessment_evaluate(assessment_id=approved.pk)
    returned = factories.AssessmentFactory(
        mission=binub, as_of=dt.date(2008, 1, 1), phase="transition", force_posture="deterrent"
    )
    assessment_evaluate(assessment_id=returned.pk)
    Assessment.objects.filter(pk=returned.pk).update(status="returned")
    return approved, returned


@pytest.mark.django_db(transaction=True)
def test_hq_sees_the_approved_answer_and_the_newer_returned_one_with_its_status(
    live_server, browser
):
    _approved_then_returned()
    factories.hq_reviewer_create(username="hq-reviewer")
    page = sign_in(browser, live_server.url, "hq-reviewer")

    # the home page: the approved assessment, its phase, and the returned one named as such
    row = page.get_by_role("row").filter(has_text="BINUB")
    expect(row.get_by_role("cell").nth(2)).to_have_text("Peacebuilding")
    latest = row.get_by_role("cell").nth(3)
    expect(latest).to_contain_text("2007-04-26 Approved")
    expect(latest).to_contain_text("Newer, not approved: 2008-01-01 Returned")

    # compare missions: BINUB at its approved assessment, the returned one named beside it
    page.goto(f"{live_server.url}/compare/missions/?mission=BINUB")
    header = page.locator("#compare-missions-context thead")
    expect(header).to_contain_text("2007-04-26 Approved")
    expect(header).to_contain_text("Newer, not approved: 2008-01-01 Returned")
    posture = page.locator("#compare-missions-context tr").filter(has_text="Force posture")
    expect(posture).not_to_contain_text("Deterrent")

    # and in French
    page.locator("#language-select").select_option("fr")
    page.get_by_role("button", name="Change", exact=True).click()
    page.goto(f"{live_server.url}/")
    row = page.get_by_role("row").filter(has_text="BINUB")
    expect(row).to_contain_text("Plus récente, non approuvée : 2008-01-01 Renvoyée")
