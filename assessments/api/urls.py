"""The assessments app's routes, served under /api/v1/ by integration/urls.py (namespace "api")."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from assessments.api.scenario_views import ScenarioViewSet
from assessments.api.views import AssessmentViewSet, MissionViewSet

router = SimpleRouter()
router.register("missions", MissionViewSet, basename="mission")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register(
    r"assessments/(?P<id>[0-9]+)/scenarios", ScenarioViewSet, basename="assessment-scenario"
)
