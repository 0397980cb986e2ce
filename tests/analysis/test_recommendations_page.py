"""The recommendations page in plain words, with the what-ifs to act on first (issue 14, item 7)."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.selectors.recommendations import WHAT_IFS_SHOWN
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _page(client, assessment, language: str = "en") -> str:
    response = client.get(
        reverse("assessment-recommendations", args=[assessment.pk]),
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _text(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def test_the_page_says_when_and_under_which_rulebook_in_plain_words(login, viewer, evaluated):
    evaluation = evaluated.current_evaluation
    day = timezone.localtime(evaluation.created_at)
    rulebook = evaluation.rulebook
    client = login(viewer)

    english = _text(_page(client, evaluated).split('<p class="meta">')[1].split("</p>")[0])
    french = _text(_page(client, evaluated, "fr").split('<p class="meta">')[1].split("</p>")[0])

    assert (
        f"Computed on {day.day} {day:%B %Y} under rulebook {rulebook.version} "
        f"({rulebook.name}), from the facts as saved at that time." in english
    )
    assert "version" not in english
    assert "of the facts" not in english
    assert f"Calculées le {day.day} " in french
    assert (
        f"selon le recueil de règles {rulebook.version} ({rulebook.name}), à partir des faits "
        "tels qu'enregistrés à ce moment-là." in french
    )
    assert "version" not in french


def test_each_cell_shows_the_what_ifs_that_raise_its_answer_and_folds_the_others(
    login, viewer, evaluated
):
    page = _page(login(viewer), evaluated)
    cells = page.split('<div class="level-body" id="cell-')[1:]
    assert len(cells) == 36
    shown_anywhere = folded_anywhere = 0
    for cell in cells:
        what_ifs = cell.split("What if</h5>")[1].split("Back to the matrix")[0]
        shown, _more, folded = what_ifs.partition('<details class="what-ifs-more">')
        shown_items = re.findall(r"<li>(.*?)</li>", shown, re.S)
        # at most a few, each one raising what is feasible: the answer to plan for
        assert len(shown_items) <= WHAT_IFS_SHOWN
        assert all("feasible at" in item for item in shown_items), shown_items
        folded_items = re.findall(r"<li>(.*?)</li>", folded, re.S)
        if folded_items:
            assert f"{len(folded_items)} other change" in _text(folded.split("</summary>")[0])
        shown_anywhere += len(shown_items)
        folded_anywhere += len(folded_items)
    assert shown_anywhere
    assert folded_anywhere


def test_the_forms_post_keeps_no_section_anchor(client, binub_planner, binub):
    # (a browser keeps a posted address's #function-… through the redirect to the matrix)
    draft = factories.AssessmentFactory(mission=binub, created_by=binub_planner)
    client.login(username=binub_planner.username, password=PASSWORD)
    page = client.get(reverse("assessment-edit", args=[draft.pk])).content.decode()
    assert f'action="{reverse("assessment-edit", args=[draft.pk])}"' in page
