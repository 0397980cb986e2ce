"""Shapes of the engine's facts and answers (domain.md §3, §4).

POST /evaluate/ speaks them, and the assessments' API reuses them for stored facts and
recommendations.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from integration.api.fields import (
    StrictSerializer,
    fact_field,
    fact_fields,
    vocabulary_choice_field,
)
from integration.engine import vocabulary
from integration.engine.facts import CONTEXT_FACT_SPECS, FUNCTION_FACT_SPECS

FUNCTION_VOCABULARY = tuple((spec.code, spec.name) for spec in vocabulary.FUNCTIONS)


class ContextSerializer(StrictSerializer):
    """The 20 context facts of domain.md §3, under their contract names; the six after
    `drawdown_within_months` are optional."""

    def get_fields(self) -> dict[str, serializers.Field]:
        # One field per context fact of the engine's table, in its order.
        return fact_fields(CONTEXT_FACT_SPECS)


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


class WhatIfAlternativeSerializer(serializers.Serializer):
    """Another single-fact change with the same effect on the same level."""

    fact = serializers.CharField()
    locals()["from"] = serializers.JSONField(help_text=_("The fact's current value."))
    locals()["to"] = serializers.JSONField(help_text=_("The value that would change the answer."))


class WhatIfSerializer(serializers.Serializer):
    """A single-fact change that would move one level's degree or feasible degree, with the
    other changes that would do the same (its sentence names them all)."""

    fact = serializers.CharField()
    locals()["from"] = serializers.JSONField(help_text=_("The fact's current value."))
    locals()["to"] = serializers.JSONField(help_text=_("The value that would change the answer."))
    level = vocabulary_choice_field(vocabulary.LEVELS)
    output = serializers.ChoiceField(choices=("degree", "feasible_degree"))
    from_degree = vocabulary_choice_field(vocabulary.DEGREES)
    to_degree = vocabulary_choice_field(vocabulary.DEGREES)
    sentence = serializers.CharField()
    alternatives = WhatIfAlternativeSerializer(many=True)


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


class HumanitarianArrangementSerializer(serializers.Serializer):
    """The OCHA model recommended (domain.md §4, P7): the rule that decided it first, then those
    it set aside, and the risks to review with the Humanitarian Country Team."""

    arrangement = vocabulary_choice_field(vocabulary.HUMANITARIAN_ARRANGEMENTS)
    rules = FiredRuleSerializer(many=True)
    risks = FiredRuleSerializer(many=True)


class DecisionSerializer(serializers.Serializer):
    """The engine's answer (domain.md §4): POST /evaluate/ returns exactly this."""

    applicable = serializers.BooleanField()
    reason = serializers.CharField(
        required=False, help_text=_("Why integration policy does not apply (when not applicable).")
    )
    rulebook = RulebookRefSerializer()
    recommendations = RecommendationSerializer(many=True)
    humanitarian_arrangement = HumanitarianArrangementSerializer(
        required=False,
        help_text=_(
            "The humanitarian arrangement the rulebook decides (from 2008.1; absent before)."
        ),
    )


class EvaluateFunctionSerializer(serializers.Serializer):
    function = vocabulary_choice_field(FUNCTION_VOCABULARY)
    desired_impact = serializers.CharField(required=False, allow_blank=True)

    def get_fields(self) -> dict[str, serializers.Field]:
        # The function's facts of the engine's table between its code and its desired impact;
        # each may be omitted (facts_from_dict's defaults), a list names at least one item.
        declared = super().get_fields()
        facts = {
            spec.name: fact_field(spec, required=False, **_AT_LEAST_ONE.get(spec.kind, {}))
            for spec in FUNCTION_FACT_SPECS
        }
        return {"function": declared.pop("function"), **facts, **declared}


_AT_LEAST_ONE = {"set": {"min_length": 1}}


class EvaluateRequestSerializer(serializers.Serializer):
    """Documentation of POST /evaluate/; the engine itself validates (facts_from_dict)."""

    context = ContextSerializer()
    functions = EvaluateFunctionSerializer(
        many=True,
        required=False,
        min_length=1,
        help_text=_("Omit to assess all 12 functions with their catalogue defaults."),
    )
