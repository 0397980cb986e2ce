"""Domain errors of reports; each declares its HTTP answer (integration.exceptions)."""

from __future__ import annotations

from integration.exceptions import DomainError


class ReportError(DomainError):
    """Base class: a request the domain refuses, with a message fit for the user."""

    field = "non_field_errors"


class ReportRequestInvalid(ReportError):
    """Unknown kind or format, or a mission or assessment the user may not read; `field` names
    the request field at fault, for the API's error."""

    def __init__(self, message: str, *, field: str = "non_field_errors") -> None:
        super().__init__(message)
        self.field = field


class IdempotencyKeyReused(ReportError):
    """The same idempotency key was sent before with a different request."""

    field = "idempotency_key"


class ReportNotPossible(ReportError):
    """The report cannot be built from the data (no assessment yet): retrying will not help."""


class ReportClaimLost(ReportError):
    """This worker no longer holds the job's claim (another took over); stop without writing."""


class ReportQuotaExceeded(ReportError):
    """The requester asked for too many reports recently; `retry_after` says when to ask again
    (seconds)."""

    http_status = 429
    code = "throttled"
    field = None

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
