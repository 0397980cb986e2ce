"""Single sign-on against a real OpenID Connect provider process (tests/oidc_provider/)."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import browser  # noqa: F401 - the shared Chromium fixture
from tests.sso.provider import CLIENT_ID, CLIENT_SECRET, OidcProvider, oidc_provider_running

PROVIDER_NAME = "UN Identity"
REVIEWERS = "ids-hq-reviewers"
ADMINS = "ids-admins"


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory) -> Iterator[OidcProvider]:
    with oidc_provider_running(tmp_path_factory.mktemp("oidc-provider")) as provider:
        yield provider


@pytest.fixture
def oidc(oidc_provider, settings) -> OidcProvider:
    """Single sign-on on, pointed at the test provider, with every role mapping configured."""
    settings.OIDC_ENABLED = True
    settings.OIDC_PROVIDER_NAME = PROVIDER_NAME
    settings.OIDC_ISSUER = oidc_provider.issuer
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = oidc_provider.endpoint("authorize/")
    settings.OIDC_OP_TOKEN_ENDPOINT = oidc_provider.endpoint("token/")
    settings.OIDC_OP_USER_ENDPOINT = oidc_provider.endpoint("userinfo/")
    settings.OIDC_OP_JWKS_ENDPOINT = oidc_provider.endpoint(".well-known/jwks.json")
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_RP_SCOPES = "openid email profile groups"
    settings.OIDC_REVIEWER_GROUPS = [REVIEWERS]
    settings.OIDC_ADMIN_GROUPS = [ADMINS]
    settings.OIDC_MISSION_ROLE_PREFIX = "mission:"
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "sso.backends.OidcBackend",
    ]
    oidc_provider.client_put("http://testserver/oidc/callback/")
    return oidc_provider


def callback_get(client, location: str):
    """Our test client follows the provider's redirect back to the callback."""
    url = urlsplit(location)
    assert f"{url.scheme}://{url.netloc}{url.path}" == "http://testserver/oidc/callback/"
    return client.get(f"{url.path}?{url.query}")
