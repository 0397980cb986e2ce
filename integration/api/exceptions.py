"""One error format for every 4xx answer of the API, and the one place domain errors meet HTTP:
each app's errors subclass integration.exceptions.DomainError and declare their answer.

    {"status": 400, "code": "invalid", "detail": "…", "errors": {"context.phase": ["…"]}}

`errors` maps a field path (the same paths the engine uses: `context.phase`,
`functions[2].funding_source`) to its messages; it is empty when no field is at fault.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from rest_framework import exceptions, serializers, status
from rest_framework.views import exception_handler

from integration import engine
from integration.exceptions import DomainError
from integration.middleware import NulCharacterRefused


class PreconditionRequired(exceptions.APIException):
    """A write without `If-Match`: the API refuses to guess which version the caller read."""

    status_code = 428
    default_detail = _("Send the ETag you read in an If-Match header to change this resource.")
    default_code = "precondition_required"


class PreconditionFailed(exceptions.APIException):
    """`If-Match` names a version that is no longer current."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("The resource changed since you read it; read it again and retry.")
    default_code = "precondition_failed"


class PayloadTooLarge(exceptions.APIException):
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE: Django refuses to read it."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"

    def __init__(self) -> None:
        super().__init__(
            _("The request body is larger than the %(limit)s bytes the API reads.")
            % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}
        )


def fact_error_to_validation(error: engine.FactError) -> exceptions.ValidationError:
    """An engine fact error as a 400 keyed by the fact's path (both paths for a contradiction)."""
    if isinstance(error, engine.ContradictoryFacts):
        return exceptions.ValidationError({path: [str(error)] for path in error.paths})
    return exceptions.ValidationError({error.path: [error.message]})


def domain_error_to_api(error: DomainError) -> exceptions.APIException:
    """A domain error as the answer it declares: a 400 naming its fields, or its status."""
    if error.http_status == status.HTTP_429_TOO_MANY_REQUESTS:
        return exceptions.Throttled(wait=error.retry_after, detail=str(error))
    errors = error.field_errors()
    if errors:
        return exceptions.ValidationError(errors)
    answer = exceptions.APIException(detail=str(error), code=error.code)
    answer.status_code = error.http_status
    return answer


def _from_domain(exc: Exception) -> Exception:
    """Domain exceptions as DRF exceptions; anything else unchanged."""
    # The engine sits below this package and knows no HTTP: its fact errors are mapped here.
    # First, as a domain error may also be a fact error (assessments.AssessmentMandateEmpty).
    if isinstance(exc, engine.FactError):
        return fact_error_to_validation(exc)
    if isinstance(exc, DomainError):
        return domain_error_to_api(exc)
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLarge()
    return exc


def flatten_error_detail(detail: Any, path: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"a.b[2].c": [messages]}."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            if isinstance(key, int):  # list items (ListField, many=True) are keyed by index
                flat |= flatten_error_detail(value, f"{path}[{key}]")
            else:
                flat |= flatten_error_detail(value, f"{path}.{key}" if path else str(key))
        return flat
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return {path or "non_field_errors": [str(item) for item in detail]}
        flat = {}
        for index, item in enumerate(detail):
            flat |= flatten_error_detail(item, f"{path}[{index}]")
        return flat
    return {path or "non_field_errors": [str(detail)]}


class ErrorSerializer(serializers.Serializer):
    """Every 4xx answer of the API."""

    status = serializers.IntegerField()
    code = serializers.CharField()
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_("Messages keyed by field path, e.g. context.phase or functions[2].dimensions."),
    )


def error_body(*, status_code: int, code: str, detail: str, errors: dict | None = None) -> dict:
    return {"status": status_code, "code": code, "detail": detail, "errors": errors or {}}


def api_exception_handler(exc: Exception, context: dict) -> Any:
    """DRF's handler, then the one error format. Unhandled errors stay 500s (and get logged)."""
    exc = _from_domain(exc)
    response = exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    if isinstance(exc, exceptions.ValidationError):
        errors = flatten_error_detail(exc.detail)
        detail = str(_("Some fields are invalid; see errors."))
        code = "invalid"
    else:
        errors = {}
        detail = str(exc.detail)
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
    response.data = error_body(
        status_code=response.status_code, code=code, detail=detail, errors=errors
    )
    return response


def page_not_found(request, exception) -> Any:
    """Django's 404 handler: the API's error format under /api/, the usual page elsewhere.

    Reached when no route matches (e.g. a path parameter with a slash), before any DRF view.
    """
    if request.path.startswith("/api/"):
        body = error_body(status_code=404, code="not_found", detail=str(_("Not found.")))
        return JsonResponse(body, status=404)
    return defaults.page_not_found(request, exception)


def bad_request(request, exception) -> Any:
    """Django's 400 handler: the API's error format under /api/, the usual page elsewhere.

    Reached when a request is refused before (or outside) DRF: a NUL in the address or a form
    (integration.middleware), a body too large to read, too many form fields.
    """
    if not request.path.startswith("/api/"):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        error = PayloadTooLarge()
        body = error_body(
            status_code=error.status_code, code=error.default_code, detail=str(error.detail)
        )
        return JsonResponse(body, status=error.status_code)
    # Only our own refusals explain themselves; Django's other reasons stay generic.
    detail = str(exception) if isinstance(exception, NulCharacterRefused) else _("Bad request.")
    body = error_body(status_code=400, code="bad_request", detail=str(detail))
    return JsonResponse(body, status=400)
