"""Middleware of the pages and the API: input refused before any view, and the pages' one
mapping of domain errors to HTTP (the API's is integration/api/exceptions.py)."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from integration.exceptions import DomainError

NUL = "\x00"
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class NulCharacterRefused(BadRequest):
    """A NUL character in the address, the query string or a form's fields."""

    def __init__(self) -> None:
        super().__init__(_("Addresses and form fields cannot contain the NUL character."))


def _holds_nul(data: QueryDict) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in data.lists())


class NulCharacterMiddleware:
    """A NUL character anywhere a view reads plain text is a 400 instead of a 500.

    PostgreSQL cannot hold NUL in text, so a view that looks a value up with it fails; no page
    or endpoint has a use for it. Django's 400 handler answers (integration.api.exceptions:
    the API's error format under /api/). JSON bodies are left to the API, whose text fields
    refuse NUL themselves.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        posted_form = request.method == "POST" and request.content_type in FORM_CONTENT_TYPES
        if (
            NUL in request.path
            or _holds_nul(request.GET)
            or (posted_form and _holds_nul(request.POST))
        ):
            raise NulCharacterRefused
        return self.get_response(request)


class DomainErrorMiddleware:
    """A domain error that escapes a page's view answers with the status the error declares and
    its message, not a 500. Views that can do better (keep the form, show the conflict) catch
    their errors first; this is what every other view gets without a try/except of its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError):
            return None  # Django's own handling: 404, 403, or a logged 500
        return render(
            request,
            "errors/domain_error.html",
            {"message": str(exception)},
            status=exception.http_status,
        )
