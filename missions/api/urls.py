"""The missions app's routes, served under /api/v1/ by integration/urls.py (namespace "api")."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from missions.api.views import FunctionViewSet, UNEntityViewSet

router = SimpleRouter()
router.register("functions", FunctionViewSet, basename="function")
router.register("entities", UNEntityViewSet, basename="entity")
