"""An assessment's scenarios: /api/v1/assessments/{id}/scenarios/ (list, create),
…/scenarios/{scenario_id}/ (read, PUT, PATCH, DELETE), …/{scenario_id}/apply/ and
…/scenarios/comparison/.

Thin, as the assessments' views: check the caller may act, read If-Match, call a service or
selector. Everyone signed in reads; the mission's planners (and admins) write, while the
assessment is a draft or returned (the services refuse otherwise: 409).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from assessments import scenario_services
from assessments.api.etags import assessment_etag, expected_version_get
from assessments.api.scenario_serializers import (
    ComparisonSerializer,
    ScenarioSerializer,
    ScenarioWriteSerializer,
)
from assessments.api.serializers import AssessmentSerializer
from assessments.api.views import (
    ASSESSMENT_CACHE_CONTROL,
    IF_MATCH,
    NOT_MODIFIED,
    assessments_for_api,
)
from assessments.exceptions import ScenarioInvalid
from assessments.models import Assessment, Scenario
from assessments.scenario_models import MAX_COMPARED
from assessments.selectors.scenarios import scenario_comparison_get
from integration.api.conditional import conditional_response
from integration.api.exceptions import PreconditionFailed, PreconditionRequired
from integration.api.viewsets import FilteredViewSet
from integration.services import rulebook_default_ensure

SCENARIO_ETAG = re.compile(r'"s(?P<id>\d{1,18})\.v(?P<version>\d{1,9})"')
ASSESSMENT_PATH_ID = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description=_("The assessment's id.")
)
SCENARIO_PATH_ID = OpenApiParameter(
    "scenario_id", OpenApiTypes.INT, OpenApiParameter.PATH, description=_("The scenario's id.")
)
SCENARIO_IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description=_('The ETag of the scenario as you read it, e.g. "s4.v2".'),
)
COMPARED_IDS = OpenApiParameter(
    "ids",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    description=_(
        "Up to 3 scenario ids, comma-separated, in the order of the columns (default: the "
        "assessment's first 3 scenarios)."
    ),
)


def scenario_etag(scenario: Scenario) -> str:
    return f'"s{scenario.pk}.v{scenario.version}"'


def scenario_expected_version_get(*, request, scenario: Scenario) -> int:
    """The version the caller read, from `If-Match`: 428 without it, 412 if it is not current."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        raise PreconditionRequired()
    for tag in header.split(","):
        match = SCENARIO_ETAG.fullmatch(tag.strip())
        if match and int(match["id"]) == scenario.pk and int(match["version"]) == scenario.version:
            return scenario.version
    raise PreconditionFailed(
        _("If-Match does not name the current version of this scenario (now %(etag)s).")
        % {"etag": scenario_etag(scenario)}
    )


def _api_errors(error: ScenarioInvalid) -> exceptions.ValidationError:
    """The services' paths as the body names them: fact paths sit under `changes`."""
    return exceptions.ValidationError(
        {
            path if path in ("name", "note") else f"changes.{path}": [message]
            for path, message in error.errors.items()
        }
    )


def _compared_ids(raw: str | None) -> list[int] | None:
    if raw is None:
        return None
    parts = [part.strip() for part in raw.split(",") if part.strip()]
    if not parts or not all(part.isascii() and part.isdigit() and len(part) < 19 for part in parts):
        raise exceptions.ValidationError({"ids": [_("Scenario ids, comma-separated.")]})
    if len(parts) > MAX_COMPARED:
        raise exceptions.ValidationError(
            {"ids": [_("At most %(count)d scenarios at once.") % {"count": MAX_COMPARED}]}
        )
    return list(dict.fromkeys(int(part) for part in parts))


