"""The authentication backend for single sign-on (mozilla-django-oidc, made stricter)."""

from __future__ import annotations

import logging

import jwt
import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from missions.roles import users_with_roles
from sso.exceptions import OidcClaimsRefused
from sso.services import oidc_user_sign_in

logger = logging.getLogger(__name__)

# Clocks drift between our servers and the provider's; an ID token is checked with this slack.
CLOCK_SKEW_SECONDS = 30


class OidcBackend(OIDCAuthenticationBackend):
    """Signs in through the provider's authorization code flow, with PKCE, state and nonce.

    The library checks state (the callback view), nonce and the token's signature. This adds
    what it leaves out: issuer, audience, expiry and issue time, and a userinfo answer about
    the same subject. Users are found by the issuer and subject claim, never by email.
    """

    def authenticate(self, request, **kwargs):
        # Only the callback view passes a code verifier (None without PKCE): a password form
        # posted with ?code=&state= in its URL must not start a token exchange.
        if not settings.OIDC_ENABLED or "code_verifier" not in kwargs:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except (SuspiciousOperation, requests.RequestException) as error:
            # Returning None (not raising) lets Django send user_login_failed, as for a password.
            logger.warning("Single sign-on refused: %s", error)
            return None

    def _verify_jws(self, payload, key):
        algorithm = jwt.get_unverified_header(payload).get("alg")
        if algorithm != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"ID token signed with {algorithm!r}")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_ISSUER,
                leeway=CLOCK_SKEW_SECONDS,
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(f"ID token refused: {error}") from error

    def get_or_create_user(self, access_token, id_token, payload):
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload["sub"]:
            raise SuspiciousOperation("userinfo is about another subject than the ID token")
        # The signed ID token wins where both carry a claim.
        try:
            return oidc_user_sign_in(issuer=settings.OIDC_ISSUER, claims={**userinfo, **payload})
        except OidcClaimsRefused as error:
            raise SuspiciousOperation(str(error)) from error

    def get_user(self, user_id):
        """The session user with their roles, as missions.auth_backends loads it."""
        try:
            return users_with_roles(self.UserModel.objects.all()).get(pk=user_id)
        except self.UserModel.DoesNotExist:
            return None
