"""API resources. Thin: validate shape, check the caller may act, call a service or selector."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments import services as assessment_services
from assessments.models import Assessment, FunctionAssessment
from assessments.selectors import mission_detail_get, mission_list_with_latest
from integration import engine
from integration.api import serializers as s
from integration.api.conditional import (
    assessment_etag,
    conditional_response,
    expected_version_get,
)
from integration.api.exceptions import fact_error_to_validation
from integration.api.filtersets import (
    AssessmentFilterSet,
    FunctionFilterSet,
    MissionFilterSet,
    RulebookFilterSet,
    UNEntityFilterSet,
)
from integration.api.selectors import assessment_recommendations_get, integration_profile_get
from integration.models import Rulebook
from integration.services import rulebook_published_get
from missions.models import Function, Mission, UNEntity

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


class _FilteredViewSet(viewsets.GenericViewSet):
    filter_backends = (DjangoFilterBackend,)


# --- reference data -------------------------------------------------------------------------


class FunctionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _FilteredViewSet):
    """The catalogue of functions (domain.md §7)."""

    serializer_class = s.FunctionSerializer
    filterset_class = FunctionFilterSet
    lookup_field = "code"
    lookup_value_regex = "[^/]+"  # anything else is a JSON 404 from the view, not a route miss

    def get_queryset(self):
        return Function.objects.order_by("position", "code")


class UNEntityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _FilteredViewSet):
    """UN entities and partners; filter by `kind`."""

    serializer_class = s.UNEntitySerializer
    filterset_class = UNEntityFilterSet
    lookup_field = "acronym"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return UNEntity.objects.order_by("acronym")


class RulebookViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _FilteredViewSet):
    """Rulebook versions; every stored evaluation names the one it was computed under."""

    filterset_class = RulebookFilterSet
    lookup_field = "version"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        queryset = Rulebook.objects.order_by("-created_at", "-id")
        if self.action == "list":
            queryset = queryset.defer("content")
        return queryset

    def get_serializer_class(self):
        return s.RulebookDetailSerializer if self.action == "retrieve" else s.RulebookSerializer


# --- missions -------------------------------------------------------------------------------


def _mission_get(*, user, acronym: str) -> Mission:
    try:
        return mission_detail_get(user=user, acronym=acronym)
    except (Mission.DoesNotExist, ValueError) as exc:  # ValueError: NUL bytes on PostgreSQL
        raise exceptions.NotFound(_("No such mission.")) from exc


class MissionViewSet(mixins.ListModelMixin, _FilteredViewSet):
    """Missions with the phase and status of their latest assessment."""

    serializer_class = s.MissionSerializer
    filterset_class = MissionFilterSet
    lookup_field = "acronym"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return mission_list_with_latest(user=self.request.user)

    @extend_schema(responses=s.MissionDetailSerializer)
    def retrieve(self, request, acronym: str) -> Response:
        mission = _mission_get(user=request.user, acronym=acronym)
        return Response(s.MissionDetailSerializer(mission).data)

    @extend_schema(
        parameters=[s.ProfileQuerySerializer, IF_NONE_MATCH],
        responses={200: s.IntegrationProfileSerializer, 304: NOT_MODIFIED},
    )
    @action(detail=True, url_path="integration-profile", filterset_class=None)
    def integration_profile(self, request, acronym: str) -> Response:
        """The mission's recommendations: from its latest approved assessment, or (flagged
        `approved: false`) its latest submitted one; `as_of` gives the profile as it stood at
        the end of that day (status, evaluation and overrides as they were then)."""
        query = s.ProfileQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            mission = Mission.objects.visible_to(request.user).get(acronym=acronym)
        except (Mission.DoesNotExist, ValueError) as exc:
            raise exceptions.NotFound(_("No such mission.")) from exc
        profile = integration_profile_get(mission=mission, as_of=query.validated_data.get("as_of"))
        if profile is None:
            raise exceptions.NotFound(
                _("%(mission)s has no submitted or approved assessment for that date.")
                % {"mission": mission.acronym}
            )
        return conditional_response(request, profile, cache_control=PROFILE_CACHE_CONTROL)


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


class AssessmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _FilteredViewSet):
    """Assessments with nested function facts. Reads carry an ETag; writes need If-Match."""

    serializer_class = s.AssessmentSerializer
    filterset_class = AssessmentFilterSet
    # Ids are numbers: the schema says so (an integer path parameter), and anything else is a
    # route miss, which integration/urls.py's handler404 answers in the API's error format.
    lookup_value_regex = "[0-9]+"
    http_method_names = ("get", "post", "put", "patch", "head", "options")

    def get_queryset(self):
        rows = FunctionAssessment.objects.select_related("function").prefetch_related(
            "involved_entities"
        )
        return (
            Assessment.objects.visible_to(self.request.user)
            .select_related("mission")
            .prefetch_related(
                Prefetch("function_assessments", queryset=rows.order_by("function__position"))
            )
            .order_by("mission__acronym", "-as_of", "-id")
        )

    def _respond(self, assessment: Assessment, *, status_code: int = 200) -> Response:
        assessment = self.get_queryset().get(pk=assessment.pk)
        response = conditional_response(
            self.request,
            s.AssessmentSerializer(assessment).data,
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
        responses={200: s.AssessmentSerializer, 304: NOT_MODIFIED},
    )
    def retrieve(self, request, pk=None) -> Response:
        return self._respond(self.get_object())

    @extend_schema(request=s.AssessmentCreateSerializer, responses={201: s.AssessmentSerializer})
    def create(self, request) -> Response:
        """Start a draft for a mission you plan for; facts left out are prefilled from the
        mission's previous assessment (or the catalogue)."""
        serializer = s.AssessmentCreateSerializer(
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
            assessment = assessment_services.assessment_create(
                mission=mission, by=request.user, as_of=data.get("as_of")
            )
            if context or functions:
                assessment = assessment_services.assessment_update(
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
        serializer = s.AssessmentUpdateSerializer(
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
        updated = assessment_services.assessment_update(
            assessment_id=assessment.pk,
            by=request.user,
            expected_version=expected_version,
            context=context,
            functions=functions,
        )
        return self._respond(updated)

    @extend_schema(
        request=s.AssessmentUpdateSerializer,
        responses=s.AssessmentSerializer,
        parameters=[ASSESSMENT_ID, IF_MATCH],
    )
    def update(self, request, pk=None) -> Response:
        """Replace the facts: every field is required; functions not listed stay as they are."""
        return self._update(request, partial=False)

    @extend_schema(
        request=s.AssessmentUpdateSerializer,
        responses=s.AssessmentSerializer,
        parameters=[ASSESSMENT_ID, IF_MATCH],
    )
    def partial_update(self, request, pk=None) -> Response:
        """Change some facts; list only the functions (and their facts) that change."""
        return self._update(request, partial=True)

    @extend_schema(
        request=None, responses=s.AssessmentSerializer, parameters=[ASSESSMENT_ID, IF_MATCH]
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def submit(self, request, pk=None) -> Response:
        """Freeze the facts and compute recommendations; the assessment awaits HQ review."""
        assessment = self.get_object()
        self._require_editable(assessment)
        expected_version = expected_version_get(request=request, assessment=assessment)
        submitted = assessment_services.assessment_submit(
            assessment_id=assessment.pk, by=request.user, expected_version=expected_version
        )
        return self._respond(submitted)

    @extend_schema(parameters=[ASSESSMENT_ID], responses=s.AssessmentRecommendationsSerializer)
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


# --- the stateless what-if ------------------------------------------------------------------


class EvaluateView(APIView):
    """Evaluate a context without saving it (any signed-in user or token, read scope too)."""

    changes_nothing = True  # a read token may call it: it stores nothing

    @extend_schema(
        operation_id="evaluate",
        request=s.EvaluateRequestSerializer,
        responses=s.DecisionSerializer,
    )
    def post(self, request) -> Response:
        """Recommendations for a context under the published rulebook, with what-if.

        Body: `{"context": {…}, "functions": [{"function": "ddr", …}, …]}`; omit `functions`
        for all 12 with catalogue defaults. Unknown fields or values are a 400 naming the field.
        """
        try:
            facts = engine.facts_from_dict(request.data)
        except engine.FactError as exc:
            raise fact_error_to_validation(exc) from exc
        _rulebook, compiled = rulebook_published_get()
        decision = engine.evaluate(facts, compiled, what_if=True)
        return Response(engine.decision_to_dict(decision))
