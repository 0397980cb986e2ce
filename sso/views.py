"""Single sign-on pages: the redirect to the provider and the way back (mozilla-django-oidc)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

logger = logging.getLogger(__name__)


def _require_enabled() -> None:
    if not settings.OIDC_ENABLED:
        raise Http404


class OidcAuthenticateView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider with state, nonce and a PKCE code challenge."""

    def get(self, request):
        _require_enabled()
        return super().get(request)


class OidcCallbackView(OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with a code; a refusal goes to the login page."""

    def get(self, request):
        _require_enabled()
        try:
            return super().get(request)
        except SuspiciousOperation as error:  # a state this session did not send
            logger.warning("Single sign-on refused: %s", error)
            return self.login_failure()

    def login_failure(self):
        messages.error(
            self.request,
            _("Signing in with %(provider)s failed. Try again, or ask an administrator.")
            % {"provider": settings.OIDC_PROVIDER_NAME},
        )
        return redirect(settings.LOGIN_REDIRECT_URL_FAILURE)