class ScenarioViewSet(FilteredViewSet):
    """An assessment's scenarios. Reads carry an ETag ("s4.v2"); writes to a scenario need it
    in If-Match; applying one needs the assessment's ("a12.v3")."""

    serializer_class = ScenarioSerializer
    filterset_class = None
    lookup_url_kwarg = "scenario_id"
    lookup_value_regex = "[0-9]+"
    http_method_names = ("get", "post", "put", "patch", "delete", "head", "options")

    def _assessment(self) -> Assessment:
        assessment = (
            Assessment.objects.visible_to(self.request.user).filter(pk=self.kwargs["id"]).first()
        )
        if assessment is None:
            raise exceptions.NotFound(_("No such assessment."))
        return assessment

    def _require_editable(self, assessment: Assessment) -> None:
        if not Assessment.objects.editable_by(self.request.user).filter(pk=assessment.pk).exists():
            raise exceptions.PermissionDenied(
                _("You may only change scenarios of assessments of missions you plan for.")
            )

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema has no assessment to read
            return Scenario.objects.none()
        return Scenario.objects.filter(assessment_id=self.kwargs["id"]).select_related(
            "created_by", "updated_by"
        )

    def get_serializer_context(self):
        return super().get_serializer_context() | {
            "rulebook_version": rulebook_default_ensure().version
        }

    def _scenario(self, assessment: Assessment) -> Scenario:
        scenario = self.get_queryset().filter(pk=self.kwargs["scenario_id"]).first()
        if scenario is None:
            raise exceptions.NotFound(_("No such scenario."))
        return scenario

    def _respond(self, scenario: Scenario, *, status_code: int = 200) -> Response:
        scenario = self.get_queryset().get(pk=scenario.pk)
        response = conditional_response(
            self.request,
            ScenarioSerializer(scenario, context=self.get_serializer_context()).data,
            etag=scenario_etag(scenario),
            cache_control=ASSESSMENT_CACHE_CONTROL,
            status=status_code,
        )
        if status_code == status.HTTP_201_CREATED:
            response["Location"] = f"{self.request.path.rstrip('/')}/{scenario.pk}/"
        return response

    @extend_schema(parameters=[ASSESSMENT_PATH_ID], responses=ScenarioSerializer(many=True))
    def list(self, request, id=None) -> Response:
        """The assessment's scenarios, oldest first."""
        self._assessment()
        page = self.paginate_queryset(self.get_queryset())
        serializer = ScenarioSerializer(page, many=True, context=self.get_serializer_context())
        return self.get_paginated_response(serializer.data)

    @extend_schema(
        parameters=[ASSESSMENT_PATH_ID],
        request=ScenarioWriteSerializer,
        responses={201: ScenarioSerializer},
    )
    def create(self, request, id=None) -> Response:
        """A new scenario of a draft or returned assessment of a mission you plan for."""
        assessment = self._assessment()
        self._require_editable(assessment)
        data = self._validated(partial=False)
        try:
            scenario = scenario_services.scenario_create(
                assessment_id=assessment.pk,
                by=request.user,
                name=data["name"],
                note=data.get("note", ""),
                changes=data["changes"],
            )
        except ScenarioInvalid as error:
            raise _api_errors(error) from error
        return self._respond(scenario, status_code=status.HTTP_201_CREATED)

    def _validated(self, *, partial: bool) -> dict:
        serializer = ScenarioWriteSerializer(data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(
        parameters=[ASSESSMENT_PATH_ID, SCENARIO_PATH_ID],
        responses={200: ScenarioSerializer, 304: NOT_MODIFIED},
    )
    def retrieve(self, request, id=None, scenario_id=None) -> Response:
        return self._respond(self._scenario(self._assessment()))

    def _update(self, *, partial: bool) -> Response:
        assessment = self._assessment()
        scenario = self._scenario(assessment)
        self._require_editable(assessment)
        expected = scenario_expected_version_get(request=self.request, scenario=scenario)
        data = self._validated(partial=partial)
        try:
            updated = scenario_services.scenario_update(
                scenario_id=scenario.pk,
                by=self.request.user,
                expected_version=expected,
                name=data.get("name", scenario.name),
                note=data.get("note", scenario.note if partial else ""),
                changes=data.get("changes", scenario.changes),
            )
        except ScenarioInvalid as error:
            raise _api_errors(error) from error
        return self._respond(updated)

    @extend_schema(
        parameters=[ASSESSMENT_PATH_ID, SCENARIO_PATH_ID, SCENARIO_IF_MATCH],
        request=ScenarioWriteSerializer,
        responses=ScenarioSerializer,
    )
    def update(self, request, id=None, scenario_id=None) -> Response:
        """Replace name, note and changes (name and changes required; a note left out is
        emptied)."""
        return self._update(partial=False)

    @extend_schema(
        parameters=[ASSESSMENT_PATH_ID, SCENARIO_PATH_ID, SCENARIO_IF_MATCH],
        request=ScenarioWriteSerializer,
        responses=ScenarioSerializer,
    )
    def partial_update(self, request, id=None, scenario_id=None) -> Response:
        """Change some of name, note and changes; `changes`, when given, replaces them all."""
        return self._update(partial=True)

    @extend_schema(
        parameters=[ASSESSMENT_PATH_ID, SCENARIO_PATH_ID, SCENARIO_IF_MATCH],
        responses={204: None},
    )
    def destroy(self, request, id=None, scenario_id=None) -> Response:
        assessment = self._assessment()
        scenario = self._scenario(assessment)
        self._require_editable(assessment)
        expected = scenario_expected_version_get(request=request, scenario=scenario)
        scenario_services.scenario_delete(
            scenario_id=scenario.pk, by=request.user, expected_version=expected
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        parameters=[ASSESSMENT_PATH_ID, SCENARIO_PATH_ID, IF_MATCH],  # the assessment's ETag
        request=None,
        responses=AssessmentSerializer,
    )
    @action(detail=True, methods=["post"])
    def apply(self, request, id=None, scenario_id=None) -> Response:
        """Copy the scenario's changes into the assessment's facts (If-Match: the assessment's
        ETag); the history records it. Answers the assessment, with its new ETag."""
        assessment = self._assessment()
        scenario = self._scenario(assessment)
        self._require_editable(assessment)
        expected = expected_version_get(request=request, assessment=assessment)
        try:
            scenario_services.scenario_apply(
                scenario_id=scenario.pk, by=request.user, expected_assessment_version=expected
            )
        except ScenarioInvalid as error:
            raise _api_errors(error) from error
        applied = assessments_for_api(user=request.user).get(pk=assessment.pk)
        return conditional_response(
            request,
            AssessmentSerializer(applied).data,
            etag=assessment_etag(applied),
            cache_control=ASSESSMENT_CACHE_CONTROL,
        )

    @extend_schema(parameters=[ASSESSMENT_PATH_ID, COMPARED_IDS], responses=ComparisonSerializer)
    @action(detail=False, pagination_class=None)
    def comparison(self, request, id=None) -> Response:
        """The baseline (the assessment's saved facts) and up to 3 scenarios, evaluated now
        under the published rulebook: per function in the mandate and level, the degree,
        feasible degree and lead, what moved and which barriers appear or disappear."""
        assessment = self._assessment()
        ids = _compared_ids(request.query_params.get("ids"))
        scenarios = list(self.get_queryset().order_by("created_at", "id"))
        if ids is None:
            chosen = scenarios[:MAX_COMPARED]
        else:
            by_id = {scenario.pk: scenario for scenario in scenarios}
            missing = [str(pk) for pk in ids if pk not in by_id]
            if missing:
                raise exceptions.ValidationError(
                    {
                        "ids": [
                            _("Not scenarios of this assessment: %(ids)s.")
                            % {"ids": ", ".join(missing)}
                        ]
                    }
                )
            chosen = [by_id[pk] for pk in ids]
        comparison = scenario_comparison_get(assessment=assessment, scenarios=chosen)
        return Response(ComparisonSerializer(comparison).data)
