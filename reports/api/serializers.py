"""Shapes of report requests and report jobs."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from reports.formats import FORMAT_CHOICES, FORMATS
from reports.models import ReportJob


class ReportRequestSerializer(serializers.Serializer):
    """What to build. `mission` (an acronym) is required for mission reports; `assessment`
    names one of its assessments (default: its latest)."""

    kind = serializers.ChoiceField(choices=ReportJob.Kind.choices)
    mission = serializers.CharField(required=False, allow_blank=False, max_length=20)
    assessment = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_(
            "Mission reports: the id of the assessment to report on, one of the mission's "
            "(default: its latest, by date)."
        ),
    )
    formats = serializers.ListField(
        child=serializers.ChoiceField(choices=FORMAT_CHOICES),
        min_length=1,
        max_length=len(FORMATS),
    )
    idempotency_key = serializers.CharField(
        required=False,
        max_length=200,
        help_text=_("Send the same key again (or an Idempotency-Key header) to get the same job."),
    )


class ReportFileSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=FORMAT_CHOICES)
    url = serializers.CharField()


class ReportJobSerializer(serializers.ModelSerializer):
    """A report job: its state, progress and, once it succeeded, its files."""

    mission = serializers.SlugRelatedField(slug_field="acronym", read_only=True, allow_null=True)
    requested_by = serializers.CharField(
        source="requested_by.get_username", read_only=True, allow_null=True, default=None
    )
    formats = serializers.ListField(child=serializers.ChoiceField(choices=FORMAT_CHOICES))
    files = serializers.SerializerMethodField()

    class Meta:
        model = ReportJob
        fields = (
            "id",
            "kind",
            "mission",
            "formats",
            "state",
            "progress",
            "attempts",
            "error",
            "requested_by",
            "created_at",
            "started_at",
            "finished_at",
            "files",
        )
        read_only_fields = fields

    def get_files(self, job: ReportJob) -> list[ReportFileSerializer]:
        if job.state != ReportJob.State.SUCCEEDED:
            return []
        return [
            {"format": fmt, "url": reverse("report-api-file", args=[job.pk, fmt])}
            for fmt in job.files
        ]

    get_files.__annotations__["return"] = ReportFileSerializer(many=True)
