"""Shapes of the API: output serializers for resources, strict input serializers for writes.

Serializers validate shape only; writes go through the services (assessments.services).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assessments.models import Assessment, Evaluation, FunctionAssessment
from integration.api.fields import (
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictIntegerField,
    StrictSerializer,
)
from integration.choices import choices
from integration.engine import vocabulary as v
from integration.models import Rulebook
from missions.models import Function, Mission, MissionEntity, UNEntity

FUNCTION_CODES = tuple(spec.code for spec in v.FUNCTIONS)
FUNCTION_VOCAB = tuple((spec.code, spec.name) for spec in v.FUNCTIONS)


def _choice(vocab, **kwargs) -> StrictChoiceField:
    return StrictChoiceField(choices=choices(vocab), **kwargs)


# --- reference data -------------------------------------------------------------------------


# Declared rather than derived from the model: a PositiveIntegerField's maximum depends on the
# database (SQLite v. PostgreSQL), and the committed schema must not.
class FunctionSerializer(serializers.ModelSerializer):
    default_dimensions = serializers.ListField(child=_choice(v.DIMENSIONS))
    position = serializers.IntegerField(min_value=0)

    class Meta:
        model = Function
        fields = ("code", "name", "description", "default_dimensions", "position")


class UNEntitySerializer(serializers.ModelSerializer):
    class Meta:
        model = UNEntity
        fields = ("acronym", "name", "kind", "funding_basis", "humanitarian_mandate", "neutral")


class RulebookSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rulebook
        fields = (
            "name",
            "version",
            "status",
            "effective_date",
            "published_at",
            "created_at",
            "checksum",
        )


class RulebookDetailSerializer(RulebookSerializer):
    class Meta(RulebookSerializer.Meta):
        fields = (*RulebookSerializer.Meta.fields, "content")


# --- missions -------------------------------------------------------------------------------


class AssessmentSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    as_of = serializers.DateField()
    status = serializers.ChoiceField(choices=Assessment.Status.choices)
    phase = _choice(v.PHASES)


class MissionSerializer(serializers.ModelSerializer):
    """A mission in lists, with its latest assessment (by date) from annotations."""

    latest_assessment = serializers.SerializerMethodField()

    class Meta:
        model = Mission
        fields = ("acronym", "name", "country", "presence_type", "latest_assessment")

    @extend_schema_field(AssessmentSummarySerializer(allow_null=True))
    def get_latest_assessment(self, mission: Mission) -> dict | None:
        if mission.latest_id is None:
            return None
        return {
            "id": mission.latest_id,
            "as_of": mission.latest_as_of,
            "status": mission.latest_status,
            "phase": mission.latest_phase,
        }


class MissionEntitySerializer(serializers.ModelSerializer):
    acronym = serializers.CharField(source="entity.acronym")
    name = serializers.CharField(source="entity.name")
    kind = serializers.CharField(source="entity.kind")

    class Meta:
        model = MissionEntity
        fields = ("acronym", "name", "kind", "role")


class MissionDetailSerializer(serializers.ModelSerializer):
    entities = MissionEntitySerializer(source="entity_roles", many=True)
    assessments = AssessmentSummarySerializer(many=True)

    class Meta:
        model = Mission
        fields = (
            "acronym",
            "name",
            "country",
            "presence_type",
            "mandate_notes",
            "entities",
            "assessments",
        )


# --- assessments ----------------------------------------------------------------------------


class ContextSerializer(StrictSerializer):
    """The 14 context facts of domain.md §3, under their contract names."""

    presence_type = _choice(v.PRESENCE_TYPES)
    unct_present = StrictBooleanField()
    phase = _choice(v.PHASES)
    conflict_level = _choice(v.CONFLICT_LEVELS)
    force_posture = _choice(v.FORCE_POSTURES)
    host_consent = _choice(v.HOST_CONSENT)
    national_capacity = _choice(v.NATIONAL_CAPACITY)
    hc_triple_hatted = StrictBooleanField()
    pooled_fund = StrictBooleanField()
    donors_in_planning = StrictBooleanField()
    agency_service_agreements = StrictBooleanField()
    common_services = StrictBooleanField()
    regional_partner = _choice(v.REGIONAL_PARTNER)
    drawdown_within_months = StrictIntegerField(allow_null=True, min_value=0, max_value=240)


def _unique(values: list[str], message) -> list[str]:
    if len(set(values)) != len(values):
        raise serializers.ValidationError(message)
    return values


class FunctionFactsSerializer(StrictSerializer):
    """One function's facts inside an assessment (read and written alike)."""

    function = _choice(FUNCTION_VOCAB)
    in_mandate = StrictBooleanField()
    dimensions = serializers.ListField(child=_choice(v.DIMENSIONS))
    conflicting_imperatives = StrictBooleanField()
    unct_programmes = StrictBooleanField()
    funding_source = _choice(v.FUNDING_SOURCES)
    desired_impact = StrictCharField(allow_blank=True, max_length=5000, trim_whitespace=False)
    involved_entities = serializers.ListField(child=StrictCharField(max_length=30), required=False)

    def validate_dimensions(self, value: list[str]) -> list[str]:
        return _unique(value, _("Each dimension may appear only once."))

    def validate_involved_entities(self, value: list[str]) -> list[UNEntity]:
        _unique(value, _("Each entity may appear only once."))
        entities = {e.acronym: e for e in UNEntity.objects.filter(acronym__in=value)}
        unknown = [acronym for acronym in value if acronym not in entities]
        if unknown:
            raise serializers.ValidationError(
                _("Unknown entity: %(acronyms)s.") % {"acronyms": ", ".join(unknown)}
            )
        return [entities[acronym] for acronym in value]

    def validate(self, attrs: dict) -> dict:
        if "function" not in attrs:  # PATCH skips missing fields; the code is always needed
            raise serializers.ValidationError({"function": [_("This field is required.")]})
        return attrs


