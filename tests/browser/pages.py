"""Steps the browser tests share."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.factories import PASSWORD


def sign_in(browser: Browser, base: str, username: str, **context) -> Page:
    """A new browser context (British English unless told otherwise) signed in as `username`."""
    page = browser.new_context(**({"locale": "en-GB"} | context)).new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Missions")).to_be_visible()
    return page


def switch_to_french(page: Page) -> None:
    """Choose French in the header's language menu (the session keeps it)."""
    page.locator("#language-select").select_option("fr")
    page.get_by_role("button", name="Change", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def section_open(page: Page, anchor: str) -> None:
    """Unfold a section of the edit form (a done function starts folded), as a planner does."""
    section = page.locator(f"#{anchor}")
    if section.get_attribute("open") is None:
        section.locator(":scope > summary").click()
