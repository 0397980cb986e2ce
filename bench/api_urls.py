"""The project's URLs plus the two reference views bench/api.py measures the API against.

They exist only here, never in the project's own URL configuration.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.urls import include, path
from rest_framework.response import Response
from rest_framework.views import APIView


@login_not_required  # the floor: Django and the same middleware, nothing of the API
def bare(request):
    return JsonResponse({"ok": True})


class Trivial(APIView):
    """DRF with the project's authentication, permission and throttle classes, no work."""

    def get(self, request):
        return Response({"ok": True})


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/trivial/", Trivial.as_view()),
    path("", include("integration.urls")),
]

handler404 = "integration.api.exceptions.page_not_found"