class FunctionFactsOutputSerializer(serializers.ModelSerializer):
    function = serializers.CharField(source="function.code")
    dimensions = serializers.ListField(child=_choice(v.DIMENSIONS))
    involved_entities = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="acronym"
    )

    class Meta:
        model = FunctionAssessment
        fields = (
            "function",
            "in_mandate",
            "dimensions",
            "conflicting_imperatives",
            "unct_programmes",
            "funding_source",
            "desired_impact",
            "involved_entities",
        )


class AssessmentSerializer(serializers.ModelSerializer):
    """An assessment as read: its facts nested as in POST /evaluate/. The ETag is its version."""

    mission = serializers.CharField(source="mission.acronym")
    version = serializers.IntegerField(min_value=1, help_text=_("Bumped by every write."))
    context = ContextSerializer(source="*")
    functions = FunctionFactsOutputSerializer(source="function_assessments", many=True)

    class Meta:
        model = Assessment
        fields = (
            "id",
            "mission",
            "as_of",
            "status",
            "version",
            "notes",
            "context",
            "functions",
            "created_at",
            "updated_at",
        )


READ_ONLY_ASSESSMENT_FIELDS = ("id", "status", "version", "created_at", "updated_at")


class _AssessmentInput(StrictSerializer):
    ignored_fields = READ_ONLY_ASSESSMENT_FIELDS

    as_of = serializers.DateField()
    notes = StrictCharField(allow_blank=True, max_length=20000, trim_whitespace=False)
    context = ContextSerializer()
    functions = FunctionFactsSerializer(many=True)

    def validate_functions(self, value: list[dict]) -> list[dict]:
        codes = [item["function"] for item in value]
        _unique(codes, _("Each function may appear only once."))
        return value


class AssessmentCreateSerializer(_AssessmentInput):
    """POST: a mission, and optionally facts; what is left out is prefilled from the mission's
    previous assessment (or the catalogue)."""

    mission = StrictCharField(max_length=20)

    def validate_mission(self, value: str) -> Mission:
        mission = Mission.objects.visible_to(self.context["request"].user).filter(acronym=value)
        found = mission.first()
        if found is None:
            raise serializers.ValidationError(_("Unknown mission."))
        return found

    def validate(self, attrs: dict) -> dict:
        if "mission" not in attrs:  # created with partial=True, so missing fields are skipped
            raise serializers.ValidationError({"mission": [_("This field is required.")]})
        return attrs


class AssessmentUpdateSerializer(_AssessmentInput):
    """PUT (every field; functions not listed stay as they are) and PATCH (any subset)."""

    ignored_fields = (*READ_ONLY_ASSESSMENT_FIELDS, "mission")


# --- decisions ------------------------------------------------------------------------------


class RulebookRefSerializer(serializers.Serializer):
    name = serializers.CharField()
    version = serializers.CharField()


class FiredRuleSerializer(serializers.Serializer):
    id = serializers.CharField()
    principle = serializers.CharField()
    explanation = serializers.CharField()


class LevelDecisionSerializer(serializers.Serializer):
    degree = _choice(v.DEGREES)
    feasible_degree = _choice(v.DEGREES)
    rules = FiredRuleSerializer(many=True)


