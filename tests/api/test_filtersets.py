"""The FilterSets, called directly: each resource's filters and its `q` search."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import QueryDict
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from assessments.api.filtersets import AssessmentFilterSet, MissionFilterSet
from assessments.models import Assessment
from assessments.selectors import mission_list_with_latest
from integration.api.pagination import ApiPagination
from missions.api.filtersets import UNEntityFilterSet
from missions.models import Mission, UNEntity
from tests import factories

pytestmark = pytest.mark.django_db


def _missions(query: str, user) -> list[str]:
    filterset = MissionFilterSet(QueryDict(query), queryset=mission_list_with_latest(user=user))
    assert filterset.is_valid(), filterset.errors
    return [mission.acronym for mission in filterset.qs]


def test_mission_filters_combine(binub, unmis, viewer):
    factories.AssessmentFactory(mission=binub, phase="transition")
    factories.AssessmentFactory(mission=unmis, phase="transition")
    Mission.objects.filter(pk=unmis.pk).update(country="Sudan")
    assert _missions("phase=transition&country=sudan", viewer) == ["UNMIS"]
    assert _missions("q=burundi", viewer) == [
        "BINUB"
    ]  # the name: "UN Integrated Office in Burundi"
    assert _missions("ordering=-acronym", viewer) == ["UNMIS", "BINUB"]


def test_an_empty_choice_is_an_error_but_an_empty_search_is_no_search(viewer):
    queryset = mission_list_with_latest(user=viewer)
    assert not MissionFilterSet(QueryDict("phase="), queryset=queryset).is_valid()
    assert not MissionFilterSet(QueryDict("ordering="), queryset=queryset).is_valid()
    assert MissionFilterSet(QueryDict("q="), queryset=queryset).is_valid()
    dated = AssessmentFilterSet(QueryDict("as_of_before="), queryset=Assessment.objects.all())
    assert not dated.is_valid()
    assert set(dated.errors) == {"as_of"}


def test_entities_filter_by_kind_and_search(db):
    factories.UNEntityFactory(acronym="UNDP", name="Development Programme")
    factories.UNEntityFactory(acronym="DPKO", kind="secretariat", funding_basis="assessed")
    entities = UNEntity.objects.order_by("acronym")
    kind = UNEntityFilterSet(QueryDict("kind=secretariat"), queryset=entities).qs
    assert [e.acronym for e in kind] == ["DPKO"]
    search = UNEntityFilterSet(QueryDict("q=develop"), queryset=entities).qs
    assert [e.acronym for e in search] == ["UNDP"]


def test_assessments_filter_by_dates(binub):
    for year in (2006, 2007, 2008):
        factories.AssessmentFactory(mission=binub, as_of=dt.date(year, 6, 1), functions=False)
    query = QueryDict("as_of_after=2007-01-01&as_of_before=2007-12-31")
    found = AssessmentFilterSet(query, queryset=Assessment.objects.order_by("id")).qs
    assert [a.as_of.year for a in found] == [2007]


def test_pagination_refuses_an_unordered_queryset(viewer):
    request = APIRequestFactory().get("/api/v1/missions/")
    with pytest.raises(ImproperlyConfigured):
        ApiPagination().paginate_queryset(Mission.objects.all().order_by(), Request(request))
