"""One FilterSet per resource, each with a `q` search; a bad value is a 400 naming the filter."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment
from integration.choices import choices
from integration.engine import vocabulary as v
from integration.models import Rulebook
from missions.models import Function, Mission, UNEntity


def _search(fields: tuple[str, ...]):
    def search(queryset: QuerySet, name: str, value: str) -> QuerySet:
        query = Q()
        for field in fields:
            query |= Q(**{f"{field}__icontains": value})
        return queryset.filter(query)

    return search


class StableOrderingFilter(filters.OrderingFilter):
    """Orders as asked, then by a unique field, so pages never repeat or skip rows."""

    def __init__(self, *args, tiebreak: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.tiebreak = tiebreak

    def filter(self, qs: QuerySet, value) -> QuerySet:
        qs = super().filter(qs, value)
        if value:
            qs = qs.order_by(*qs.query.order_by, self.tiebreak)
        return qs


class FunctionFilterSet(filters.FilterSet):
    q = filters.CharFilter(
        method=_search(("code", "name", "description")), label=_("Search code, name, description")
    )

    class Meta:
        model = Function
        fields = ("q",)


class UNEntityFilterSet(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=choices(v.ENTITY_KINDS), label=_("Kind"))
    q = filters.CharFilter(method=_search(("acronym", "name")), label=_("Search acronym, name"))

    class Meta:
        model = UNEntity
        fields = ("kind", "q")


class MissionFilterSet(filters.FilterSet):
    """Over `missions.selectors.mission_list_with_latest`, which annotates `latest_phase`."""

    presence_type = filters.ChoiceFilter(
        choices=choices(v.PRESENCE_TYPES), label=_("Presence type")
    )
    phase = filters.ChoiceFilter(
        field_name="latest_phase",
        choices=choices(v.PHASES),
        label=_("Phase of the latest assessment"),
    )
    country = filters.CharFilter(field_name="country", lookup_expr="iexact", label=_("Country"))
    q = filters.CharFilter(
        method=_search(("acronym", "name", "country")), label=_("Search acronym, name, country")
    )
    ordering = StableOrderingFilter(
        tiebreak="acronym",
        fields=(
            ("acronym", "acronym"),
            ("name", "name"),
            ("country", "country"),
            ("latest_as_of", "latest_as_of"),
        ),
        label=_("Order by"),
    )

    class Meta:
        model = Mission
        fields = ("presence_type", "phase", "country", "q")


class AssessmentFilterSet(filters.FilterSet):
    mission = filters.CharFilter(
        field_name="mission__acronym", lookup_expr="iexact", label=_("Mission acronym")
    )
    status = filters.ChoiceFilter(choices=Assessment.Status.choices, label=_("Status"))
    as_of = filters.DateFromToRangeFilter(label=_("Dated between (as_of_after, as_of_before)"))
    q = filters.CharFilter(
        method=_search(("mission__acronym", "mission__name", "notes")),
        label=_("Search mission, notes"),
    )
    ordering = StableOrderingFilter(
        tiebreak="id",
        fields=(("as_of", "as_of"), ("updated_at", "updated_at"), ("id", "id")),
        label=_("Order by"),
    )

    class Meta:
        model = Assessment
        fields = ("mission", "status", "as_of", "q")


class RulebookFilterSet(filters.FilterSet):
    status = filters.ChoiceFilter(choices=Rulebook.Status.choices, label=_("Status"))
    q = filters.CharFilter(method=_search(("name", "version")), label=_("Search name, version"))

    class Meta:
        model = Rulebook
        fields = ("status", "q")
