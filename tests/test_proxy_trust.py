"""Proxy headers are trusted only when the deployment names its proxies (TRUSTED_PROXIES,
PROXY_TLS_HEADER); by default a client cannot pick its own address or claim HTTPS."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from integration.api.throttling import throttle_windows_clear
from integration.network import client_address

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def low_rates(settings):
    throttle_windows_clear()
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "token": "3/minute"}
    }
    yield
    throttle_windows_clear()


def _forged(n: int) -> str:
    return f"198.51.100.{n}"


@pytest.mark.django_db
def test_a_rotating_x_forwarded_for_does_not_escape_the_anonymous_throttle(low_rates):
    api = APIClient()
    statuses = [
        api.get(reverse("schema"), HTTP_X_FORWARDED_FOR=_forged(n)).status_code for n in range(3)
    ]
    assert statuses == [200, 200, 429]


@pytest.mark.django_db
def test_a_rotating_x_forwarded_for_does_not_escape_the_bad_token_throttle(low_rates):
    api = APIClient(HTTP_AUTHORIZATION="Bearer ids_" + "x" * 43)
    statuses = [
        api.get(reverse("api:function-list"), HTTP_X_FORWARDED_FOR=_forged(n)).status_code
        for n in range(3)
    ]
    assert statuses == [401, 401, 429]


@pytest.mark.django_db
def test_behind_one_trusted_proxy_only_its_own_entry_names_the_client(low_rates, settings):
    # given one proxy that appends the address it saw to whatever the client sent
    settings.TRUSTED_PROXIES = 1
    api = APIClient(REMOTE_ADDR="10.0.0.2")  # the proxy
    # when one client forges a different leftmost entry each time, then it is still throttled
    statuses = [
        api.get(reverse("schema"), HTTP_X_FORWARDED_FOR=f"{_forged(n)}, 203.0.113.7").status_code
        for n in range(3)
    ]
    assert statuses == [200, 200, 429]
    # and another client behind the same proxy has its own allowance
    assert api.get(reverse("schema"), HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 200


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.7", "10.0.0.2"),  # no proxy configured: the header is ignored
        (1, "", "10.0.0.2"),  # not through the proxy: the peer itself
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # the client's own entry is ignored
        (2, "198.51.100.1, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
        (2, "203.0.113.7", "10.0.0.2"),  # fewer entries than proxies
        (1, "not-an-address", "10.0.0.2"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_is_the_entry_as_many_from_the_right_as_there_are_proxies(
    settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


@pytest.mark.django_db
def test_a_forged_x_forwarded_proto_does_not_pass_the_https_redirect(settings):
    # given production's redirect and no TLS header configured (the default)
    assert settings.SECURE_PROXY_SSL_HEADER is None
    settings.SECURE_SSL_REDIRECT = True
    # when a plain HTTP request claims to have come over HTTPS, then it is still redirected
    response = Client().get(reverse("login"), HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/login/"


@pytest.mark.django_db
def test_a_configured_tls_header_is_believed(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert Client().get(reverse("login"), HTTP_X_FORWARDED_PROTO="https").status_code == 200


def _settings_under(env: dict[str, str]) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG"}}
    code = (
        "from django.conf import settings;"
        "print(settings.TRUSTED_PROXIES, settings.SECURE_PROXY_SSL_HEADER)"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=clean | {"DEBUG": "0", "SECRET_KEY": "x" * 50} | env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def test_production_settings_trust_no_proxy_unless_told():
    assert _settings_under({}) == "0 None"
    configured = {"TRUSTED_PROXIES": "1", "PROXY_TLS_HEADER": "X-Forwarded-Proto"}
    assert _settings_under(configured) == "1 ('HTTP_X_FORWARDED_PROTO', 'https')"
