"""Text every renderer can write: characters XML 1.0 cannot hold are dropped.

Forms and the API refuse them today, but older data (and anything that slips past) may still
hold a C0 control such as U+0001 or a non-character such as U+FFFF. WeasyPrint's HTML parser and
openpyxl either fail on them or write an XLSX that is not well-formed, so every report text goes
through `xml_safe` first.
"""

from __future__ import annotations

import re

# C0 controls except tab, newline and carriage return; lone surrogates; U+FFFE and U+FFFF.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    return XML_ILLEGAL.sub("", text)
