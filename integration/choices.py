"""Django-side helpers over the engine's vocabulary: translated choices and check constraints."""

from __future__ import annotations

from django.db import models
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
