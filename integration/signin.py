"""The guarded sign-in: django-axes' lockout check and the page a locked-out sign-in gets.

Settings: AXES_* in integration/settings.py (limits, lockout per username and per address).
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class SignInLockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check for sign-ins over HTTP, first in AUTHENTICATION_BACKENDS.

    Refuses a locked-out username or address before the password is hashed. Every sign-in page
    passes the request; a call without one (the test client's login(), a script) is no sign-in
    from a client address, so it is left to the other backends.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """The page a locked-out sign-in gets (AXES_LOCKOUT_CALLABLE): 429, in the reader's language."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    return render(
        request,
        "registration/locked_out.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes},
        status=429,
    )
