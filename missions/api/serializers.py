"""Shapes of the reference catalogue and of a mission's entities."""

from __future__ import annotations

from rest_framework import serializers

from integration.api.fields import vocabulary_choice_field
from integration.engine import vocabulary
from missions.models import Function, MissionEntity, UNEntity


# Declared rather than derived from the model: a PositiveIntegerField's maximum depends on the
# database (SQLite v. PostgreSQL), and the committed schema must not.
class FunctionSerializer(serializers.ModelSerializer):
    default_dimensions = serializers.ListField(child=vocabulary_choice_field(vocabulary.DIMENSIONS))
    position = serializers.IntegerField(min_value=0)

    class Meta:
        model = Function
        fields = ("code", "name", "description", "default_dimensions", "position")


class UNEntitySerializer(serializers.ModelSerializer):
    class Meta:
        model = UNEntity
        fields = ("acronym", "name", "kind", "funding_basis", "humanitarian_mandate", "neutral")


class MissionEntitySerializer(serializers.ModelSerializer):
    acronym = serializers.CharField(source="entity.acronym")
    name = serializers.CharField(source="entity.name")
    kind = serializers.CharField(source="entity.kind")

    class Meta:
        model = MissionEntity
        fields = ("acronym", "name", "kind", "role")
