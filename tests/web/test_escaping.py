"""Every free text users type comes back as text, never as markup, on every page showing it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import Assessment
from missions.models import Mission
from tests.factories import PASSWORD
from tests.forms import assessment_form_data

XSS = "<script>alert('x')</script>"
ESCAPED = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"


@pytest.mark.django_db
def test_a_script_payload_typed_anywhere_renders_as_text_everywhere(
    client, binub_planner, hq_reviewer, binub_assessment
):
    # given a planner who types the payload into notes and a desired impact and submits,
    Mission.objects.filter(acronym="BINUB").update(mandate_notes=f"{XSS} mandate")
    edit = reverse("assessment-edit", args=[binub_assessment.pk])
    client.login(username=binub_planner.username, password=PASSWORD)
    data = assessment_form_data(
        binub_assessment,
        action="submit",
        **{"context-notes": f"{XSS} notes", "ddr-desired_impact": f"{XSS} impact"},
    )
    assert client.post(edit, data).status_code == 302
    # and an HQ reviewer who overrides with it as justification and returns with it as comment
    client.logout()
    client.login(username=hq_reviewer.username, password=PASSWORD)
    override = reverse("assessment-override", args=[binub_assessment.pk, "ddr", "strategic"])
    client.post(override, {"degree": "parallel", "justification": f"{XSS} justification"})
    # (the override page is only open while the assessment awaits review)
    html = client.get(override).content.decode()
    assert "<script>alert" not in html
    assert f"{ESCAPED} justification" in html
    version = Assessment.objects.get(pk=binub_assessment.pk).version
    client.post(
        reverse("assessment-review", args=[binub_assessment.pk, "return"]),
        {"version": version, "comment": f"{XSS} comment"},
    )
    assert Assessment.objects.get(pk=binub_assessment.pk).status == "returned"
    pages = {
        reverse("mission-detail", args=["BINUB"]): ["mandate"],
        reverse("assessment-detail", args=[binub_assessment.pk]): [
            "notes",
            "impact",
            "justification",
            "comment",
        ],
        reverse("assessment-history", args=[binub_assessment.pk]): [
            "notes",
            "impact",
            "justification",
            "comment",
        ],
        reverse("assessment-recommendations", args=[binub_assessment.pk]): ["justification"],
        reverse("review-queue"): [],
    }
    for user in (hq_reviewer, binub_planner):
        client.logout()
        client.login(username=user.username, password=PASSWORD)
        if user == binub_planner:
            pages[edit] = ["notes", "impact", "comment"]
        # when they read each page, then the payload shows as text and never as a tag
        for url, words in pages.items():
            html = client.get(url).content.decode()
            assert "<script>alert" not in html, url
            for word in words:
                assert f"{ESCAPED} {word}" in html, (url, word)
