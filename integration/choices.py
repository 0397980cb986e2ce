"""Django-side helpers over the engine's vocabulary: translated choices and check constraints."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.utils.functional import Promise, lazy
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

from integration.engine import vocabulary


def choices(vocab: tuple[tuple[str, str], ...]) -> list[tuple[str, object]]:
    """Form/model choices with labels translated at render time."""
    return [(value, gettext_lazy(label)) for value, label in vocab]


def check(field: str, vocab: tuple[tuple[str, str], ...], *, prefix: str) -> models.CheckConstraint:
    """A named database constraint: the backstop behind the model's choices validation."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__in": vocabulary.values(vocab)}),
        name=f"{prefix}_{field}_valid",
        violation_error_message=f"{field} is not one of its allowed values.",
    )


def _fill(template: str, parts: dict[str, object]) -> str:
    # Fill in the fact and what it accepts; leave %(value)s for the ValidationError's params,
    # which Django fills with the rejected value when the message is shown.
    escaped = {name: str(part).replace("%", "%%") for name, part in parts.items()}
    return str(template) % (escaped | {"value": "%(value)s"})


_fill_lazy = lazy(_fill, str)


def fact_not_one_of(fact: str | Promise, allowed: Iterable[str]) -> Promise:
    """'Phase: “%(value)s” is not one of conflict_prevention, …', translated when shown."""
    return _fill_lazy(
        gettext_lazy("%(fact)s: “%(value)s” is not one of %(allowed)s."),
        {"fact": capfirst(fact), "allowed": ", ".join(allowed)},
    )


def fact_not_in_range(fact: str | Promise, minimum: int, maximum: int) -> Promise:
    """'Drawdown within (months): “%(value)s” is not a whole number from 0 to 240.'"""
    return _fill_lazy(
        gettext_lazy(
            "%(fact)s: “%(value)s” is not a whole number from %(minimum)s to %(maximum)s."
        ),
        {"fact": capfirst(fact), "minimum": minimum, "maximum": maximum},
    )


def fact_not_a_number(fact: str | Promise, minimum: int, maximum: int) -> Promise:
    """The same, for form fields whose "not a number" error carries no value to show."""
    return _fill_lazy(
        gettext_lazy("%(fact)s: enter a whole number from %(minimum)s to %(maximum)s."),
        {"fact": capfirst(fact), "minimum": minimum, "maximum": maximum},
    )
