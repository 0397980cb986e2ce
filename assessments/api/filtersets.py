"""FilterSets of missions (with their latest assessment) and assessments, each with a `q` search."""

from __future__ import annotations

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment
from integration.api.filtersets import StableOrderingFilter, StrictFilterSet, search_method
from integration.choices import choices
from integration.engine import vocabulary
from missions.models import Mission


class MissionFilterSet(StrictFilterSet):
    """Over `assessments.selectors.mission_list_with_latest`, which annotates `latest_phase`."""

    presence_type = filters.ChoiceFilter(
        choices=choices(vocabulary.PRESENCE_TYPES), label=_("Presence type")
    )
    phase = filters.ChoiceFilter(
        field_name="latest_phase",
        choices=choices(vocabulary.PHASES),
        label=_("Phase of the latest assessment"),
    )
    country = filters.CharFilter(field_name="country", lookup_expr="iexact", label=_("Country"))
    q = filters.CharFilter(
        method=search_method(("acronym", "name", "country")),
        label=_("Search acronym, name, country"),
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
        method=search_method(("mission__acronym", "mission__name", "notes")),
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
