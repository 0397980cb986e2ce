"""Single sign-ons in the sign-in audit (integration.audit), recorded with their method."""

from __future__ import annotations

import pytest
from django.urls import reverse

from integration.models import SignInEvent
from tests.sso.conftest import callback_get

pytestmark = pytest.mark.django_db


def test_single_sign_ons_are_audited_as_such(client, oidc):
    # a sign-in through the provider, a sign-out, and a sign-in refused (expired ID token)
    oidc.user_put("amina")
    start = client.get(reverse("oidc_authentication_init"))
    callback_get(client, oidc.authorize(start["Location"], "amina"))
    client.post(reverse("logout"))
    oidc.user_put("amina", misbehaviour="expired")
    start = client.get(reverse("oidc_authentication_init"))
    callback_get(client, oidc.authorize(start["Location"], "amina"))

    events = SignInEvent.objects.order_by("at", "pk").values_list("kind", "method", "username")

    assert list(events) == [
        ("signed_in", "oidc", "amina"),
        ("signed_out", "oidc", "amina"),
        ("failed", "oidc", ""),
    ]
