"""The recommendation page lists the engine's levers, with remedies and who carries them."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.analysis.conftest import evaluated_assessment_create

# MONUC in 2007 as the source describes it (§VII Structural reforms): no agency service
# agreements, no common services, no pooled fund, violence high.
MONUC = {
    "conflict_level": "high",
    "force_posture": "deterrent",
    "phase": "peacekeeping",
    "pooled_fund": False,
    "agency_service_agreements": False,
    "common_services": False,
}


@pytest.fixture
def monuc(binub):
    return evaluated_assessment_create(mission=binub, **MONUC)


def _levers(html: str) -> str:
    return html.split('id="levers"')[1].split("</section>")[0]


def _lever(html: str, condition: str) -> str:
    """The one lever whose heading opens with `condition`."""
    (lever,) = [
        item for item in _levers(html).split('<li class="lever">') if f"<h3>{condition}, " in item
    ]
    return lever


@pytest.mark.django_db
def test_the_page_lists_the_lever_of_agency_service_agreements_with_its_remedy(
    login, viewer, monuc
):
    response = login(viewer).get(reverse("assessment-recommendations", args=[monuc.pk]))

    lever = _lever(response.content.decode(), "If agency service agreements were permitted")
    assert re.search(r"permitted, \d+ gaps would close\.</h3>", lever)
    assert "Agency service agreements permitted: no → <strong>yes</strong>" in lever
    assert "Member States in the Fifth Committee" in lever
    assert "revisit the existing restrictions" in lever.lower()
    assert "DDR · Administrative (feasible: Partial → " in lever or "SSR · Administrative" in lever


@pytest.mark.django_db
def test_a_lever_that_calls_for_more_integration_is_flagged(login, viewer, monuc):
    response = login(viewer).get(reverse("assessment-recommendations", args=[monuc.pk]))

    lever = _lever(response.content.decode(), "If the mission and the UNCT shared common services")
    assert "Calls for more integration:" in lever
    assert "take this lever only if the desired impact needs it" in lever


@pytest.mark.django_db
def test_levers_read_in_french(login, viewer, monuc):
    client = login(viewer)
    client.post(reverse("set_language"), {"language": "fr"})

    response = client.get(reverse("assessment-recommendations", args=[monuc.pk]))

    section = _levers(response.content.decode())
    assert "Si les accords de services entre organismes étaient autorisés, " in section
    assert "États Membres à la Cinquième Commission" in section
    remedies = section.split('class="remedy"')[1:]
    assert any("Cinquième Commission" in remedy for remedy in remedies)
