"""The rulebook resource, read-only: its shapes, filters and viewset."""

from __future__ import annotations

import django_filters as filters
from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, serializers

from integration.api.filtersets import StrictFilterSet, search_method
from integration.api.viewsets import FilteredViewSet
from integration.models import Rulebook


class RulebookSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rulebook
        fields = (
            "name",
            "version",
            "status",
            "effective_date",
            "published_at",
            "created_at",
            "checksum",
        )


class RulebookDetailSerializer(RulebookSerializer):
    class Meta(RulebookSerializer.Meta):
        fields = (*RulebookSerializer.Meta.fields, "content")


class RulebookFilterSet(StrictFilterSet):
    status = filters.ChoiceFilter(choices=Rulebook.Status.choices, label=_("Status"))
    q = filters.CharFilter(
        method=search_method(("name", "version")), label=_("Search name, version")
    )

    class Meta:
        model = Rulebook
        fields = ("status", "q")


class RulebookViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, FilteredViewSet):
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
        return RulebookDetailSerializer if self.action == "retrieve" else RulebookSerializer
