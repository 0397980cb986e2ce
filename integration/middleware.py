"""The pages' one mapping of domain errors to HTTP (the API's is integration/api/exceptions.py)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from integration.exceptions import DomainError


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
