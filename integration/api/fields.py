"""Strict JSON fields: the API contract names exact types, so "true" is not a boolean here."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from integration.choices import choices
from integration.engine.facts import FactSpec
from integration.text import TEXT_MAX_LENGTH, validate_xml_text

# What the schema says of a fact added after the first release (FactSpec.optional), per kind.
OPTIONAL_FACT_HELP = {
    "bool": _("Optional: false when left out, which means not stated."),
    "text": _("Optional: empty when left out, which means no case is stated."),
}


class StrictBooleanField(serializers.BooleanField):
    """Only JSON true and false."""

    default_error_messages = {"invalid": _("Must be true or false.")}

    def to_internal_value(self, data):
        if type(data) is not bool:
            self.fail("invalid")
        return data


class StrictIntegerField(serializers.IntegerField):
    """Only JSON whole numbers (not "12", not 12.0, not true)."""

    def to_internal_value(self, data):
        if type(data) is not int:
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictCharField(serializers.CharField):
    """Only JSON strings, holding only characters a report can hold (integration.text)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.validators.append(validate_xml_text)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictChoiceField(serializers.ChoiceField):
    """Only one of the listed strings."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


def vocabulary_choice_field(vocabulary, **kwargs) -> StrictChoiceField:
    """A strict choice of one of the engine's vocabularies, labels translated."""
    return StrictChoiceField(choices=choices(vocabulary), **kwargs)


def fact_field(spec: FactSpec, **kwargs) -> serializers.Field:
    """The strict API field of one fact of the engine's table (integration/engine/facts.py).

    An optional fact takes its default when left out, and the schema documents both.
    """
    if spec.optional:
        kwargs.setdefault("default", spec.default)
        kwargs.setdefault("help_text", OPTIONAL_FACT_HELP[spec.kind])
    if spec.kind == "bool":
        return StrictBooleanField(**kwargs)
    if spec.kind == "int_or_null":
        return StrictIntegerField(allow_null=True, min_value=0, max_value=spec.maximum, **kwargs)
    if spec.kind == "set":
        return serializers.ListField(child=vocabulary_choice_field(spec.vocabulary), **kwargs)
    if spec.kind == "text":
        return StrictCharField(
            allow_blank=True, max_length=TEXT_MAX_LENGTH, trim_whitespace=False, **kwargs
        )
    return vocabulary_choice_field(spec.vocabulary, **kwargs)


def fact_fields(specs: tuple[FactSpec, ...], **kwargs) -> dict[str, serializers.Field]:
    """{name: API field} for each fact of `specs`, in the table's order."""
    return {spec.name: fact_field(spec, **kwargs) for spec in specs}


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not declare, naming each one: unknown means a client bug.

    `ignored_fields` are accepted and dropped: the read-only fields of the representation, so a
    client may send back what it read.
    """

    ignored_fields: tuple[str, ...] = ()

    def to_internal_value(self, data):
        unknown: dict[str, list] = {}
        if isinstance(data, Mapping):
            known = {name for name, field in self.fields.items() if not field.read_only}
            allowed = known | set(self.ignored_fields)
            unknown = {str(key): [_("Unknown field.")] for key in data if key not in allowed}
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if unknown and isinstance(exc.detail, dict):
                raise serializers.ValidationError(unknown | exc.detail) from exc
            raise
        if unknown:
            raise serializers.ValidationError(unknown)
        return value
