"""The integration app's own routes (rulebooks, the stateless evaluator).

integration/urls.py serves them with every app's routes under /api/v1/ (namespace "api").
"""

from __future__ import annotations

from django.urls import path
from rest_framework.routers import SimpleRouter

from integration.api.evaluate import EvaluateView
from integration.api.rulebooks import RulebookViewSet

router = SimpleRouter()
router.register("rulebooks", RulebookViewSet, basename="rulebook")

urlpatterns = [path("evaluate/", EvaluateView.as_view(), name="evaluate")]
