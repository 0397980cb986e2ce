"""The humanitarian arrangement on the recommendation page (domain.md §4, P7): the OCHA model the
rulebook decides, why, what stands in its way and the risks to review, in English and French."""

from __future__ import annotations

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Evaluation
from tests import factories
from tests.analysis.conftest import XSS, evaluated_assessment_create

pytestmark = pytest.mark.django_db

OPEN_COMBAT = {"force_posture": "open_combat", "conflict_level": "high", "phase": "peacekeeping"}


def _section(client, assessment, language: str = "en") -> str:
    response = client.get(
        reverse("assessment-recommendations", args=[assessment.pk]),
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('id="humanitarian-arrangement"') == 1
    return page.split('id="humanitarian-arrangement"')[1].split("</section>")[0]


def _block(client, assessment, language: str = "en") -> str:
    section = _section(client, assessment, language)
    # what a reader sees: the text without its tags, one space between words
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", section)).split())


def test_forces_in_open_combat_keep_the_hc_and_ocha_out_and_the_page_says_why(login, viewer, binub):
    # given a mission whose forces are in open combat, with a triple-hatted HC
    assessment = evaluated_assessment_create(mission=binub, **OPEN_COMBAT)
    # when a viewer opens its recommendations
    block = _block(login(viewer), assessment)
    # then the block names the model, not the default one foot in
    assert "Recommended model: Two feet out: the HC and OCHA outside" in block
    # why: the open-combat rule decided (§V, "any association with the military") ...
    why = block.split(" Why ")[1].split("set aside")[0]
    assert "UN or coalition forces are in open combat" in why
    assert "P7 Humanitarian space: UN or coalition" in why
    # ... and the default it set aside is listed apart, saying in words what outranked it
    assert "1 other model considered and set aside" in block
    assert (
        "(set aside in favour of P7 “Proposes the humanitarian arrangement: Two feet out: the HC"
        " and OCHA outside”)" in block
    )
    # the triple-hatted HC beside a fighting force is a risk to review, not a target
    risks = block.split("Risks to review with the Humanitarian Country Team")[1]
    assert "The Humanitarian Coordinator is triple-hatted under a mission whose forces" in risks
    # machine ids are for experts: in attributes, never in the text people read (issue 14, item 2)
    assert "p7-" not in block
    section = _section(login(viewer), assessment)
    assert 'data-rule-id="p7-arrangement-two-feet-out-open-combat"' in section
    assert 'title="p7-risk-triple-hatted-hc-beside-fighting-force"' in section


def test_an_hc_outside_mission_leadership_shows_as_the_barrier_with_its_remedy(
    login, viewer, binub
):
    assessment = evaluated_assessment_create(mission=binub, hc_triple_hatted=False)
    block = _block(login(viewer), assessment)
    assert "Recommended model: One foot in: the HC in mission leadership, OCHA outside" in block
    barriers = block.split("Barriers in its way")[1].split("Risks to review")[0]
    assert "Structure (Strategic): The Humanitarian Coordinator does not sit in mission" in barriers
    assert "Remedy: Bring the Humanitarian Coordinator into mission leadership" in barriers


def test_the_default_arrangement_reads_without_barrier_or_set_aside_list(login, viewer, binub):
    assessment = evaluated_assessment_create(
        mission=binub, phase="peacekeeping", force_posture="deterrent"
    )
    block = _block(login(viewer), assessment)
    assert "One foot in" in block
    assert "set aside" not in block
    assert "No barrier stands in the way of this arrangement." in block


def test_in_french_the_arrangement_reads_in_french(login, viewer, binub):
    assessment = evaluated_assessment_create(mission=binub, **OPEN_COMBAT)
    stored = assessment.current_evaluation.humanitarian_arrangement
    block = _block(login(viewer), assessment, "fr")
    assert "Deux pieds dehors" in block
    assert "Les forces des Nations Unies ou de la coalition sont engagées dans un combat" in block
    assert "Risques à examiner avec l'équipe de pays pour l'action humanitaire" in block
    # none of the stored English reaches the French page
    for rule in stored["rules"] + stored["risks"]:
        assert rule["explanation"] not in block


def test_a_rulebook_that_decides_no_arrangement_shows_no_block(login, viewer, binub):
    assessment = evaluated_assessment_create(mission=binub)
    Evaluation.objects.filter(pk=assessment.current_evaluation_id).update(
        humanitarian_arrangement=None
    )
    response = login(viewer).get(reverse("assessment-recommendations", args=[assessment.pk]))
    assert 'id="humanitarian-arrangement"' not in response.content.decode()


def test_the_arrangements_stored_texts_are_escaped(login, viewer, binub):
    assessment = evaluated_assessment_create(mission=binub)
    evaluation = assessment.current_evaluation
    stored = evaluation.humanitarian_arrangement
    stored["rules"][0]["explanation"] = XSS
    stored["risks"] = [{"id": XSS, "principle": "P7", "explanation": XSS}]
    Evaluation.objects.filter(pk=evaluation.pk).update(humanitarian_arrangement=stored)
    response = login(viewer).get(reverse("assessment-recommendations", args=[assessment.pk]))
    page = response.content.decode()
    section = page.split('id="humanitarian-arrangement"')[1].split("</section>")[0]
    assert "<script>" not in section
    # the rule's text, the risk's text, and the risk's id in its two attributes
    assert section.count("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;") == 4


def test_the_block_costs_no_query(login, viewer, binub, django_assert_num_queries):
    client = login(viewer)
    assessment = evaluated_assessment_create(mission=binub, **OPEN_COMBAT)
    factories.hq_reviewer_create(username="another-reviewer")
    # as the matrix without it (tests/analysis/test_recommendations.py): the arrangement is a
    # column of the evaluation the page already reads
    with django_assert_num_queries(9):
        _block(client, assessment)


def test_the_assessment_page_names_the_arrangement_beside_its_matrix_at_no_query(
    login, hq_reviewer, binub
):
    # given an assessment awaiting review, its forces in open combat
    assessment = evaluated_assessment_create(mission=binub, **OPEN_COMBAT)
    type(assessment).objects.filter(pk=assessment.pk).update(status="submitted")
    client = login(hq_reviewer)
    url = reverse("assessment-detail", args=[assessment.pk])
    # when a reviewer opens it
    with CaptureQueriesContext(connection) as with_arrangement:
        page = client.get(url).content.decode()
    # then the model is named under the matrix, with a link to why
    line = " ".join(re.sub(r"<[^>]+>", "", page.split('class="arrangement-summary">')[1]).split())
    assert line.startswith("Humanitarian arrangement: Two feet out: the HC and OCHA outside Why")
    recommendations = reverse("assessment-recommendations", args=[assessment.pk])
    assert f'href="{recommendations}#humanitarian-arrangement"' in page
    # and it costs what the page cost without it
    Evaluation.objects.filter(pk=assessment.current_evaluation_id).update(
        humanitarian_arrangement=None
    )
    with CaptureQueriesContext(connection) as without:
        page = client.get(url).content.decode()
    assert 'class="arrangement-summary"' not in page
    assert len(with_arrangement.captured_queries) == len(without.captured_queries)
