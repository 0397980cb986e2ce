"""What every resource's FilterSet builds on: strict values, a stable order, a `q` search.

Each app declares its own FilterSets in `<app>/api/filtersets.py`; a bad value is a 400 naming
the filter.
"""

from __future__ import annotations

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _


def search_method(fields: tuple[str, ...]):
    """A filter method matching `value` in any of `fields` (case-insensitive)."""

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
