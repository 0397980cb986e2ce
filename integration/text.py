"""Free text at the boundary: what every text field of a page, the API and the admin refuses.

Reports are XML inside (XLSX cells, the HTML WeasyPrint lays out as PDF): a character XML 1.0
cannot hold makes a report fail or an XLSX that will not open. Model fields carry the validator,
so ModelForms, ModelSerializers and the admin inherit it; `PlainTextField` (forms) and the API's
`StrictCharField` carry it where a field has no model field behind it, and the API's JSON parser
checks every string of every body, whichever serializer reads it. Older rows that predate it
lose those characters where they are copied or written out (`xml_text_strip`).
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Free-text limits, carried by the model fields so a page, the admin and the API refuse the same
# length (and what one of them stores, the others can send back): a page of notes, a paragraph.
NOTES_MAX_LENGTH = 20_000
TEXT_MAX_LENGTH = 5_000

# XML 1.0's Char production, inverted for the Basic Multilingual Plane: C0 controls other than
# tab, line feed and carriage return, lone surrogates, and the non-characters U+FFFE and U+FFFF.
XML_ILLEGAL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def validate_xml_text(value: str) -> None:
    """Refuse text holding a character XML 1.0 cannot hold; say which one and where."""
    match = XML_ILLEGAL_CHARACTER.search(value)
    if match is None:
        return
    raise ValidationError(
        _(
            "Remove the invisible character %(character)s at position %(position)s: "
            "reports cannot hold it."
        ),
        code="illegal_character",
        params={"character": f"U+{ord(match.group()):04X}", "position": match.start() + 1},
    )


def xml_text_strip(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold: for text stored before the validator
    (copied into a new draft, written into a report)."""
    return XML_ILLEGAL_CHARACTER.sub("", text)


class PlainTextField(forms.CharField):
    """A form's free text with no model field behind it (a model field brings its validators)."""

    default_validators = [validate_xml_text]
