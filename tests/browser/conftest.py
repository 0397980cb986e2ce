"""The real browser for browser tests: Debian's Chromium, headless, driven by Playwright."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connections
from playwright.sync_api import Browser, sync_playwright

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture
def browser(monkeypatch) -> Iterator[Browser]:
    # Playwright's sync API runs an event loop in this thread, so Django would refuse the test's
    # (synchronous, safe) ORM calls. Only for the browser tests: subprocesses of other tests
    # (such as `check --deploy`) must not inherit the switch.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()
        # The test body's ORM calls opened a connection while Playwright's loop ran, which
        # pytest-django's teardown does not see: close it here, or it blocks dropping the test
        # database at the end of the session.
        connections.close_all()
