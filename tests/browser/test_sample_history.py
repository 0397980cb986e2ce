"""The sample missions have a past (issue 14, item 8): their 2007 review and answer, in Chromium."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from assessments.models import Assessment
from tests import factories
from tests.browser.pages import sign_in


@pytest.mark.django_db(transaction=True)
def test_a_sample_mission_shows_its_2007_review_and_its_profile_as_it_stood_then(
    live_server, browser
):
    call_command("load_sample_data", verbosity=0)
    factories.hq_reviewer_create(username="hq-reviewer")
    binub = Assessment.objects.get(mission__acronym="BINUB")
    page = sign_in(browser, live_server.url, "hq-reviewer")

    # the assessment's history: created, submitted, reviewed and approved on its date
    page.goto(f"{live_server.url}/assessments/{binub.pk}/history/")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.nth(0)).to_contain_text("2007-04-26")
    expect(rows.nth(0)).to_contain_text("Approved")
    expect(rows.nth(3)).to_contain_text("Created")

    # the API's profile as it stood at the end of 2007: approved, under rulebook 2007.3
    response = page.goto(
        f"{live_server.url}/api/v1/missions/BINUB/integration-profile/?as_of=2007-12-31"
    )
    assert response.status == 200
    then = json.loads(page.locator("body").inner_text())
    assert then["approved"] is True
    assert then["rulebook"]["version"] == "2007.3"
    assert then["evaluation"]["created_at"].startswith("2007-04-26")
    # and today's, under the published rulebook
    page.goto(f"{live_server.url}/api/v1/missions/BINUB/integration-profile/")
    assert json.loads(page.locator("body").inner_text())["rulebook"]["version"] == "2008.1"
