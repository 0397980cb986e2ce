"""Domain errors: the base class every app's errors share, and those of the decision core.

A domain error says how HTTP answers it (`http_status`, `code`, the request fields at fault), so
the API's one exception handler (integration/api/exceptions.py) and the pages' one middleware
(integration/middleware.py) map every app's errors without listing them.
"""

from __future__ import annotations


class DomainError(Exception):
    """A request the domain refuses, with a message fit for the user."""

    http_status: int = 400
    code: str = "invalid"
    # The request field at fault, when one is: a 400 then names it (`{"field": [message]}`).
    field: str | None = None
    # With a 429: the seconds after which asking again may succeed (the Retry-After header).
    retry_after: int | None = None

    def field_errors(self) -> dict[str, list[str]]:
        """Messages keyed by the field paths at fault; empty when the whole request is."""
        return {self.field: [str(self)]} if self.field else {}


class RulebookInvalid(DomainError):
    """The uploaded rulebook does not load; the message names the rule and the fault."""


class RulebookStateError(DomainError):
    """A rulebook cannot move to the asked status (e.g. publishing a retired one)."""

    http_status = 409
    code = "conflict"
