"""Template filters that turn vocabulary values into translated labels."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language, gettext

from integration.engine import vocabulary

register = template.Library()

_VOCABULARIES = {
    name: dict(getattr(vocabulary, name))
    for name in (
        "PRESENCE_TYPES",
        "PHASES",
        "CONFLICT_LEVELS",
        "FORCE_POSTURES",
        "HOST_CONSENT",
        "NATIONAL_CAPACITY",
        "REGIONAL_PARTNER",
        "DIMENSIONS",
        "FUNDING_SOURCES",
        "LEVELS",
        "DEGREES",
        "LEADS",
        "BARRIER_CATEGORIES",
        "ENTITY_KINDS",
        "FUNDING_BASES",
        "HUMANITARIAN_ARRANGEMENTS",
    )
}


@register.filter
def label(value: object, vocabulary: str) -> str:
    """`{{ phase|label:"PHASES" }}` → "Peacebuilding" (translated); unknown values pass through."""
    if value in (None, ""):
        return ""
    text = _VOCABULARIES[vocabulary].get(str(value))
    return gettext(text) if text else str(value)


@register.simple_tag
def colon() -> str:
    """A colon glued in a template ("{% translate "Lead" %}{% colon %} …"), typeset for the
    active language: French sets a no-break space before it, as the catalogue's messages do."""
    return "\u00a0:" if (get_language() or "").startswith("fr") else ":"
