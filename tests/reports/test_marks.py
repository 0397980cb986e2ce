"""The portfolio's profile cells: one function's three levels as one line (report_marks.py)."""

from __future__ import annotations

from reports.selectors.portfolio import ProfileCell
from reports.templatetags.report_marks import profile_cell_class, profile_marks


def test_a_cell_reads_level_by_level_with_gaps_overrides_and_functions_outside_the_mandate():
    gap = ProfileCell(degree="full", feasible_degree="partial")
    met = ProfileCell(degree="parallel", feasible_degree="parallel")
    overridden = ProfileCell(degree="partial", feasible_degree="partial", override="parallel")
    assert profile_marks([gap, met, overridden]) == "●▼◐ ○ ○ HQ (◐)"
    assert profile_cell_class([gap, met, overridden]) == "short hq"
    assert profile_marks([met, met, met]) == "○ ○ ○"
    assert profile_cell_class([met, met, met]) == ""
    assert profile_marks([None, None, None]) == "· · ·"  # outside the mandate


def test_an_overridden_gap_is_not_shaded_the_override_answers_it():
    overridden_gap = ProfileCell(degree="full", feasible_degree="parallel", override="full")
    assert profile_marks([overridden_gap]) == "● HQ (○)"
    assert profile_cell_class([overridden_gap]) == "hq"
