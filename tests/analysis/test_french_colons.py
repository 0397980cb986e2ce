"""French sets a no-break space before a colon. The catalogue's messages carry theirs; a colon a
template glues after a label ("Lead: …") comes from the {% colon %} tag, typeset the same way."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from tests.analysis.conftest import evaluated_assessment_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "Lead: UNCT"), ("fr", "Lead\u00a0: UNCT")]
)
def test_the_colon_tag_follows_the_active_language(language, expected):
    with translation.override(language):
        rendered = Template("{% load vocab %}Lead{% colon %} UNCT").render(Context())
    assert rendered == expected


def test_the_french_matrix_details_set_a_no_break_space_before_each_glued_colon(
    login, viewer, binub
):
    assessment = evaluated_assessment_create(mission=binub)
    url = reverse("assessment-recommendations", args=[assessment.pk])
    french = login(viewer).get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    english = login(viewer).get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # each cell's details open with its level and what to plan for
    assert "Stratégique\u00a0: " in french
    assert "Stratégique: " not in french
    assert "Strategic: " in english
