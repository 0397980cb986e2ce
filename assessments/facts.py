"""The engine's table of facts (integration/engine/facts.py) as Django reads it.

The models take one column per fact from here, the forms and the detail page their labels and
values, the analysis pages and sample data their vocabularies, and a bad value gets one message
naming the fact whichever layer refuses it. Nothing here lists a fact by name: a fact added to
the engine's table is added to all of them (docs/facts.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy

from integration.choices import check, choices, fact_not_in_range, fact_not_one_of
from integration.engine.facts import (
    CONTEXT_FACT_SPECS,
    CONTEXT_FACTS,
    FUNCTION_FACT_SPECS,
    FUNCTION_FACTS,
    FactSpec,
)
from integration.text import TEXT_MAX_LENGTH, validate_xml_text
from missions.models import validate_dimensions

__all__ = [
    "CONTEXT_FACTS",
    "CONTEXT_FACT_SPECS",
    "FACT_VOCABULARIES",
    "FUNCTION_FACTS",
    "FUNCTION_FACT_SPECS",
]

# Every enum fact's column is this wide, so a new fact's values fit without a choice to make.
FACT_COLUMN_WIDTH = 30

# Which vocabulary labels the values of a fact (context or function fact name).
FACT_VOCABULARIES = {
    spec.name: spec.vocabulary
    for spec in (*CONTEXT_FACT_SPECS, *FUNCTION_FACT_SPECS)
    if spec.vocabulary
}

# The error codes Django (and validate_dimensions) raise for a value outside a fact's allowed
# values; "required" and "duplicate" keep their own messages.
BAD_VALUE_CODES = frozenset(
    {"invalid", "invalid_choice", "invalid_nullable", "min_value", "max_value", "unknown_dimension"}
)


def fact_field(spec: FactSpec) -> models.Field:
    """The model field that stores one fact of the engine's table."""
    label = gettext_lazy(spec.label)
    if spec.kind == "bool":
        return models.BooleanField(label, default=bool(spec.default))
    if spec.kind == "int_or_null":
        return models.PositiveSmallIntegerField(
            label, null=True, blank=True, validators=[MaxValueValidator(spec.maximum)]
        )
    if spec.kind == "set":
        # The one set fact is the dimensions; another would need its own validator here.
        return models.JSONField(label, default=list, validators=[validate_dimensions])
    if spec.kind == "text":
        # Free text a report quotes: the length and the characters of every other text field.
        return models.TextField(
            label,
            blank=True,
            default=spec.default or "",
            max_length=TEXT_MAX_LENGTH,
            validators=[validate_xml_text],
        )
    longest = max(len(value) for value in spec.choices)
    if longest > FACT_COLUMN_WIDTH:
        raise ValueError(f"{spec.path}: a value of {longest} characters needs a wider column")
    extra: dict[str, Any] = {} if spec.default is None else {"default": spec.default}
    return models.CharField(
        label, max_length=FACT_COLUMN_WIDTH, choices=choices(spec.vocabulary), **extra
    )


def fact_constraints(specs: Iterable[FactSpec], *, prefix: str) -> list[models.CheckConstraint]:
    """A named check constraint per enum fact: the database's backstop behind the choices."""
    return [
        check(spec.name, spec.vocabulary, prefix=prefix) for spec in specs if spec.kind == "enum"
    ]


def fact_message(field: models.Field) -> Promise:
    """The message for a bad value of a fact: names the fact and what it accepts.

    It keeps %(value)s for the rejected value, so forms can use it as an error message too.
    """
    spec = _SPECS_BY_NAME.get(field.name)
    if spec is not None and spec.kind == "int_or_null":
        return fact_not_in_range(field.verbose_name, 0, spec.maximum or 0)
    if spec is not None and spec.kind == "set":
        allowed = spec.choices
    elif isinstance(field, models.BooleanField):
        allowed = ("true", "false")
    else:
        allowed = tuple(value for value, _label in field.choices)
    return fact_not_one_of(field.verbose_name, allowed)


_SPECS_BY_NAME = {spec.name: spec for spec in (*CONTEXT_FACT_SPECS, *FUNCTION_FACT_SPECS)}


class FactValidationMixin:
    """Model mixin: a bad fact value is refused with a message naming the fact (see FACTS)."""

    FACTS: tuple[str, ...] = ()

    def clean_fields(self, exclude=None) -> None:
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            raise ValidationError(
                {
                    name: [self._fact_error(name, item) for item in items]
                    for name, items in error.error_dict.items()
                }
            ) from None

    def get_constraints(self):
        # A fact's check constraint (fact_constraints) restates its choices, which clean_fields
        # has just enforced with a message naming the fact. Validating it again would cost a
        # query per fact and row: twelve and more for each save of the edit page and each live
        # preview. The database keeps it as the backstop.
        checks = {f"_{name}_valid" for name in self.FACTS}
        return [
            (
                model,
                [
                    constraint
                    for constraint in constraints
                    if not (
                        isinstance(constraint, models.CheckConstraint)
                        and any(constraint.name.endswith(suffix) for suffix in checks)
                    )
                ],
            )
            for model, constraints in super().get_constraints()
        ]

    def _fact_error(self, name: str, error: ValidationError) -> ValidationError:
        if name not in self.FACTS or error.code not in BAD_VALUE_CODES:
            return error
        params = error.params or {}
        # validate_dimensions names the unknown codes; Django's own validators the value.
        value = params.get("unknown", params.get("value", getattr(self, name)))
        return ValidationError(
            fact_message(self._meta.get_field(name)),
            code=error.code,
            params={"value": value},
        )


def facts_model(name: str, specs: tuple[FactSpec, ...]) -> type[models.Model]:
    """An abstract model with one field per fact of `specs`, validated as facts.

    `Assessment` and `FunctionAssessment` inherit their facts from one of these, so a fact added
    to the engine's table becomes a column with the next migration.
    """
    attrs: dict[str, Any] = {
        "__module__": "assessments.models",
        "__doc__": f"The facts {', '.join(spec.name for spec in specs)} (engine fact table).",
        "FACTS": tuple(spec.name for spec in specs),
        "Meta": type("Meta", (), {"abstract": True}),
        **{spec.name: fact_field(spec) for spec in specs},
    }
    return type(name, (FactValidationMixin, models.Model), attrs)


@dataclass(frozen=True)
class FactRow:
    """One fact of a row as a page lists it; templates show booleans with `yesno`."""

    label: Promise | str
    kind: str
    value: Any
    # The translated vocabulary label(s) of an enum or set fact, None for blank text (the page
    # shows "—"), the value otherwise.
    display: Any


def fact_rows(instance: models.Model, specs: Iterable[FactSpec]) -> list[FactRow]:
    """Each fact of `instance`, in the table's order."""
    rows = []
    for spec in specs:
        value = getattr(instance, spec.name)
        display = value
        if spec.kind == "enum":
            display = getattr(instance, f"get_{spec.name}_display")()
        elif spec.kind == "set":
            labels = dict(spec.vocabulary)
            display = ", ".join(gettext(labels.get(item, item)) for item in value)
        elif spec.kind == "text":
            display = value or None
        label = instance._meta.get_field(spec.name).verbose_name
        rows.append(FactRow(label=label, kind=spec.kind, value=value, display=display))
    return rows


def fact_labels(model: type[models.Model], specs: Iterable[FactSpec]) -> list[Promise | str]:
    """The label of each fact of `specs` on `model`, in the table's order (column headings)."""
    return [model._meta.get_field(spec.name).verbose_name for spec in specs]
