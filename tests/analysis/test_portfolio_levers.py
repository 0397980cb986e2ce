"""Levers across the portfolio: remedies ranked by the missions, functions and levels they
would unblock, in queries that do not grow with the missions."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests import factories
from tests.analysis.conftest import evaluated_assessment_create

# MONUC in 2007 (§VII Structural reforms): no agency service agreements nor common services.
WITHOUT_AGREEMENTS = {
    "conflict_level": "high",
    "force_posture": "deterrent",
    "phase": "peacekeeping",
    "pooled_fund": False,
    "agency_service_agreements": False,
    "common_services": False,
}


def _row(html: str, rule: str) -> str:
    match = re.search(rf'<tr data-rule="{re.escape(rule)}">.*?</tr>', html, re.DOTALL)
    assert match, (rule, re.findall(r'data-rule="([^"]+)"', html))
    return match.group()


def _count(row: str, name: str) -> int:
    return int(re.search(rf'<td class="count-{name}">(\d+)', row).group(1))


@pytest.mark.django_db
def test_the_agency_service_agreements_remedy_counts_every_mission_without_them(
    login, viewer, binub
):
    # given two missions without agency service agreements and one with them
    evaluated_assessment_create(mission=binub, **WITHOUT_AGREEMENTS)
    monuc = factories.MissionFactory(acronym="MONUC")
    evaluated_assessment_create(mission=monuc, **WITHOUT_AGREEMENTS)
    binub_like = factories.MissionFactory(acronym="BINUB2")
    evaluated_assessment_create(mission=binub_like)
    # when the portfolio levers are read
    html = login(viewer).get(reverse("portfolio-levers")).content.decode()
    # then the Fifth Committee's remedy counts both missions, and who carries it
    row = _row(html, "p9-no-administrative-link")
    assert _count(row, "missions") == 2
    assert "(BINUB, MONUC)" in row
    assert "Member States in the Fifth Committee" in row
    assert "Fifth Committee" in row.split("</td>")[0]
    assert "Agency service agreements permitted: no → yes" in row
    assert _count(row, "levels") >= _count(row, "functions") >= 2


@pytest.mark.django_db
def test_remedies_are_ranked_by_the_missions_they_unblock(login, viewer, binub):
    evaluated_assessment_create(mission=binub, **WITHOUT_AGREEMENTS)
    evaluated_assessment_create(
        mission=factories.MissionFactory(acronym="MONUC"), **WITHOUT_AGREEMENTS
    )

    html = login(viewer).get(reverse("portfolio-levers")).content.decode()

    counts = [int(n) for n in re.findall(r'<td class="count-missions">(\d+)', html)]
    assert counts
    assert counts == sorted(counts, reverse=True)


@pytest.mark.django_db
def test_the_page_reads_in_french(login, viewer, binub):
    evaluated_assessment_create(mission=binub, **WITHOUT_AGREEMENTS)
    client = login(viewer)
    client.post(reverse("set_language"), {"language": "fr"})

    html = client.get(reverse("portfolio-levers")).content.decode()

    assert "Leviers à travers les missions" in html
    row = _row(html, "p9-no-administrative-link")
    assert "États Membres à la Cinquième Commission" in row
    assert "Cinquième Commission" in row.split("</td>")[0]


@pytest.mark.django_db
def test_portfolio_levers_queries_do_not_grow_with_missions(
    login, viewer, binub, django_assert_num_queries
):
    evaluated_assessment_create(mission=binub, functions=2, **WITHOUT_AGREEMENTS)
    client = login(viewer)
    # session, user, the visible missions with the assessment each counts with, those
    # assessments with their evaluations and rulebooks
    with django_assert_num_queries(4):
        client.get(reverse("portfolio-levers"))
    for n in range(4):
        mission = factories.MissionFactory(acronym=f"L{n}")
        evaluated_assessment_create(mission=mission, functions=2, **WITHOUT_AGREEMENTS)
    with django_assert_num_queries(4):
        client.get(reverse("portfolio-levers"))
