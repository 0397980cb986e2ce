"""Single sign-on is off unless configured, and refuses to start half-configured."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.urls import reverse

from tests.sso.provider import BASE_DIR

pytestmark = pytest.mark.django_db


def test_sso_is_off_by_default_and_password_sign_in_stays(client, settings):
    assert settings.OIDC_ENABLED is False
    assert "sso.backends.OidcBackend" not in settings.AUTHENTICATION_BACKENDS

    page = client.get(reverse("login"))

    assert page.status_code == 200
    assert b"Sign in with" not in page.content
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback")).status_code == 404


def test_login_page_offers_the_provider_when_sso_is_on(client, settings):
    settings.OIDC_ENABLED = True
    settings.OIDC_PROVIDER_NAME = "UN Identity"

    page = client.get(reverse("login") + "?next=/missions/BINUB/")

    link = f'href="{reverse("oidc_authentication_init")}?next=/missions/BINUB/"'
    assert link in page.content.decode()
    assert "Sign in with UN Identity" in page.content.decode()
    assert b'name="password"' in page.content  # password sign-in stays beside it


def test_sso_on_without_its_provider_settings_fails_loudly():
    # given OIDC_ENABLED with only a client id, when the settings load
    env = {**os.environ, "OIDC_ENABLED": "1", "OIDC_RP_CLIENT_ID": "ours"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert "OIDC_ENABLED needs OIDC_ISSUER, OIDC_OP_AUTHORIZATION_ENDPOINT" in result.stderr
    assert "OIDC_RP_CLIENT_SECRET" in result.stderr
    assert "OIDC_RP_CLIENT_ID" not in result.stderr.splitlines()[-1]


def test_empty_variables_as_docker_compose_passes_them_mean_the_defaults():
    names = ["PROVIDER_NAME", "RP_SIGN_ALGO", "RP_SCOPES", "TIMEOUT", "SUBJECT_CLAIM"]
    names += ["USERNAME_CLAIM", "CREATE_USERS", "GROUPS_CLAIM", "REVIEWER_GROUPS", "ENABLED"]
    env = {**os.environ, **{f"OIDC_{name}": "" for name in names}}
    show = "; ".join(f"print(repr(settings.OIDC_{name}))" for name in names)

    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django; django.setup(); from django.conf import settings; {show}",
        ],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.splitlines() == [
        "'single sign-on'",
        "'RS256'",
        "'openid email profile'",
        "5.0",
        "'sub'",
        "'preferred_username'",
        "True",
        "'groups'",
        "[]",
        "False",
    ]
