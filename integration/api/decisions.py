"""Shapes of the engine's facts and answers (domain.md §3, §4).

POST /evaluate/ speaks them, and the assessments' API reuses them for stored facts and
recommendations.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from integration.api.fields import (
    StrictBooleanField,
    StrictIntegerField,
    StrictSerializer,
    vocabulary_choice_field,
)
from integration.engine import vocabulary

FUNCTION_VOCABULARY = tuple((spec.code, spec.name) for spec in vocabulary.FUNCTIONS)


class ContextSerializer(StrictSerializer):
    """The 14 context facts of domain.md §3, under their contract names."""

    presence_type = vocabulary_choice_field(vocabulary.PRESENCE_TYPES)
    unct_present = StrictBooleanField()
    phase = vocabulary_choice_field(vocabulary.PHASES)
    conflict_level = vocabulary_choice_field(vocabulary.CONFLICT_LEVELS)
    force_posture = vocabulary_choice_field(vocabulary.FORCE_POSTURES)
    host_consent = vocabulary_choice_field(vocabulary.HOST_CONSENT)
    national_capacity = vocabulary_choice_field(vocabulary.NATIONAL_CAPACITY)
    hc_triple_hatted = StrictBooleanField()
    pooled_fund = StrictBooleanField()
    donors_in_planning = StrictBooleanField()
    agency_service_agreements = StrictBooleanField()
    common_services = StrictBooleanField()
    regional_partner = vocabulary_choice_field(vocabulary.REGIONAL_PARTNER)
    drawdown_within_months = StrictIntegerField(allow_null=True, min_value=0, max_value=240)


class RulebookRefSerializer(serializers.Serializer):
    name = serializers.CharField()
    version = serializers.CharField()


class FiredRuleSerializer(serializers.Serializer):
    id = serializers.CharField()
    principle = serializers.CharField()
    explanation = serializers.CharField()


class LevelDecisionSerializer(serializers.Serializer):
    degree = vocabulary_choice_field(vocabulary.DEGREES)
    feasible_degree = vocabulary_choice_field(vocabulary.DEGREES)
    rules = FiredRuleSerializer(many=True)


class BarrierSerializer(serializers.Serializer):
    category = vocabulary_choice_field(vocabulary.BARRIER_CATEGORIES)
    level = vocabulary_choice_field(vocabulary.LEVELS)
    explanation = serializers.CharField()
    remedy = serializers.CharField()


class WhatIfSerializer(serializers.Serializer):
    """A single-fact change that would move one level's degree or feasible degree."""

    fact = serializers.CharField()
    locals()["from"] = serializers.JSONField(help_text=_("The fact's current value."))
    locals()["to"] = serializers.JSONField(help_text=_("The value that would change the answer."))
    level = vocabulary_choice_field(vocabulary.LEVELS)
    output = serializers.ChoiceField(choices=("degree", "feasible_degree"))
    from_degree = vocabulary_choice_field(vocabulary.DEGREES)
    to_degree = vocabulary_choice_field(vocabulary.DEGREES)
    sentence = serializers.CharField()


class LevelsSerializer(serializers.Serializer):
    strategic = LevelDecisionSerializer()
    programmatic = LevelDecisionSerializer()
    administrative = LevelDecisionSerializer()


class RecommendationSerializer(serializers.Serializer):
    function = vocabulary_choice_field(FUNCTION_VOCABULARY)
    lead = vocabulary_choice_field(vocabulary.LEADS)
    levels = LevelsSerializer()
    barriers = BarrierSerializer(many=True)
    what_if = WhatIfSerializer(many=True)


class DecisionSerializer(serializers.Serializer):
    """The engine's answer (domain.md §4): POST /evaluate/ returns exactly this."""

    applicable = serializers.BooleanField()
    reason = serializers.CharField(
        required=False, help_text=_("Why integration policy does not apply (when not applicable).")
    )
    rulebook = RulebookRefSerializer()
    recommendations = RecommendationSerializer(many=True)


class EvaluateFunctionSerializer(serializers.Serializer):
    function = vocabulary_choice_field(FUNCTION_VOCABULARY)
    dimensions = serializers.ListField(
        child=vocabulary_choice_field(vocabulary.DIMENSIONS), required=False, min_length=1
    )
    conflicting_imperatives = serializers.BooleanField(required=False)
    unct_programmes = serializers.BooleanField(required=False)
    funding_source = vocabulary_choice_field(vocabulary.FUNDING_SOURCES, required=False)
    desired_impact = serializers.CharField(required=False, allow_blank=True)


class EvaluateRequestSerializer(serializers.Serializer):
    """Documentation of POST /evaluate/; the engine itself validates (facts_from_dict)."""

    context = ContextSerializer()
    functions = EvaluateFunctionSerializer(
        many=True,
        required=False,
        min_length=1,
        help_text=_("Omit to assess all 12 functions with their catalogue defaults."),
    )
