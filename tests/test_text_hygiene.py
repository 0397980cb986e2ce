"""Free text at the boundary: what a report cannot hold is refused, naming the field, and pages
and the API refuse the same lengths (integration/text.py)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from rest_framework.test import APIClient

from assessments import services
from assessments.models import Assessment, FunctionAssessment, Override, ReviewComment
from integration.models import ApiToken
from integration.text import (
    NOTES_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    validate_xml_text,
    xml_text_strip,
)
from tests.factories import PASSWORD
from tests.forms import assessment_form_data

REPORTS_CANNOT_HOLD = "reports cannot hold it"

# Text fields that are not free text typed by people: codes, keys, hashes, the engine's own
# words, worker bookkeeping, the sign-in audit (it records what was attempted, verbatim), and
# rulebooks, whose YAML the engine's loader validates as a whole. Mission acronyms have a
# stricter pattern of their own: they are part of page addresses.
NOT_FREE_TEXT = {
    "integration.SignInEvent": {"username", "detail"},
    "assessments.Evaluation": {"reason"},
    "missions.Mission": {"acronym"},
    "integration.Rulebook": {"name", "version", "content", "checksum"},
    "integration.ApiToken": {"prefix", "key_hash"},
    "missions.Function": {"code"},
    # the worker's record of a re-evaluation, written by the worker, never typed
    "assessments.ReevaluationJob": {"error", "claim_token", "claimed_by"},
}
# The apps whose text people type; reports' models are the worker's records (jobs, files).
TYPED_TEXT_APPS = ("integration", "missions", "assessments")


def _signed_in(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def submitted(binub_assessment, binub_planner):
    return services.assessment_submit(
        assessment_id=binub_assessment.pk, by=binub_planner, expected_version=1
    )


@pytest.mark.parametrize(
    ("text", "character", "position"),
    [
        ("Ex-combatants\u0001 reintegrated", "U+0001", 14),
        ("\u000b", "U+000B", 1),
        ("\u001f", "U+001F", 1),
        ("ok\uffff", "U+FFFF", 3),
        ("ok\ufffe", "U+FFFE", 3),
        ("lone \ud800 surrogate", "U+D800", 6),
    ],
)
def test_characters_xml_cannot_hold_are_refused_with_the_character_and_its_position(
    text, character, position
):
    with pytest.raises(ValidationError) as refused:
        validate_xml_text(text)
    message = refused.value.messages[0]
    assert f"{character} at position {position}" in message
    assert refused.value.code == "illegal_character"


def test_stripping_removes_exactly_what_the_validator_refuses():
    assert xml_text_strip("a\u0001b\uffffc\td\ud800") == "abc\td"


def test_tabs_new_lines_accents_and_emoji_are_free_text():
    validate_xml_text("Réintégration\tdes ex-combattants\r\n« DDR » \u00a0 \U0001f54a \u2028")


def test_every_free_text_model_field_refuses_what_reports_cannot_hold():
    # A field added without the validator would let the next report break: the model field is
    # where ModelForms, ModelSerializers and the admin pick it up.
    missing = []
    for app in TYPED_TEXT_APPS:
        for model in apps.get_app_config(app).get_models():
            skip = NOT_FREE_TEXT.get(model._meta.label, set())
            for field in model._meta.get_fields():
                if not isinstance(field, models.CharField | models.TextField):
                    continue
                if field.choices or field.name in skip:
                    continue
                if validate_xml_text not in field.validators:
                    missing.append(f"{model._meta.label}.{field.name}")
    assert missing == []


@pytest.mark.django_db
def test_a_new_draft_does_not_inherit_characters_saved_before_they_were_refused(
    binub_planner, binub_assessment
):
    # given a desired impact stored before the validator existed
    FunctionAssessment.objects.filter(assessment=binub_assessment, function__code="ddr").update(
        desired_impact="Ex-combatants\u0001 back\uffff"
    )
    # when the planner starts the next assessment, prefilled from it
    draft = services.assessment_create(mission=binub_assessment.mission, by=binub_planner)
    # then the text is carried over without what reports cannot hold
    ddr = draft.function_assessments.get(function__code="ddr")
    assert ddr.desired_impact == "Ex-combatants back"


# --- pages ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_edit_page_refuses_a_control_character_in_a_desired_impact(
    client, binub_planner, binub_assessment
):
    # given a planner pasting text with U+0001 into DDR's desired impact
    url = reverse("assessment-edit", args=[binub_assessment.pk])
    data = assessment_form_data(
        binub_assessment, **{"ddr-desired_impact": "Ex-combatants\u0001 back"}
    )
    # when they save
    response = _signed_in(client, binub_planner).post(url, data)
    # then the page names the field and the character, and nothing is saved
    assert response.status_code == 400
    forms = {row.function.code: form for row, form in response.context["function_forms"]}
    ddr_form = forms["ddr"]
    assert "U+0001 at position 14" in ddr_form.errors["desired_impact"][0]
    assert REPORTS_CANNOT_HOLD in response.content.decode()
    binub_assessment.refresh_from_db()
    assert binub_assessment.version == 1
    ddr = binub_assessment.function_assessments.get(function__code="ddr")
    assert ddr.desired_impact == "Desired impact of ddr"


@pytest.mark.django_db
def test_the_edit_page_refuses_notes_longer_than_the_api_accepts(
    client, binub_planner, binub_assessment
):
    url = reverse("assessment-edit", args=[binub_assessment.pk])
    data = assessment_form_data(binub_assessment, **{"context-notes": "n" * (NOTES_MAX_LENGTH + 1)})

    response = _signed_in(client, binub_planner).post(url, data)

    assert response.status_code == 400
    assert response.context["context_form"].errors["notes"] == [
        f"Ensure this value has at most {NOTES_MAX_LENGTH} characters (it has "
        f"{NOTES_MAX_LENGTH + 1})."
    ]
    binub_assessment.refresh_from_db()
    assert (binub_assessment.version, binub_assessment.notes) == (1, "")


@pytest.mark.django_db
def test_returning_with_u_ffff_in_the_comment_is_refused_and_changes_nothing(
    client, hq_reviewer, submitted
):
    response = _signed_in(client, hq_reviewer).post(
        reverse("assessment-review", args=[submitted.pk, "return"]),
        {"version": submitted.version, "comment": "Justify the funding\uffff"},
    )

    assert response.status_code == 400
    [message] = response.context["review_form"].errors["comment"]
    assert "U+FFFF at position 20" in message
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.SUBMITTED
    assert not ReviewComment.objects.exists()


@pytest.mark.django_db
def test_an_override_justification_with_a_control_character_is_refused(
    client, hq_reviewer, submitted
):
    url = reverse("assessment-override", args=[submitted.pk, "ddr", "programmatic"])

    response = _signed_in(client, hq_reviewer).post(
        url, {"degree": "full", "justification": "Security\u0007 Council"}
    )

    assert response.status_code == 400
    assert REPORTS_CANNOT_HOLD in response.content.decode()
    assert not Override.objects.exists()


@pytest.mark.django_db
def test_a_token_name_with_a_control_character_is_refused(client, binub_planner):
    response = _signed_in(client, binub_planner).post(
        reverse("token-create"), {"name": "dash\u0002board", "scope": "read"}
    )

    assert REPORTS_CANNOT_HOLD in response.content.decode()
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_the_admin_refuses_a_mission_name_reports_cannot_hold(binub):
    binub.name = "UN Integrated Office\u0001"
    with pytest.raises(ValidationError) as refused:
        binub.full_clean()
    assert set(refused.value.message_dict) == {"name"}


# --- the API --------------------------------------------------------------------------------


@pytest.fixture
def planner_api(binub_planner):
    api = APIClient()
    api.force_authenticate(binub_planner)
    return api


def _detail(assessment: Assessment) -> str:
    return reverse("api:assessment-detail", args=[assessment.pk])


@pytest.mark.django_db
def test_the_api_refuses_a_control_character_in_a_desired_impact_naming_its_path(
    planner_api, binub_assessment
):
    response = planner_api.patch(
        _detail(binub_assessment),
        {"functions": [{"function": "ddr", "desired_impact": "Ex-combatants\u0001 back"}]},
        format="json",
        HTTP_IF_MATCH=f'"a{binub_assessment.pk}.v1"',
    )

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"functions[0].desired_impact"}
    assert "U+0001 at position 14" in errors["functions[0].desired_impact"][0]
    assert FunctionAssessment.objects.get(
        assessment=binub_assessment, function__code="ddr"
    ).desired_impact == ("Desired impact of ddr")


@pytest.mark.django_db
def test_the_api_refuses_u_ffff_in_notes_when_creating(planner_api, binub, binub_assessment):
    response = planner_api.post(
        reverse("api:assessment-list"),
        {"mission": binub.acronym, "notes": "Sources\uffff"},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"notes"}
    assert Assessment.objects.count() == 1


@pytest.mark.django_db
def test_what_the_edit_page_stores_at_the_longest_the_api_reads_and_puts_back(
    client, planner_api, binub_planner, binub_assessment
):
    # given the longest notes and desired impacts the edit page accepts, in non-ASCII text
    url = reverse("assessment-edit", args=[binub_assessment.pk])
    longest = {"context-notes": "é" * NOTES_MAX_LENGTH} | {
        f"{row.function.code}-desired_impact": "ü" * TEXT_MAX_LENGTH
        for row in binub_assessment.function_assessments.select_related("function")
    }
    saved = _signed_in(client, binub_planner).post(
        url, assessment_form_data(binub_assessment, **longest)
    )
    assert saved.status_code == 302
    # when an API client reads the assessment and sends it back unchanged
    read = planner_api.get(_detail(binub_assessment))
    response = planner_api.put(
        _detail(binub_assessment), read.json(), format="json", HTTP_IF_MATCH=read["ETag"]
    )
    # then the write is accepted
    assert response.status_code == 200, response.json()
    assert response.json()["notes"] == "é" * NOTES_MAX_LENGTH


def test_every_json_body_is_checked_whichever_endpoint_reads_it(planner_api):
    # given the stateless evaluator, whose body no model serializer reads
    body = {
        "context": {"phase": "peacebuilding"},
        "functions": [{"function": "ddr"}, {"function": "ssr", "desired_impact": "a\u0003b"}],
    }
    # when a client sends a control character in a nested string
    response = planner_api.post(reverse("api:evaluate"), body, format="json")
    # then the answer names its path, as the API's other errors do
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"functions[1].desired_impact"}
    assert "U+0003 at position 2" in errors["functions[1].desired_impact"][0]
