"""The translated name and description of a catalogue function.

Function rows store their English name and description (seeded from the catalogue), so a
template that prints `function.name` shows English on a French page. The catalogue in
`integration.engine.vocabulary` marks both for translation; these helpers look the function up
by its code and translate. A function that is not in the catalogue keeps its stored text.
"""

from __future__ import annotations

from django import template
from django.utils.translation import gettext

from integration.engine.vocabulary import FUNCTIONS_BY_CODE

register = template.Library()


def function_label(function: object, part: str = "name") -> str:
    """The translated `name` (default) or `description` of a Function row (or its code)."""
    if function in (None, ""):
        return ""
    code = function if isinstance(function, str) else getattr(function, "code", "")
    spec = FUNCTIONS_BY_CODE.get(code)
    if spec is not None:
        return gettext(spec.description if part == "description" else spec.name)
    if isinstance(function, str):
        return function
    return str(getattr(function, part, "") or "")


register.filter("function_label", function_label)
