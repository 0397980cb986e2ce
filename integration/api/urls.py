"""Routes of /api/v1/ (namespace "api"). /api/v1/reports/ is routed by the reports module."""

from __future__ import annotations

from django.urls import path
from rest_framework.routers import DefaultRouter

from integration.api import views

app_name = "api"

router = DefaultRouter()
router.register("functions", views.FunctionViewSet, basename="function")
router.register("entities", views.UNEntityViewSet, basename="entity")
router.register("missions", views.MissionViewSet, basename="mission")
router.register("assessments", views.AssessmentViewSet, basename="assessment")
router.register("rulebooks", views.RulebookViewSet, basename="rulebook")

urlpatterns = [
    path("evaluate/", views.EvaluateView.as_view(), name="evaluate"),
    *router.urls,
]
