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


class StrictFilterSet(filters.FilterSet):
    """Refuses an empty value for a choice, date or ordering filter (`?phase=`), which
    django-filter would read as "no filter": an empty enum value is a client bug."""

    _RANGE_SUFFIXES = ("_after", "_before", "_min", "_max")

    def _filter_name(self, param: str) -> str | None:
        if param in self.filters:
            return param
        for suffix in self._RANGE_SUFFIXES:
            if param.endswith(suffix) and param.removesuffix(suffix) in self.filters:
                return param.removesuffix(suffix)
        return None

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for param, value in self.data.items():
            name = self._filter_name(param)
            if value != "" or name is None:
                continue
            if isinstance(self.filters[name], filters.CharFilter):
                continue  # an empty search is no search
            self.form.add_error(name, _("Give a value or leave the parameter out."))
            valid = False
        return valid


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


class FunctionFilterSet(StrictFilterSet):
    q = filters.CharFilter(
        method=_search(("code", "name", "description")), label=_("Search code, name, description")
    )

    class Meta:
        model = Function
        fields = ("q",)


class UNEntityFilterSet(StrictFilterSet):
    kind = filters.ChoiceFilter(choices=choices(v.ENTITY_KINDS), label=_("Kind"))
    q = filters.CharFilter(method=_search(("acronym", "name")), label=_("Search acronym, name"))

    class Meta:
        model = UNEntity
        fields = ("kind", "q")


class MissionFilterSet(StrictFilterSet):
    """Over `assessments.selectors.mission_list_with_latest`, which annotates `latest_phase`."""

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


class AssessmentFilterSet(StrictFilterSet):
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


class RulebookFilterSet(StrictFilterSet):
    status = filters.ChoiceFilter(choices=Rulebook.Status.choices, label=_("Status"))
    q = filters.CharFilter(method=_search(("name", "version")), label=_("Search name, version"))

    class Meta:
        model = Rulebook
        fields = ("status", "q")
