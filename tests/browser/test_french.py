"""In Chromium, in French: the language menu names French in French, the header keeps to two
rows on a desktop screen, and titles put a no-break space before their colon."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from assessments import services
from tests import factories
from tests.browser.pages import sign_in, switch_to_french

# How many rows the header's items (the brand, the account, each item of the menu) take.
HEADER_ROWS = """() => {
  const items = document.querySelectorAll(
    ".site-header .brand, .site-header .account > *, .site-header nav > *"
  );
  const middles = [...items].filter((el) => el.offsetParent !== null).map((el) => {
    const box = el.getBoundingClientRect();
    return box.top + box.height / 2;
  }).sort((a, b) => a - b);
  // items of one row share their middle (align-items: center) within a few pixels
  return middles.filter((middle, i) => i === 0 || middle - middles[i - 1] > 8).length;
}"""


@pytest.fixture
def binub_evaluated(transactional_db):
    binub = factories.MissionFactory(acronym="BINUB", name="UN Integrated Office in Burundi")
    planner = factories.MembershipFactory(mission=binub, user__username="binub-planner").user
    assessment = factories.AssessmentFactory(mission=binub, created_by=planner)
    services.assessment_evaluate(assessment_id=assessment.pk)
    factories.UserFactory(username="admin", is_staff=True, is_superuser=True)
    return assessment


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 1024])
def test_the_french_header_names_french_in_french_and_keeps_to_two_rows(
    live_server, browser, binub_evaluated, width
):
    # given the admin, who sees every link of the menu, on a desktop screen
    page = sign_in(browser, live_server.url, "admin", viewport={"width": width, "height": 800})
    menu = page.locator("#language-select")
    # then each language is offered in its own name
    expect(menu.locator("option")).to_have_text(["English", "Français"])
    assert page.evaluate(HEADER_ROWS) <= 2
    # when they switch to French, the menu and the header still read so
    switch_to_french(page)
    expect(menu.locator("option:checked")).to_have_text("Français")
    assert page.evaluate(HEADER_ROWS) <= 2


@pytest.mark.django_db(transaction=True)
def test_french_titles_put_a_no_break_space_before_their_colon(
    live_server, browser, binub_evaluated
):
    page = sign_in(browser, live_server.url, "binub-planner")
    switch_to_french(page)
    for path, title in [
        (f"/assessments/{binub_evaluated.pk}/recommendations/", "Recommandations\u00a0: BINUB"),
        (f"/assessments/{binub_evaluated.pk}/compare/", "Ce qui a changé\u00a0: BINUB"),
        ("/missions/BINUB/timeline/", "Chronologie\u00a0: BINUB"),
    ]:
        page.goto(f"{live_server.url}{path}")
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_be_visible()
        # textContent: Playwright's text assertions would read the no-break space as a space
        assert heading.evaluate("(h) => h.textContent").startswith(title), path
