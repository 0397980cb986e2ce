"""Versioned rulebooks: validated on upload, one published at a time, re-evaluation."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from assessments import services
from assessments.models import Evaluation
from assessments.selectors import assessment_facts_get
from integration.exceptions import RulebookInvalid
from integration.models import Rulebook
from integration.services import (
    DEFAULT_RULEBOOK_PATH,
    rulebook_create,
    rulebook_default_ensure,
    rulebook_publish,
)
from tests.factories import PASSWORD

DEFAULT = DEFAULT_RULEBOOK_PATH.read_text(encoding="utf-8")


def versioned(text: str, version: str) -> str:
    return re.sub(r'^version: ".*"$', f'version: "{version}"', text, count=1, flags=re.M)


UNKNOWN_FACT = versioned(
    DEFAULT.replace(
        "{fact: context.unct_present, eq: false}", "{fact: context.unct_presence, eq: false}"
    ),
    "2007.2-bad",
)
# A stricter rulebook: partial is no longer the default, so programmatic answers fall to parallel.
STRICTER = versioned(
    DEFAULT.replace(
        "effect: {type: floor, levels: [programmatic, administrative], degree: partial}",
        "effect: {type: note, levels: [programmatic, administrative]}",
    ),
    "2008.1",
)
# Loads, but breaks invariant 4: OCHA's programmes and administration pulled into the mission.
OCHA_INSIDE = versioned(
    DEFAULT.replace(
        "effect: {type: cap, levels: [programmatic, administrative], degree: parallel}",
        "effect: {type: floor, levels: [programmatic, administrative], degree: full}",
        1,
    ),
    "2009.1-ocha",
)


def test_the_variants_really_differ_from_the_default():
    assert UNKNOWN_FACT != DEFAULT
    assert STRICTER != DEFAULT
    assert "2009.1-ocha" in OCHA_INSIDE
    assert "effect: {type: floor, levels: [programmatic, administrative], degree: full}" in (
        OCHA_INSIDE
    )


@pytest.mark.django_db
def test_an_invalid_rulebook_is_refused_naming_the_rule():
    with pytest.raises(RulebookInvalid) as caught:
        rulebook_create(content=UNKNOWN_FACT)
    assert "p16-no-unct" in str(caught.value)
    assert "context.unct_presence" in str(caught.value)
    assert not Rulebook.objects.filter(version="2007.2-bad").exists()


@pytest.mark.django_db
def test_admin_upload_refuses_an_invalid_rulebook_with_the_rule_named(client, admin_user):
    client.login(username=admin_user.username, password=PASSWORD)
    response = client.post(
        reverse("admin:integration_rulebook_add"), {"content": UNKNOWN_FACT, "effective_date": ""}
    )
    assert response.status_code == 200  # the form again, with its error
    page = response.content.decode()
    assert "p16-no-unct" in page
    assert "context.unct_presence" in page
    assert Rulebook.objects.count() == 0


INVARIANT_4 = "The rulebook breaks invariant 4 (humanitarian coordination is parallel"


@pytest.mark.django_db
def test_a_rulebook_that_breaks_an_invariant_is_refused_naming_it_and_a_counterexample():
    with pytest.raises(RulebookInvalid) as caught:
        rulebook_create(content=OCHA_INSIDE)
    message = str(caught.value)
    assert message.startswith(INVARIANT_4)
    assert "Counterexample: context presence_type=" in message
    assert "function humanitarian_coordination" in message
    assert not Rulebook.objects.filter(version="2009.1-ocha").exists()


@pytest.mark.django_db
def test_admin_upload_refuses_a_rulebook_that_breaks_an_invariant(client, admin_user):
    client.login(username=admin_user.username, password=PASSWORD)
    response = client.post(
        reverse("admin:integration_rulebook_add"), {"content": OCHA_INSIDE, "effective_date": ""}
    )
    assert response.status_code == 200  # the form again, with its error
    page = response.content.decode()
    assert INVARIANT_4 in page
    assert "Counterexample:" in page
    assert Rulebook.objects.count() == 0


@pytest.mark.django_db
def test_a_stored_draft_that_breaks_an_invariant_is_never_published(client, admin_user):
    # given a draft stored without the check (e.g. before it existed)
    published = rulebook_default_ensure()
    draft = Rulebook.objects.create(
        name="default", version="2009.1-ocha", content=OCHA_INSIDE, checksum="0" * 64
    )
    # when an admin publishes it, it is refused with the invariant named
    with pytest.raises(RulebookInvalid, match=re.escape(INVARIANT_4)):
        rulebook_publish(rulebook_id=draft.pk)
    client.login(username=admin_user.username, password=PASSWORD)
    response = client.post(
        reverse("admin:integration_rulebook_publish", args=[draft.pk]), follow=True
    )
    assert INVARIANT_4 in response.content.decode()
    # then the published rulebook stays as it was
    draft.refresh_from_db()
    published.refresh_from_db()
    assert draft.status == Rulebook.Status.DRAFT
    assert published.status == Rulebook.Status.PUBLISHED


@pytest.mark.django_db
def test_admin_uploads_previews_and_publishes_a_rulebook(client, admin_user, binub_assessment):
    # given the default published and one evaluated assessment
    services.assessment_evaluate(assessment_id=binub_assessment.pk)
    default = Rulebook.objects.get(status="published")
    client.login(username=admin_user.username, password=PASSWORD)
    # when an admin uploads a stricter rulebook
    response = client.post(
        reverse("admin:integration_rulebook_add"), {"content": STRICTER, "effective_date": ""}
    )
    assert response.status_code == 302
    stricter = Rulebook.objects.get(version="2008.1")
    assert stricter.status == Rulebook.Status.DRAFT
    # then the preview shows what would change, without storing anything
    preview = client.get(reverse("admin:integration_rulebook_preview", args=[stricter.pk]))
    assert preview.status_code == 200
    assert "BINUB" in preview.content.decode()
    assert Evaluation.objects.count() == 1
    # and publishing retires the old one
    client.post(reverse("admin:integration_rulebook_publish", args=[stricter.pk]))
    stricter.refresh_from_db()
    default.refresh_from_db()
    assert stricter.status == Rulebook.Status.PUBLISHED
    assert default.status == Rulebook.Status.RETIRED


@pytest.mark.django_db
def test_the_database_allows_only_one_published_rulebook():
    rulebook_default_ensure()
    with pytest.raises(IntegrityError), transaction.atomic():
        Rulebook.objects.create(
            name="x", version="x", content=STRICTER, checksum="0" * 64, status="published"
        )


@pytest.mark.django_db
def test_reevaluate_dry_run_prints_changes_and_stores_nothing(binub_assessment):
    services.assessment_evaluate(assessment_id=binub_assessment.pk)
    rulebook_create(content=STRICTER)
    out = io.StringIO()

    call_command("reevaluate", "--rulebook", "2008.1", "--dry-run", "--no-progress", stdout=out)

    text = out.getvalue()
    assert "BINUB" in text
    assert "partial/" in text
    assert "→ parallel/" in text
    assert "1 would change (dry run: nothing stored)." in text
    assert Evaluation.objects.count() == 1


@pytest.mark.django_db
def test_reevaluate_stores_new_recommendations_beside_the_old(binub_assessment):
    first = services.assessment_evaluate(assessment_id=binub_assessment.pk)
    stricter = rulebook_create(content=STRICTER)
    rulebook_publish(rulebook_id=stricter.pk)

    call_command("reevaluate", "--no-progress", stdout=io.StringIO())

    binub_assessment.refresh_from_db()
    assert Evaluation.objects.filter(assessment=binub_assessment).count() == 2
    current = binub_assessment.current_evaluation
    assert current.pk != first.pk
    assert current.rulebook.version == "2008.1"
    assert current.trigger == Evaluation.Trigger.REEVALUATE
    # the bulk path snapshots exactly the facts the one-assessment path builds
    assert current.facts == assessment_facts_get(assessment_id=binub_assessment.pk)
    assert Evaluation.objects.get(pk=first.pk).recommendations.count() == 36


@pytest.mark.django_db
def test_reevaluate_names_the_known_versions_when_asked_for_an_unknown_one():
    default = rulebook_default_ensure()
    with pytest.raises(CommandError, match=rf"Known versions: {re.escape(default.version)}"):
        call_command("reevaluate", "--rulebook", "9.9", "--no-progress")
