"""REST API for reports: POST a request (202 with the job), GET its state, download its files.

Authentication, permissions, errors and throttling are the API's defaults (integration/api/):
a token or a session; a read-scoped token cannot request a report (it creates a job).
"""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from missions.models import Mission
from reports import selectors, services
from reports.downloads import report_file_response
from reports.exceptions import (
    IdempotencyKeyReused,
    ReportError,
    ReportQuotaExceeded,
    ReportRequestInvalid,
)
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


class ReportJobListCreateView(generics.ListAPIView):
    """Report jobs the caller may read, newest first; POST requests a new report."""

    serializer_class = ReportJobSerializer

    def get_queryset(self):
        return (
            ReportJob.objects.visible_to(self.request.user)
            .select_related("mission", "requested_by")
            .order_by("-created_at", "-id")
        )

    @extend_schema(
        operation_id="reports_create",
        request=ReportRequestSerializer,
        responses={202: ReportJobSerializer},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=False,
                description="A retried POST with the same key returns the same job.",
            )
        ],
    )
    def post(self, request) -> Response:
        """Queue a report; 202 with the job. Poll GET /api/v1/reports/{id}/ until it finishes.

        The same idempotency key (body or header) from the same user returns the same job.
        """
        body = ReportRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        mission = None
        if data.get("mission"):
            mission = (
                Mission.objects.visible_to(request.user).filter(acronym=data["mission"]).first()
            )
            if mission is None:
                raise exceptions.ValidationError({"mission": [_("No such mission.")]})
        key = data.get("idempotency_key") or request.headers.get("Idempotency-Key", "")
        parameters = {"assessment": data["assessment"]} if "assessment" in data else {}
        try:
            job, _created = services.report_job_request(
                kind=data["kind"],
                by=request.user,
                mission=mission,
                formats=data["formats"],
                parameters=parameters,
                idempotency_key=key[:200],
            )
        except ReportQuotaExceeded as exc:
            raise exceptions.Throttled(wait=exc.retry_after, detail=str(exc)) from exc
        except IdempotencyKeyReused as exc:
            raise exceptions.ValidationError({"idempotency_key": [str(exc)]}) from exc
        except ReportRequestInvalid as exc:
            raise exceptions.ValidationError({exc.field: [str(exc)]}) from exc
        except ReportError as exc:
            raise exceptions.ValidationError({"non_field_errors": [str(exc)]}) from exc
        job = selectors.report_job_get(user=request.user, job_id=job.pk)
        return Response(ReportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class ReportJobDetailView(generics.RetrieveAPIView):
    """One report job: state (queued, running, succeeded, failed), progress 0-100, files."""

    serializer_class = ReportJobSerializer

    def get_queryset(self):
        return ReportJob.objects.visible_to(self.request.user).select_related(
            "mission", "requested_by"
        )


class ReportFileView(APIView):
    """A finished report's file."""

    @extend_schema(
        operation_id="reports_file",
        parameters=[
            OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH),
            OpenApiParameter("fmt", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(FORMATS)),
        ],
        responses={
            (200, fmt.content_type.split(";")[0]): OpenApiResponse(OpenApiTypes.BINARY)
            for fmt in FORMATS.values()
        },
    )
    def get(self, request, id: int, fmt: str):
        if fmt not in FORMATS:
            raise exceptions.NotFound()
        try:
            job = selectors.report_job_get(user=request.user, job_id=id)
            return report_file_response(job, fmt)
        except (ReportJob.DoesNotExist, Http404) as exc:
            raise exceptions.NotFound() from exc
