"""The API's one body format, JSON, read with a bound on nesting."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers

# The API's own documents are four levels deep (an assessment, its functions, one function, its
# dimensions); the margin is for clients that wrap them.
MAX_DEPTH = 32


def _deeper_than(data: Any, limit: int) -> bool:
    """Whether `data` nests lists and objects past `limit` levels (walked without recursion)."""
    stack = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list):
            if depth + 1 > limit:
                return True
            stack.extend((item, depth + 1) for item in value)
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing bodies nested past MAX_DEPTH with a 400 that says so.

    Python's decoder recurses once per level, so a deep enough body exhausts the stack
    (RecursionError, an HTML 500), and a merely deep one strains every step after it.
    """

    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        too_deep = exceptions.ParseError(
            _("JSON nested deeper than %(limit)s levels is refused.") % {"limit": MAX_DEPTH}
        )
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise too_deep from None
        if _deeper_than(data, MAX_DEPTH):
            raise too_deep
        return data
