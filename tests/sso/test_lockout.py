"""Single sign-on and the sign-in guard (django-axes): one lockout for both ways in."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from tests.sso.conftest import callback_get

pytestmark = pytest.mark.django_db
LIMIT = settings.AXES_FAILURE_LIMIT


def test_an_address_locked_out_by_wrong_passwords_cannot_sign_in_through_the_provider(client, oidc):
    # given LIMIT wrong passwords from this address, each for another username
    for attempt in range(LIMIT):
        client.post(reverse("login"), {"username": f"guess{attempt}", "password": "wrong"})
    oidc.user_put("amina")
    start = client.get(reverse("oidc_authentication_init"))

    # when a person signs in at the provider from the same address
    response = callback_get(client, oidc.authorize(start["Location"], "amina"))

    # then the lockout page answers, and nobody is signed in
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_refused_single_sign_ons_count_toward_the_address_lockout(client, oidc):
    # given an identity provider that sends expired ID tokens
    oidc.user_put("amina", misbehaviour="expired")
    for _ in range(LIMIT):
        start = client.get(reverse("oidc_authentication_init"))
        callback_get(client, oidc.authorize(start["Location"], "amina"))

    # when anyone signs in with a password from the same address, then the lockout page answers
    response = client.post(reverse("login"), {"username": "someone", "password": "x"})
    assert response.status_code == 429
