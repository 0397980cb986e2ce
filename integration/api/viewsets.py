"""What every resource's viewset builds on."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets


class FilteredViewSet(viewsets.GenericViewSet):
    """A viewset filtered by its `filterset_class` (one FilterSet per resource)."""

    filter_backends = (DjangoFilterBackend,)
