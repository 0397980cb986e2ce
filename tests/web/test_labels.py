"""Every control on the workflow pages has a label a screen reader can announce."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from assessments import services
from tests.factories import PASSWORD
from tests.forms import assessment_form_data


class _Controls(HTMLParser):
    """Collects form controls, the ids labels point at, and controls wrapped in a label."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str | None]] = []
        self.labelled: set[str] = set()
        self.label_depth = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "label":
            self.label_depth += 1
            if attributes.get("for"):
                self.labelled.add(attributes["for"])
        elif tag in ("input", "select", "textarea"):
            if attributes.get("type") in ("hidden", "submit", "button"):
                return
            self.controls.append(attributes | {"wrapped": "yes" if self.label_depth else None})

    def handle_endtag(self, tag):
        if tag == "label":
            self.label_depth -= 1


def _unlabelled(html: str) -> list[str]:
    parser = _Controls()
    parser.feed(html)
    return [
        str(control.get("name"))
        for control in parser.controls
        if not (
            control["wrapped"]
            or control.get("aria-label")
            or (control.get("id") and control["id"] in parser.labelled)
        )
    ]


@pytest.mark.django_db
def test_the_workflow_pages_label_every_control(
    client, binub_planner, hq_reviewer, binub_assessment
):
    # given a planner on the edit page, then on a conflict page
    client.login(username=binub_planner.username, password=PASSWORD)
    edit = reverse("assessment-edit", args=[binub_assessment.pk])
    pages = {"edit": client.get(edit).content.decode()}
    client.post(edit, assessment_form_data(binub_assessment, **{"context-phase": "transition"}))
    conflict = client.post(
        edit, assessment_form_data(binub_assessment, **{"context-phase": "peacemaking"})
    )
    assert conflict.status_code == 409
    pages["conflict"] = conflict.content.decode()
    # and an HQ reviewer on the submitted assessment and an override form
    binub_assessment.refresh_from_db()
    services.assessment_submit(
        assessment_id=binub_assessment.pk, by=binub_planner, expected_version=2
    )
    client.logout()
    client.login(username=hq_reviewer.username, password=PASSWORD)
    pages["review"] = client.get(
        reverse("assessment-detail", args=[binub_assessment.pk])
    ).content.decode()
    pages["override"] = client.get(
        reverse("assessment-override", args=[binub_assessment.pk, "ddr", "strategic"])
    ).content.decode()
    # then every control on every page has a label
    for name, html in pages.items():
        assert _unlabelled(html) == [], name
    assert 'name="merge-context-phase"' in pages["conflict"]


@pytest.mark.django_db
def test_each_functions_dimensions_are_a_group_with_a_legend(
    client, binub_planner, binub_assessment
):
    client.login(username=binub_planner.username, password=PASSWORD)

    page = client.get(reverse("assessment-edit", args=[binub_assessment.pk])).content.decode()

    functions = binub_assessment.function_assessments.count()
    assert page.count("<fieldset><legend>Dimensions</legend>") == functions
    assert 'for=""' not in page
