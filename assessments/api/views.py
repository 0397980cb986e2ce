"""Missions with their assessments and profiles, and assessments read, written and submitted.

Thin: validate shape, check the caller may act, call a service or selector. Missions live here,
not in missions/api/: what the API shows of a mission (its latest assessment, its assessments,
its integration profile) is read from the assessments.
"""

from __future__ import annotations

import sys
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from assessments import services
from assessments.api import selectors as api_selectors
from assessments.api import serializers as api_serializers
from assessments.api.etags import assessment_etag, expected_version_get
from assessments.api.filtersets import AssessmentFilterSet, MissionFilterSet
from assessments.api.selectors import assessment_recommendations_get, integration_profile_get
from assessments.api.serializers import (
    AssessmentCreateSerializer,
    AssessmentRecommendationsSerializer,
    AssessmentSerializer,
    AssessmentUpdateSerializer,
    IntegrationProfileSerializer,
    MissionDetailSerializer,
    MissionSerializer,
    ProfileQuerySerializer,
)
from assessments.models import Assessment, FunctionAssessment
from assessments.selectors import mission_detail_get, mission_list_with_latest
from assessments.selectors import missions as mission_selectors
from integration.api.conditional import answer_response, conditional_response
from integration.api.read_cache import answer_get, source_version
from integration.api.viewsets import FilteredViewSet
from missions.models import Function, Mission

# Profiles change when an assessment is approved or re-evaluated: a minute is fresh enough for
# dashboards, and the ETag makes revalidation cheap.
PROFILE_CACHE_CONTROL = "private, max-age=60"
ASSESSMENT_CACHE_CONTROL = "private, no-cache"

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description=_('The ETag of the assessment as you read it, e.g. "a12.v3".'),
)
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=_("An ETag you hold; the answer is 304 with no body if it is still current."),
)
ASSESSMENT_ID = OpenApiParameter(
    "id",
    OpenApiTypes.INT,
    OpenApiParameter.PATH,
    description=_("The assessment's id: 12 in the ETag a12.v3."),
)
NOT_MODIFIED = OpenApiResponse(description=_("Not modified: your copy is current."))


# --- missions -------------------------------------------------------------------------------

# The code that builds the stored profiles and lists (read_cache.py): a deploy that changes any
# of it stores new answers, with new ETags, instead of serving the old ones until they lapse.
ANSWER_VERSION = source_version(
    api_selectors, api_serializers, mission_selectors, sys.modules[__name__]
)


def _mission_get(*, user, acronym: str) -> Mission:
    try:
        return mission_detail_get(user=user, acronym=acronym)
    except (Mission.DoesNotExist, ValueError) as exc:  # ValueError: NUL bytes on PostgreSQL
        raise exceptions.NotFound(_("No such mission.")) from exc


class MissionViewSet(mixins.ListModelMixin, FilteredViewSet):
    """Missions with the phase and status of their latest assessment."""

    serializer_class = MissionSerializer
    filterset_class = MissionFilterSet
    lookup_field = "acronym"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return mission_list_with_latest(user=self.request.user)

    def list(self, request, *args, **kwargs) -> HttpResponseBase:
        # Stored rendered until the next write (read_cache.py). The key holds everything the
        # page depends on: who may see what, the query (filters, page) and the host and scheme
        # its next/previous links are built from.
        query = "&".join(f"{k}={v}" for k, v in sorted(request.query_params.lists()))
        key = (
            f"missions:{Mission.objects.visibility_key(request.user)}:"
            f"{request.scheme}://{request.get_host()}:{query}"
        )
        answer = answer_get(
            key=key,
            build=lambda: super(MissionViewSet, self).list(request).data,
            request=request,
            version=ANSWER_VERSION,
        )
        return HttpResponse(answer.body, content_type="application/json")

    @extend_schema(responses=MissionDetailSerializer)
    def retrieve(self, request, acronym: str) -> Response:
        mission = _mission_get(user=request.user, acronym=acronym)
        return Response(MissionDetailSerializer(mission).data)

    @extend_schema(
        parameters=[ProfileQuerySerializer, IF_NONE_MATCH],
        responses={200: IntegrationProfileSerializer, 304: NOT_MODIFIED},
    )
    @action(detail=True, url_path="integration-profile", filterset_class=None)
    def integration_profile(self, request, acronym: str) -> Response:
        """The mission's recommendations: from its latest approved assessment, or (flagged
        `approved: false`) its latest submitted one; `as_of` gives the profile as it stood at
        the end of that day (status, evaluation and overrides as they were then)."""
        as_of = None
        if request.query_params:
            query = ProfileQuerySerializer(data=request.query_params)
            query.is_valid(raise_exception=True)
            as_of = query.validated_data.get("as_of")
        # Stored rendered with its ETag until the next write (read_cache.py): a revalidation
        # that is still current costs one round trip to Redis and no query.
        key = f"profile:{Mission.objects.visibility_key(request.user)}:{acronym}:{as_of}"
        answer = answer_get(
            key=key,
            build=lambda: _profile_build(user=request.user, acronym=acronym, as_of=as_of),
            request=request,
            version=ANSWER_VERSION,
        )
        return answer_response(request, answer, cache_control=PROFILE_CACHE_CONTROL)


