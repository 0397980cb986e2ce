"""Anonymous callers and tokens are rate-limited; sessions are not. Rates come from settings."""

from __future__ import annotations

import pytest
from django.urls import reverse

from integration.api.throttling import throttle_windows_clear

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_rates(settings):
    throttle_windows_clear()
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "token": "3/minute"}
    }
    yield
    throttle_windows_clear()


def test_a_token_over_its_rate_gets_429_with_retry_after(api, read_token, low_rates):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {read_token.secret}")
    statuses = [api.get(reverse("api:function-list")).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api.get(reverse("api:function-list"))
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


def test_each_token_has_its_own_allowance(api, read_token, write_token, low_rates):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {read_token.secret}")
    for _ in range(3):
        api.get(reverse("api:function-list"))
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {write_token.secret}")
    assert api.get(reverse("api:function-list")).status_code == 200


def test_anonymous_callers_are_throttled_by_address(api, low_rates):
    # each request counts once: at authentication, the throttle after the permissions skips it
    statuses = [api.get(reverse("schema")).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_anonymous_requests_to_protected_endpoints_use_up_the_allowance(api, low_rates):
    # given an allowance of 2 a minute, when an anonymous caller keeps asking for missions
    answers = [api.get(reverse("api:mission-list")) for _ in range(3)]
    # then it is refused twice as unauthenticated, then throttled, in the one error format
    assert [a.status_code for a in answers] == [401, 401, 429]
    body = answers[2].json()
    assert set(body) == {"status", "code", "detail", "errors"}
    assert (body["status"], body["code"], body["errors"]) == (429, "throttled", {})
    assert int(answers[2]["Retry-After"]) > 0
    # and the open endpoints share that allowance
    assert api.get(reverse("schema")).status_code == 429


def test_wrong_tokens_use_up_the_anonymous_allowance(api, low_rates):
    api.credentials(HTTP_AUTHORIZATION="Bearer ids_" + "x" * 43)
    statuses = [api.get(reverse("api:function-list")).status_code for _ in range(3)]
    assert statuses == [401, 401, 429]


def test_requests_without_credentials_are_refused_before_any_query(api, low_rates):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert api.get(reverse("api:mission-list")).status_code == 401
    assert len(queries) == 0


def test_browser_sessions_are_not_throttled(as_role, low_rates):
    client = as_role("viewer")
    assert {client.get(reverse("api:function-list")).status_code for _ in range(5)} == {200}


def test_a_signed_in_browser_is_not_counted_as_anonymous(api, viewer, low_rates):
    api.force_login(viewer)  # a real session cookie, through the authentication classes
    assert {api.get(reverse("api:function-list")).status_code for _ in range(5)} == {200}
