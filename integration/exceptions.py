"""Domain errors of the decision core."""

from __future__ import annotations


class RulebookInvalid(Exception):
    """The uploaded rulebook does not load; the message names the rule and the fault."""


class RulebookStateError(Exception):
    """A rulebook cannot move to the asked status (e.g. publishing a retired one)."""