class BarrierSerializer(serializers.Serializer):
    category = _choice(v.BARRIER_CATEGORIES)
    level = _choice(v.LEVELS)
    explanation = serializers.CharField()
    remedy = serializers.CharField()


class WhatIfSerializer(serializers.Serializer):
    """A single-fact change that would move one level's degree or feasible degree."""

    fact = serializers.CharField()
    locals()["from"] = serializers.JSONField(help_text=_("The fact's current value."))
    locals()["to"] = serializers.JSONField(help_text=_("The value that would change the answer."))
    level = _choice(v.LEVELS)
    output = serializers.ChoiceField(choices=("degree", "feasible_degree"))
    from_degree = _choice(v.DEGREES)
    to_degree = _choice(v.DEGREES)
    sentence = serializers.CharField()


class LevelsSerializer(serializers.Serializer):
    strategic = LevelDecisionSerializer()
    programmatic = LevelDecisionSerializer()
    administrative = LevelDecisionSerializer()


class RecommendationSerializer(serializers.Serializer):
    function = _choice(FUNCTION_VOCAB)
    lead = _choice(v.LEADS)
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
    function = _choice(FUNCTION_VOCAB)
    dimensions = serializers.ListField(child=_choice(v.DIMENSIONS), required=False, min_length=1)
    conflicting_imperatives = serializers.BooleanField(required=False)
    unct_programmes = serializers.BooleanField(required=False)
    funding_source = _choice(v.FUNDING_SOURCES, required=False)
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


# --- stored recommendations and profiles ----------------------------------------------------


class OverrideSerializer(serializers.Serializer):
    degree = _choice(v.DEGREES)
    justification = serializers.CharField()
    author = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()


class StoredLevelSerializer(LevelDecisionSerializer):
    override = OverrideSerializer(
        allow_null=True, help_text=_("An HQ reviewer's degree, shown beside the engine's.")
    )


class StoredLevelsSerializer(serializers.Serializer):
    strategic = StoredLevelSerializer()
    programmatic = StoredLevelSerializer()
    administrative = StoredLevelSerializer()


class StoredRecommendationSerializer(serializers.Serializer):
    function = _choice(FUNCTION_VOCAB)
    lead = _choice(v.LEADS)
    levels = StoredLevelsSerializer()
    barriers = BarrierSerializer(many=True)


class StoredRecommendationWithWhatIfSerializer(StoredRecommendationSerializer):
    what_if = WhatIfSerializer(many=True)


class EvaluationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    trigger = serializers.ChoiceField(choices=Evaluation.Trigger.choices)
    applicable = serializers.BooleanField()
    reason = serializers.CharField(allow_blank=True)


class AssessmentRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    as_of = serializers.DateField()
    status = serializers.ChoiceField(choices=Assessment.Status.choices)
    version = serializers.IntegerField()


class AssessmentRecommendationsSerializer(serializers.Serializer):
    assessment = serializers.IntegerField()
    evaluation = EvaluationRefSerializer()
    applicable = serializers.BooleanField()
    reason = serializers.CharField(allow_blank=True)
    rulebook = RulebookRefSerializer()
    recommendations = StoredRecommendationWithWhatIfSerializer(many=True)


class IntegrationProfileSerializer(serializers.Serializer):
    mission = serializers.CharField()
    requested_as_of = serializers.DateField(
        allow_null=True, help_text=_("The as_of asked for; null means today.")
    )
    approved = serializers.BooleanField(
        help_text=_("False when no assessment is approved yet and a submitted one is shown.")
    )
    assessment = AssessmentRefSerializer()
    evaluation = EvaluationRefSerializer()
    applicable = serializers.BooleanField()
    reason = serializers.CharField(allow_blank=True)
    rulebook = RulebookRefSerializer()
    recommendations = StoredRecommendationSerializer(many=True)


class QueryDateField(serializers.DateField):
    """A date from the query string; `?as_of=` (empty) is an error, not "no date"."""

    def get_value(self, dictionary):
        return dictionary.get(self.field_name, serializers.empty)


class ProfileQuerySerializer(serializers.Serializer):
    as_of = QueryDateField(
        required=False,
        help_text=_(
            "The profile as it stood at the end of this day (YYYY-MM-DD): of the assessments "
            "dated on or before it, those submitted or approved by then (approved first), "
            "with the evaluation computed by then and the HQ overrides made by then."
        ),
    )


class ErrorSerializer(serializers.Serializer):
    """Every 4xx answer of the API."""

    status = serializers.IntegerField()
    code = serializers.CharField()
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_("Messages keyed by field path, e.g. context.phase or functions[2].dimensions."),
    )
