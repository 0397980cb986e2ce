"""Shapes of scenarios (read and written) and of their comparison with the baseline.

Serializers validate shape only; the changes are checked by the engine in the services
(assessments.scenario_services), which name each fact at fault.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assessments.models import Scenario
from integration.api.decisions import FUNCTION_VOCABULARY, BarrierSerializer
from integration.api.fields import StrictCharField, StrictSerializer, vocabulary_choice_field
from integration.engine import vocabulary
from integration.text import TEXT_MAX_LENGTH

CHANGES_HELP = _(
    'Fact changes against the assessment: {"context": {fact: value}, "functions": '
    "{function_code: {fact: value}}}, values as in the assessment's own facts. Only the "
    "engine's facts of the context and of functions in the mandate."
)
READ_ONLY_SCENARIO_FIELDS = (
    "id",
    "assessment",
    "version",
    "rulebook_version",
    "created_by",
    "updated_by",
    "created_at",
    "updated_at",
)


class ScenarioSerializer(serializers.ModelSerializer):
    """A scenario as read. `rulebook_version` is the published rulebook its comparison is
    evaluated under (in the serializer's context: read once per request)."""

    changes = serializers.JSONField(help_text=CHANGES_HELP)
    rulebook_version = serializers.SerializerMethodField(
        help_text=_("The published rulebook the scenario is evaluated under.")
    )
    created_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    updated_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = Scenario
        fields = (
            "id",
            "assessment",
            "name",
            "note",
            "changes",
            "version",
            "rulebook_version",
            "created_by",
            "updated_by",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields

    def get_rulebook_version(self, scenario: Scenario) -> str:
        return self.context["rulebook_version"]


class ScenarioWriteSerializer(StrictSerializer):
    """POST and PUT (name and changes required) and PATCH (any subset). What a client read may
    be sent back: its read-only fields are ignored."""

    ignored_fields = READ_ONLY_SCENARIO_FIELDS

    name = StrictCharField(max_length=120, allow_blank=True, trim_whitespace=False)
    note = StrictCharField(
        max_length=TEXT_MAX_LENGTH, allow_blank=True, trim_whitespace=False, required=False
    )
    changes = serializers.DictField(help_text=CHANGES_HELP)


# --- comparison -----------------------------------------------------------------------------


class ComparisonColumnSerializer(serializers.Serializer):
    scenario = serializers.SerializerMethodField(
        help_text=_("The scenario's id; null for the baseline (the assessment's saved facts).")
    )
    name = serializers.SerializerMethodField()
    applicable = serializers.BooleanField(
        help_text=_("False when the engine does not apply to these facts (see reason).")
    )
    reason = serializers.CharField()
    errors = serializers.SerializerMethodField(
        help_text=_(
            "Facts the scenario's changes no longer fit (the assessment changed since): "
            "{path: [message]}; the column then has no cells."
        )
    )

    def get_scenario(self, column) -> int | None:
        return column.scenario.pk if column.scenario is not None else None

    def get_name(self, column) -> str | None:
        return column.scenario.name if column.scenario is not None else None

    @extend_schema_field(serializers.DictField(child=serializers.ListField()))
    def get_errors(self, column) -> dict:
        return {path: [message] for path, message in column.errors}


class ComparisonCellSerializer(serializers.Serializer):
    degree = vocabulary_choice_field(vocabulary.DEGREES)
    feasible_degree = vocabulary_choice_field(vocabulary.DEGREES)
    lead = vocabulary_choice_field(vocabulary.LEADS)
    moved = serializers.BooleanField(
        help_text=_("The degree, feasible degree or lead differs from the baseline's.")
    )
    degree_moved = serializers.BooleanField()
    feasible_moved = serializers.BooleanField()
    lead_moved = serializers.BooleanField()
    barriers = BarrierSerializer(many=True)
    barriers_added = BarrierSerializer(many=True, help_text=_("Not in the baseline's cell."))
    barriers_removed = BarrierSerializer(many=True, help_text=_("In the baseline's cell only."))


class ComparisonRowSerializer(serializers.Serializer):
    function = serializers.SerializerMethodField()
    level = vocabulary_choice_field(vocabulary.LEVELS)
    cells = serializers.ListField(
        child=ComparisonCellSerializer(allow_null=True),
        help_text=_("One per column, in the columns' order; null where a column has no answer."),
    )

    @extend_schema_field(vocabulary_choice_field(FUNCTION_VOCABULARY))
    def get_function(self, row) -> str:
        return row.function.code


class ComparisonSerializer(serializers.Serializer):
    """The baseline and the scenarios asked for, under the published rulebook."""

    rulebook_version = serializers.CharField()
    no_function = serializers.BooleanField(
        help_text=_("No function is in the mandate: there is nothing to compare.")
    )
    columns = ComparisonColumnSerializer(many=True)
    rows = ComparisonRowSerializer(many=True)
