"""Signing in through a real OpenID Connect provider: code flow with PKCE, state and nonce, and
ID tokens checked (signature, expiry, issuer, audience)."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.urls import reverse

from sso.models import OidcIdentity
from tests.sso.conftest import PROVIDER_NAME, callback_get

pytestmark = pytest.mark.django_db
User = get_user_model()


def authorization_start(client) -> str:
    """Click "Sign in with …": our app answers with the redirect to the provider."""
    response = client.get(reverse("oidc_authentication_init"))
    assert response.status_code == 302
    return response["Location"]


def with_query(url: str, **changes) -> str:
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()} | changes
    return urlunsplit(parts._replace(query=urlencode(query)))


def signed_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


FAILED = f"Signing in with {PROVIDER_NAME} failed. Try again, or ask an administrator."


def refused(client, response) -> bool:
    """Sent back to the login page, not signed in, told that single sign-on failed."""
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    return (
        response.status_code == 302
        and response["Location"] == reverse("login")
        and signed_in_user(client) is None
        and messages
        == [f"Signing in with {PROVIDER_NAME} failed. Try again, or ask an administrator."]
    )


def test_sign_in_sends_a_pkce_challenge_state_and_nonce(client, oidc):
    sub = oidc.user_put("amina")

    authorize_url = authorization_start(client)

    params = parse_qs(urlsplit(authorize_url).query)
    (state,) = params["state"]
    pending = client.session["oidc_states"][state]
    verifier = pending["code_verifier"].encode()
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=").decode()
    assert authorize_url.startswith(oidc.endpoint("authorize/"))
    assert params["code_challenge"] == [challenge]
    assert params["code_challenge_method"] == ["S256"]
    assert params["nonce"] == [pending["nonce"]]
    # the person signs in at the provider and comes back with a code
    response = callback_get(client, oidc.authorize(authorize_url, "amina"))
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    user = signed_in_user(client)
    assert user.username == "amina"
    assert user.email == "amina@example.org"
    assert not user.has_usable_password()
    assert OidcIdentity.objects.get(user=user).subject == sub
    assert client.get(reverse("home")).status_code == 200


def test_the_provider_refuses_a_code_without_its_pkce_verifier(client, oidc, caplog):
    oidc.user_put("amina")
    authorize_url = authorization_start(client)
    location = oidc.authorize(authorize_url, "amina")
    # given a code issued for this challenge, when our side sends another verifier
    session = client.session
    (state,) = parse_qs(urlsplit(authorize_url).query)["state"]
    session["oidc_states"][state]["code_verifier"] = "x" * 64
    session.save()

    response = callback_get(client, location)

    assert refused(client, response)
    assert "invalid_grant" in caplog.text


def test_a_callback_with_another_state_is_refused(client, oidc):
    oidc.user_put("amina")
    location = oidc.authorize(authorization_start(client), "amina")

    response = callback_get(client, with_query(location, state="forged-state"))

    assert refused(client, response)


def test_a_code_from_another_browser_session_is_refused(client, oidc):
    # given an attacker's own code and state (login CSRF), when a victim's browser is sent there
    oidc.user_put("mallory")
    attacker_location = oidc.authorize(authorization_start(client), "mallory")
    client.cookies.clear()

    response = callback_get(client, attacker_location)

    assert response.status_code == 302
    assert signed_in_user(client) is None


def test_an_id_token_with_another_nonce_is_refused(client, oidc, caplog):
    oidc.user_put("amina")
    authorize_url = authorization_start(client)
    # the provider is asked for a token with a nonce this session never issued (a replayed or
    # injected request)
    location = oidc.authorize(with_query(authorize_url, nonce="replayed-nonce"), "amina")

    response = callback_get(client, location)

    assert refused(client, response)
    assert "Nonce verification failed" in caplog.text


def test_an_id_token_altered_after_signing_is_refused(client, oidc, caplog):
    oidc.user_put("amina", misbehaviour="altered")

    response = callback_get(client, oidc.authorize(authorization_start(client), "amina"))

    assert refused(client, response)
    assert "ID token refused: Signature verification failed" in caplog.text
    assert not User.objects.filter(is_superuser=True).exists()


def test_an_expired_id_token_is_refused(client, oidc, caplog):
    oidc.user_put("amina", misbehaviour="expired")

    response = callback_get(client, oidc.authorize(authorization_start(client), "amina"))

    assert refused(client, response)
    assert "ID token refused: Signature has expired" in caplog.text
    assert not User.objects.filter(username="amina").exists()


def test_an_id_token_from_another_issuer_is_refused(client, oidc, settings, caplog):
    oidc.user_put("amina")
    settings.OIDC_ISSUER = "https://login.example.org/"

    response = callback_get(client, oidc.authorize(authorization_start(client), "amina"))

    assert refused(client, response)
    assert "ID token refused: Invalid issuer" in caplog.text


def test_an_id_token_issued_to_another_client_is_refused(client, oidc, caplog):
    oidc.user_put("amina", misbehaviour="audience")

    response = callback_get(client, oidc.authorize(authorization_start(client), "amina"))

    assert refused(client, response)
    assert "ID token refused: Audience doesn't match" in caplog.text


def test_users_are_matched_by_subject_not_by_email_or_name(client, oidc):
    # given a local account with the name and address the provider will send
    local = User.objects.create_user("amina", email="amina@example.org", password="x" * 20)
    sub = oidc.user_put("amina")

    callback_get(client, oidc.authorize(authorization_start(client), "amina"))

    # then the local account is not taken over: the identity gets its own user
    first = signed_in_user(client)
    assert first != local
    assert first.username == f"amina-sso-{hashlib.sha256(sub.encode()).hexdigest()[:8]}"
    # when the person's address changes at the provider, the same user signs in
    oidc.user_put("amina", email="amina.new@example.org")
    client.logout()
    callback_get(client, oidc.authorize(authorization_start(client), "amina"))
    again = signed_in_user(client)
    assert again == first
    assert again.email == "amina.new@example.org"
    assert OidcIdentity.objects.count() == 1


def test_sign_in_returns_to_the_page_asked_for_but_never_to_another_site(client, oidc):
    oidc.user_put("amina")
    start = client.get(reverse("oidc_authentication_init") + "?next=/missions/BINUB/")

    response = callback_get(client, oidc.authorize(start["Location"], "amina"))

    assert response["Location"] == "/missions/BINUB/"
    client.logout()
    start = client.get(reverse("oidc_authentication_init") + "?next=https://evil.example.org/")
    response = callback_get(client, oidc.authorize(start["Location"], "amina"))
    assert response["Location"] == reverse("home")


def test_a_refusal_at_the_provider_brings_the_person_back_to_the_login_page(client, oidc):
    (state,) = parse_qs(urlsplit(authorization_start(client)).query)["state"]

    response = callback_get(
        client, f"http://testserver/oidc/callback/?error=access_denied&state={state}"
    )

    assert refused(client, response)
    assert state not in client.session["oidc_states"]  # used once
