"""A person signs in through the identity provider's own page in Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from missions.models import MissionMembership
from sso.models import OidcIdentity
from tests import factories
from tests.sso.conftest import PROVIDER_NAME, REVIEWERS
from tests.sso.provider import PASSWORD


@pytest.mark.django_db(transaction=True)
def test_a_person_signs_in_through_the_providers_page_in_chromium(live_server, browser, oidc):
    # given BINUB, and a person the provider puts in the reviewers and BINUB's planners
    factories.MissionFactory(acronym="BINUB", name="UN Integrated Office in Burundi")
    sub = oidc.user_put("nadia", groups=[REVIEWERS, "mission:BINUB:planner"])
    oidc.client_put("http://testserver/oidc/callback/", f"{live_server.url}/oidc/callback/")
    page = browser.new_context(locale="en-GB").new_page()
    page.set_default_timeout(15_000)

    # when they choose the provider on our login page, on their way to BINUB's page
    page.goto(f"{live_server.url}/missions/BINUB/")
    page.get_by_role("link", name=f"Sign in with {PROVIDER_NAME}").click()
    # and sign in on the provider's page
    expect(page.get_by_role("heading", name="Test identity provider")).to_be_visible()
    page.get_by_label("Organisation account").fill("nadia")
    page.get_by_label("Organisation password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()

    # then they are back in our app, signed in, on the page they asked for, with their roles
    expect(page.get_by_role("heading", name="UN Integrated Office in Burundi")).to_be_visible()
    assert page.url == f"{live_server.url}/missions/BINUB/"
    expect(page.locator(".who")).to_have_text("nadia")
    expect(page.get_by_role("button", name="Start a new assessment")).to_be_visible()
    identity = OidcIdentity.objects.select_related("user").get(subject=sub)
    assert identity.user.username == "nadia"
    assert MissionMembership.objects.get(user=identity.user).role == "planner"
