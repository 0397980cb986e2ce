"""The reference catalogue, read-only: functions and UN entities."""

from __future__ import annotations

from rest_framework import mixins

from integration.api.viewsets import FilteredViewSet
from missions.api.filtersets import FunctionFilterSet, UNEntityFilterSet
from missions.api.serializers import FunctionSerializer, UNEntitySerializer
from missions.models import Function, UNEntity


class FunctionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, FilteredViewSet):
    """The catalogue of functions (domain.md §7)."""

    serializer_class = FunctionSerializer
    filterset_class = FunctionFilterSet
    lookup_field = "code"
    lookup_value_regex = "[^/]+"  # anything else is a JSON 404 from the view, not a route miss

    def get_queryset(self):
        return Function.objects.order_by("position", "code")


class UNEntityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, FilteredViewSet):
    """UN entities and partners; filter by `kind`."""

    serializer_class = UNEntitySerializer
    filterset_class = UNEntityFilterSet
    lookup_field = "acronym"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return UNEntity.objects.order_by("acronym")
