"""Report jobs: POST a request (202 with the job), GET its state, download its files.

Authentication, permissions, errors and throttling are the API's defaults (integration/api/):
a token or a session; a read-scoped token cannot request a report (it creates a job). The
service's refusals (reports.exceptions) are answered by the API's one exception handler.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from missions.models import Mission
from reports import selectors, services
from reports.api.serializers import ReportJobSerializer, ReportRequestSerializer
from reports.downloads import report_file_response
from reports.formats import FORMATS
from reports.models import ReportJob


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
        job, _created = services.report_job_request(
            kind=data["kind"],
            by=request.user,
            mission=mission,
            formats=data["formats"],
            parameters=parameters,
            idempotency_key=key[:200],
        )
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
