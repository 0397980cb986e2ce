"""Shapes of missions with their assessments, of assessments (read and written) and of their
stored recommendations and integration profiles.

Serializers validate shape only; writes go through the services (assessments.services).
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assessments.models import Assessment, Evaluation, FunctionAssessment, as_of_check
from integration.api.decisions import (
    FUNCTION_VOCABULARY,
    BarrierSerializer,
    ContextSerializer,
    HumanitarianArrangementSerializer,
    LevelDecisionSerializer,
    RulebookRefSerializer,
    WhatIfSerializer,
)
from integration.api.fields import (
    StrictBooleanField,
    StrictCharField,
    StrictSerializer,
    fact_field,
    fact_fields,
    vocabulary_choice_field,
)
from integration.engine import vocabulary
from integration.engine.facts import FUNCTION_FACT_SPECS, FUNCTION_FACTS
from integration.text import NOTES_MAX_LENGTH, TEXT_MAX_LENGTH
from missions.api.serializers import MissionEntitySerializer
from missions.models import Mission, UNEntity

# --- missions, as the API shows them: with their assessments ---------------------------------


class AssessmentSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    as_of = serializers.DateField()
    status = serializers.ChoiceField(choices=Assessment.Status.choices)
    phase = vocabulary_choice_field(vocabulary.PHASES)


class MissionSerializer(serializers.ModelSerializer):
    """A mission in lists, with its latest assessment of any status and its latest approved one,
    from annotations (assessments.selectors.missions_answers_annotate)."""

    latest_assessment = serializers.SerializerMethodField(
        help_text=_(
            "The newest assessment (by date, then id) whatever its status: a draft, one "
            "waiting for review or a returned one included. Read its status."
        )
    )
    latest_approved_assessment = serializers.SerializerMethodField(
        help_text=_(
            "The newest approved assessment: the answer HQ stands by, the one the integration "
            "profile shows. Null when none is approved."
        )
    )

    class Meta:
        model = Mission
        fields = (
            "acronym",
            "name",
            "country",
            "presence_type",
            "latest_assessment",
            "latest_approved_assessment",
        )

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

    @extend_schema_field(AssessmentSummarySerializer(allow_null=True))
    def get_latest_approved_assessment(self, mission: Mission) -> dict | None:
        if mission.approved_id is None:
            return None
        return {
            "id": mission.approved_id,
            "as_of": mission.approved_as_of,
            "status": Assessment.Status.APPROVED.value,
            "phase": mission.approved_phase,
        }


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


def _unique(values: list[str], message) -> list[str]:
    if len(set(values)) != len(values):
        raise serializers.ValidationError(message)
    return values


class FunctionFactsSerializer(StrictSerializer):
    """One function's facts inside an assessment (read and written alike)."""

    function = vocabulary_choice_field(FUNCTION_VOCABULARY)
    in_mandate = StrictBooleanField()
    desired_impact = StrictCharField(
        allow_blank=True, max_length=TEXT_MAX_LENGTH, trim_whitespace=False
    )
    involved_entities = serializers.ListField(child=StrictCharField(max_length=30), required=False)

    def get_fields(self) -> dict[str, serializers.Field]:
        return _with_function_facts(super().get_fields(), fact_fields(FUNCTION_FACT_SPECS))

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
    involved_entities = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="acronym"
    )

    class Meta:
        model = FunctionAssessment
        fields = ("function", "in_mandate", *FUNCTION_FACTS, "desired_impact", "involved_entities")

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        # A set fact reads as a list of vocabulary values, not as the model's free JSON.
        for spec in FUNCTION_FACT_SPECS:
            if spec.kind == "set":
                fields[spec.name] = fact_field(spec)
        return fields


def _with_function_facts(
    fields: dict[str, serializers.Field], facts: dict[str, serializers.Field]
) -> dict[str, serializers.Field]:
    """The function facts after `function` and `in_mandate`, as the contract orders them."""
    head = {name: fields.pop(name) for name in ("function", "in_mandate")}
    return head | facts | fields


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
    notes = StrictCharField(allow_blank=True, max_length=NOTES_MAX_LENGTH, trim_whitespace=False)
    context = ContextSerializer()
    functions = FunctionFactsSerializer(many=True)

    def validate_as_of(self, value: dt.date) -> dt.date:
        as_of_check(value)
        return value

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


# --- stored recommendations and profiles ----------------------------------------------------


class OverrideSerializer(serializers.Serializer):
    degree = vocabulary_choice_field(vocabulary.DEGREES)
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
    function = vocabulary_choice_field(FUNCTION_VOCABULARY)
    lead = vocabulary_choice_field(vocabulary.LEADS)
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


def _arrangement_field() -> HumanitarianArrangementSerializer:
    return HumanitarianArrangementSerializer(
        allow_null=True,
        help_text=_(
            "The humanitarian arrangement the rulebook decided (domain.md §4, P7), as "
            "POST /evaluate/ answers it; null where the rulebook decides none (before 2008.1) "
            "or integration policy does not apply."
        ),
    )


class AssessmentRecommendationsSerializer(serializers.Serializer):
    assessment = serializers.IntegerField()
    evaluation = EvaluationRefSerializer()
    applicable = serializers.BooleanField()
    reason = serializers.CharField(allow_blank=True)
    rulebook = RulebookRefSerializer()
    humanitarian_arrangement = _arrangement_field()
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
    humanitarian_arrangement = _arrangement_field()
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
