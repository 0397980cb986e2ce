"""FilterSets of the reference catalogue, each with a `q` search."""

from __future__ import annotations

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from integration.api.filtersets import StrictFilterSet, search_method
from integration.choices import choices
from integration.engine import vocabulary
from missions.models import Function, UNEntity


class FunctionFilterSet(StrictFilterSet):
    q = filters.CharFilter(
        method=search_method(("code", "name", "description")),
        label=_("Search code, name, description"),
    )

    class Meta:
        model = Function
        fields = ("q",)


class UNEntityFilterSet(StrictFilterSet):
    kind = filters.ChoiceFilter(choices=choices(vocabulary.ENTITY_KINDS), label=_("Kind"))
    q = filters.CharFilter(
        method=search_method(("acronym", "name")), label=_("Search acronym, name")
    )

    class Meta:
        model = UNEntity
        fields = ("kind", "q")
