"""API token authentication: `Authorization: Bearer <token>` (or `Token <token>`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from integration.api.read_cache import GENERATION_KEY, generation_carry
from integration.api.throttling import TOKEN_WAIT, anonymous_allowance_use, token_window
from integration.api.tokens import api_token_authenticate_counted

KEYWORDS = (b"bearer", b"token")


def _session_user_active(request) -> bool:
    """Whether SessionAuthentication will find a user (the test it makes, before CSRF)."""
    user = getattr(request._request, "user", None)
    return bool(user and user.is_active)


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """Authenticates as the token's owner; `request.auth` is the ApiToken (its scope matters)."""

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            # No token offered: the session (the next class) may authenticate. A request with
            # neither uses the anonymous allowance here, before the permission check answers it.
            if not _session_user_active(request):
                anonymous_allowance_use(request)
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the token as 'Authorization: Bearer <token>'.")
            )
        try:
            secret = parts[1].decode("ascii")
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(_("The token is malformed.")) from exc
        # The token's request is counted against its rate here, in the round trip that reads
        # it; TokenThrottle applies the verdict after the permission check.
        # ... and the read cache's generation comes along (integration/api/read_cache.py).
        found = api_token_authenticate_counted(
            secret=secret, window=token_window, also_get=(GENERATION_KEY,)
        )
        setattr(request, TOKEN_WAIT, found.wait)
        generation_carry(request, found.also[0])
        token = found.token
        if token is None:
            anonymous_allowance_use(request)
            raise exceptions.AuthenticationFailed(_("The token is invalid, expired or revoked."))
        return (token.user, token)

    def authenticate_header(self, request) -> str:
        # Its presence makes DRF answer 401 (not 403) to requests without credentials.
        return 'Bearer realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Documents the token scheme in the OpenAPI schema."""

    target_class = "integration.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(
                _(
                    "An API token created under 'API tokens' in the web app. "
                    "Read tokens may only read; write tokens act with their owner's permissions."
                )
            ),
        }
