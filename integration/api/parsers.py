"""The API's one body format, JSON: read with a bound on nesting, and holding only text a report
can hold, whichever serializer reads it next."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers

from integration.text import XML_ILLEGAL_CHARACTER, validate_xml_text

# The API's own documents are four levels deep (an assessment, its functions, one function, its
# dimensions); the margin is for clients that wrap them.
MAX_DEPTH = 32


# Where a value sits, as a linked chain (parent, key, key is an object's), turned into a path
# only for the values refused: most bodies have nothing to report, so nothing is formatted.
Trail = tuple[Any, Any, bool] | None


def _path(trail: Trail, key: object, *, in_object: bool) -> str:
    """`functions[2].desired_impact`: the paths of the API's errors."""
    steps = [(key, in_object)]
    while trail is not None:
        trail, parent_key, parent_in_object = trail
        steps.append((parent_key, parent_in_object))
    path = ""
    for step, is_key in reversed(steps):
        if is_key:
            path = f"{path}.{step}" if path else str(step)
        else:
            path += f"[{step}]"
    return path


def _text_refused(value: str) -> list[str]:
    try:
        validate_xml_text(value)
    except DjangoValidationError as refused:
        return refused.messages
    return []


def _problems(data: Any) -> tuple[bool, dict[str, list[str]]]:
    """Whether `data` nests past MAX_DEPTH, and its refused strings keyed by path.

    Walked without recursion, with exact type checks (JSON gives only dict, list, str, int,
    float, bool and None): a body at the size limit is over a million values.
    """
    if type(data) is str:
        messages = _text_refused(data)
        return False, {"non_field_errors": messages} if messages else {}
    if type(data) not in (dict, list):
        return False, {}
    errors: dict[str, list[str]] = {}
    refused = XML_ILLEGAL_CHARACTER.search
    stack: list[tuple[Any, int, Trail]] = [(data, 1, None)]
    while stack:
        container, level, trail = stack.pop()
        if level > MAX_DEPTH:
            return True, {}
        in_object = type(container) is dict
        for key, item in container.items() if in_object else enumerate(container):
            kind = type(item)
            if kind is str:
                if refused(item):
                    errors[_path(trail, key, in_object=in_object)] = _text_refused(item)
            elif kind is dict or kind is list:
                stack.append((item, level + 1, (trail, key, in_object)))
    return False, errors


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing with a 400 a body nested past MAX_DEPTH or a string holding a
    character XML 1.0 cannot hold (integration.text), keyed by the string's path.

    Python's decoder recurses once per level, so a deep enough body exhausts the stack
    (RecursionError, an HTML 500), and a merely deep one strains every step after it. Checking
    text here covers every endpoint, wherever its serializers live.
    """

    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        too_deep = exceptions.ParseError(
            _("JSON nested deeper than %(limit)s levels is refused.") % {"limit": MAX_DEPTH}
        )
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise too_deep from None
        nested_too_deep, errors = _problems(data)
        if nested_too_deep:
            raise too_deep
        if errors:
            raise exceptions.ValidationError(errors)
        return data