def _profile_build(*, user, acronym: str, as_of) -> dict[str, Any]:
    try:
        mission = Mission.objects.visible_to(user).get(acronym=acronym)
    except (Mission.DoesNotExist, ValueError) as exc:
        raise exceptions.NotFound(_("No such mission.")) from exc
    profile = integration_profile_get(mission=mission, as_of=as_of)
    if profile is None:
        raise exceptions.NotFound(
            _("%(mission)s has no submitted or approved assessment for that date.")
            % {"mission": mission.acronym}
        )
    return profile


# --- assessments ----------------------------------------------------------------------------


def _write_arguments(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """Validated input as assessment_update's `context` and `functions` arguments."""
    context = dict(data.get("context", {}))
    for name in ("as_of", "notes"):
        if name in data:
            context[name] = data[name]
    functions = {
        item["function"]: {key: value for key, value in item.items() if key != "function"}
        for item in data.get("functions", [])
    }
    return context, functions


def _require_known_functions(*, functions: dict[str, Any], known: set[str]) -> None:
    unknown = [code for code in functions if code not in known]
    if unknown:
        message = _("Not part of this assessment: %(codes)s.") % {"codes": ", ".join(unknown)}
        raise exceptions.ValidationError({"functions": [message]})


def assessments_for_api(*, user):
    """Assessments `user` reads, with what AssessmentSerializer shows of them prefetched."""
    rows = FunctionAssessment.objects.select_related("function").prefetch_related(
        "involved_entities"
    )
    return (
        Assessment.objects.visible_to(user)
        .select_related("mission")
        .prefetch_related(
            Prefetch("function_assessments", queryset=rows.order_by("function__position"))
        )
        .order_by("mission__acronym", "-as_of", "-id")
    )


class AssessmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, FilteredViewSet):
    """Assessments with nested function facts. Reads carry an ETag; writes need If-Match."""

    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilterSet
    # Ids are numbers: the schema says so (an integer path parameter), and anything else is a
    # route miss, which integration/urls.py's handler404 answers in the API's error format.
    lookup_value_regex = "[0-9]+"
    http_method_names = ("get", "post", "put", "patch", "head", "options")

    def get_queryset(self):
        return assessments_for_api(user=self.request.user)

    def _respond(self, assessment: Assessment, *, status_code: int = 200) -> Response:
        assessment = self.get_queryset().get(pk=assessment.pk)
        response = conditional_response(
            self.request,
            AssessmentSerializer(assessment).data,
            etag=assessment_etag(assessment),
            cache_control=ASSESSMENT_CACHE_CONTROL,
            status=status_code,
        )
        if status_code == status.HTTP_201_CREATED:
            response["Location"] = f"{self.request.path.rstrip('/')}/{assessment.pk}/"
        return response

    def _require_editable(self, assessment: Assessment) -> None:
        if not Assessment.objects.editable_by(self.request.user).filter(pk=assessment.pk).exists():
            raise exceptions.PermissionDenied(
                _("You may only change assessments of missions you plan for.")
            )

    @extend_schema(
        parameters=[ASSESSMENT_ID, IF_NONE_MATCH],
        responses={200: AssessmentSerializer, 304: NOT_MODIFIED},
    )
    def retrieve(self, request, pk=None) -> Response:
        return self._respond(self.get_object())

    @extend_schema(request=AssessmentCreateSerializer, responses={201: AssessmentSerializer})
    def create(self, request) -> Response:
        """Start a draft for a mission you plan for; facts left out are prefilled from the
        mission's previous assessment (or the catalogue)."""
        serializer = AssessmentCreateSerializer(
            data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        mission = data["mission"]
        if not Mission.objects.editable_by(request.user).filter(pk=mission.pk).exists():
            raise exceptions.PermissionDenied(
                _("You may only start assessments for missions you plan for.")
            )
        context, functions = _write_arguments(data)
        _require_known_functions(
            functions=functions, known=set(Function.objects.values_list("code", flat=True))
        )
        with transaction.atomic():
            assessment = services.assessment_create(
                mission=mission, by=request.user, as_of=data.get("as_of")
            )
            if context or functions:
                assessment = services.assessment_update(
                    assessment_id=assessment.pk,
                    by=request.user,
                    expected_version=assessment.version,
                    context=context,
                    functions=functions,
                )
        return self._respond(assessment, status_code=status.HTTP_201_CREATED)

    def _update(self, request, *, partial: bool) -> Response:
        assessment = self.get_object()
        self._require_editable(assessment)
        expected_version = expected_version_get(request=request, assessment=assessment)
        serializer = AssessmentUpdateSerializer(
            data=request.data, partial=partial, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        if isinstance(request.data, dict) and request.data.get("mission") not in (
            None,
            assessment.mission.acronym,
        ):
            raise exceptions.ValidationError(
                {"mission": [_("An assessment cannot move to another mission.")]}
            )
        context, functions = _write_arguments(serializer.validated_data)
        _require_known_functions(
            functions=functions,
            known={row.function.code for row in assessment.function_assessments.all()},
        )
        updated = services.assessment_update(
            assessment_id=assessment.pk,
            by=request.user,
            expected_version=expected_version,
            context=context,
            functions=functions,
        )
        return self._respond(updated)

    @extend_schema(
        request=AssessmentUpdateSerializer,
        responses=AssessmentSerializer,
        parameters=[ASSESSMENT_ID, IF_MATCH],
    )
    def update(self, request, pk=None) -> Response:
        """Replace the facts: every field is required; functions not listed stay as they are."""
        return self._update(request, partial=False)

    @extend_schema(
        request=AssessmentUpdateSerializer,
        responses=AssessmentSerializer,
        parameters=[ASSESSMENT_ID, IF_MATCH],
    )
    def partial_update(self, request, pk=None) -> Response:
        """Change some facts; list only the functions (and their facts) that change."""
        return self._update(request, partial=True)

    @extend_schema(
        request=None, responses=AssessmentSerializer, parameters=[ASSESSMENT_ID, IF_MATCH]
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def submit(self, request, pk=None) -> Response:
        """Freeze the facts and compute recommendations; the assessment awaits HQ review."""
        assessment = self.get_object()
        self._require_editable(assessment)
        expected_version = expected_version_get(request=request, assessment=assessment)
        submitted = services.assessment_submit(
            assessment_id=assessment.pk, by=request.user, expected_version=expected_version
        )
        return self._respond(submitted)

    @extend_schema(parameters=[ASSESSMENT_ID], responses=AssessmentRecommendationsSerializer)
    @action(detail=True, filterset_class=None)
    def recommendations(self, request, pk=None) -> Response:
        """The current recommendations, HQ overrides beside them, and what-if (computed now)."""
        assessment = (
            Assessment.objects.visible_to(request.user)
            .select_related("current_evaluation__rulebook")
            .filter(pk=pk)  # digits only (the route), too large is no row
            .first()
        )
        if assessment is None:
            raise exceptions.NotFound(_("No such assessment."))
        payload = assessment_recommendations_get(assessment=assessment)
        if payload is None:
            raise exceptions.NotFound(_("This assessment has no recommendations yet."))
        return Response(payload)
