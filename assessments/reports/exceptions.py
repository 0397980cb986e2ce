"""Domain errors of reports, mapped to HTTP once (views.py, api.py)."""

from __future__ import annotations


class ReportError(Exception):
    """Base class: a request the domain refuses, with a message fit for the user."""


class ReportRequestInvalid(ReportError):
    """Unknown kind or format, or a mission the user may not read."""


class IdempotencyKeyReused(ReportError):
    """The same idempotency key was sent before with a different request."""


class ReportNotPossible(ReportError):
    """The report cannot be built from the data (no assessment yet): retrying will not help."""


class ReportClaimLost(ReportError):
    """This worker no longer holds the job's claim (another took over); stop without writing."""
