"""Every degree colour keeps its text readable: WCAG AA contrast (4.5:1) between each degree's
tint, read from the stylesheet's CSS variables, and the text colour of everything drawn on it;
the same for the reports' degree badges (issue #14, accessibility)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from integration.engine import vocabulary

CSS = Path(__file__).resolve().parent.parent / "static" / "css"
# The elements drawn on a degree's tint: the matrix cell, its link, the degree label, the swatch.
ON_TINT = (".cell", ".cell-link", ".degree", ".swatch")


def _rules(text: str) -> dict[str, str]:
    """{selector: declarations} of a stylesheet (comments dropped, one entry per selector)."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    rules: dict[str, str] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", text):
        for selector in selectors.split(","):
            rules[selector.strip()] = rules.get(selector.strip(), "") + ";" + body
    return rules


def _declared(body: str, prop: str) -> str | None:
    found = re.findall(rf"(?:^|;)\s*{prop}\s*:\s*([^;]+)", body)
    return found[-1].strip() if found else None


def _luminance(hex_colour: str) -> float:
    digits = hex_colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _stylesheet() -> tuple[dict[str, str], dict[str, str]]:
    rules: dict[str, str] = {}
    for path in sorted(CSS.glob("*.css")):
        if path.name == "print.css":
            continue  # the handout prints black on the same tints
        for selector, body in _rules(path.read_text()).items():
            rules[selector] = rules.get(selector, "") + body
    variables = dict(re.findall(r"(--[\w-]+)\s*:\s*(#[0-9a-fA-F]{3,6})", rules.get(":root", "")))
    return rules, variables


def test_the_contrast_formula_matches_wcags_known_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast("#ffffff", "#b58100") == pytest.approx(3.4, abs=0.05)  # issue #14's ochre


@pytest.mark.parametrize("degree", vocabulary.values(vocabulary.DEGREES))
def test_each_degree_tint_keeps_its_text_at_4_5_to_1_or_more(degree):
    rules, variables = _stylesheet()
    # the degree's class paints the tint its variable names
    background = _declared(rules[f".degree-{degree}"], "background")
    assert background == f"var(--deg-{degree})"
    tint = variables[f"--deg-{degree}"]
    texts = {selector: _declared(rules[selector], "color") for selector in ON_TINT}
    assert all(texts.values()), texts  # each sets its own colour, never inherits a link blue
    ratios = {selector: round(contrast(tint, colour), 2) for selector, colour in texts.items()}
    assert min(ratios.values()) >= 4.5, ratios


REPORT_CSS = CSS.parent.parent / "reports" / "static" / "reports" / "report.css"


@pytest.mark.parametrize("degree", vocabulary.values(vocabulary.DEGREES))
def test_each_degree_badge_of_the_reports_keeps_its_text_at_4_5_to_1_or_more(degree):
    # the PDF's badges: their letters on the degree's colour (issue #14 found white on ochre, 3.4:1)
    rules = _rules(REPORT_CSS.read_text())
    text = _declared(rules[".deg"], "color")
    background = _declared(rules[f".deg-{degree}"], "background")
    assert contrast(background, text) >= 4.5, (background, text)
