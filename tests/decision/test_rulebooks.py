"""Versioned rulebooks: validated on upload, one published at a time, re-evaluation."""

from __future__ import annotations

import datetime as dt
import io
import re
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from assessments import services
from assessments.models import Assessment, Evaluation
from assessments.selectors import assessment_facts_get
from integration.exceptions import RulebookInvalid
from integration.models import Rulebook
from integration.services import (
    DEFAULT_RULEBOOK_PATH,
    rulebook_create,
    rulebook_default_ensure,
    rulebook_publish,
)
from tests import factories
from tests.engine.test_rulebook import alias_bomb
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
    "2009.2",
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


@pytest.mark.django_db
def test_admin_upload_refuses_a_yaml_alias_bomb_with_a_form_error(client, admin_user):
    # given a rulebook whose anchors expand to 9 ** 9 values (it used to end in a 500)
    client.login(username=admin_user.username, password=PASSWORD)
    # when an admin uploads it
    response = client.post(
        reverse("admin:integration_rulebook_add"), {"content": alias_bomb(9), "effective_date": ""}
    )
    # then the form comes back naming the cause, and nothing is stored
    assert response.status_code == 200
    assert "rulebook is too large to read" in response.content.decode()
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
    stricter = Rulebook.objects.get(version="2009.2")
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

    call_command("reevaluate", "--rulebook", "2009.2", "--dry-run", "--no-progress", stdout=out)

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
    assert current.rulebook.version == "2009.2"
    assert current.trigger == Evaluation.Trigger.REEVALUATE
    # the bulk path snapshots exactly the facts the one-assessment path builds
    assert current.facts == assessment_facts_get(assessment_id=binub_assessment.pk)
    assert Evaluation.objects.get(pk=first.pk).recommendations.count() == 36


@pytest.mark.django_db
def test_reevaluate_names_the_known_versions_when_asked_for_an_unknown_one():
    default = rulebook_default_ensure()
    with pytest.raises(CommandError, match=rf"Known versions: {re.escape(default.version)}"):
        call_command("reevaluate", "--rulebook", "9.9", "--no-progress")


@pytest.mark.django_db
def test_reevaluate_refuses_to_make_a_draft_rulebooks_answers_current(binub_assessment):
    # given an evaluated assessment and a draft rulebook (uploaded, not published)
    first = services.assessment_evaluate(assessment_id=binub_assessment.pk)
    rulebook_create(content=STRICTER)
    # when asked to store under the draft, it refuses and says how to proceed
    with pytest.raises(CommandError) as caught:
        call_command("reevaluate", "--rulebook", "2009.2", "--no-progress")
    message = str(caught.value)
    assert "Rulebook 2009.2 is draft, not published" in message
    assert "--dry-run" in message
    assert "--make-current" in message
    # then nothing is stored
    binub_assessment.refresh_from_db()
    assert binub_assessment.current_evaluation_id == first.pk
    assert Evaluation.objects.count() == 1


@pytest.mark.django_db
def test_reevaluate_make_current_stores_a_draft_rulebooks_answers_when_asked(binub_assessment):
    services.assessment_evaluate(assessment_id=binub_assessment.pk)
    rulebook_create(content=STRICTER)

    call_command("reevaluate", "--rulebook", "2009.2", "--make-current", "--no-progress")

    binub_assessment.refresh_from_db()
    assert binub_assessment.current_evaluation.rulebook.version == "2009.2"


# Only the lead of humanitarian coordination changes: no degree, no barrier.
LEAD_ONLY = versioned(
    DEFAULT.replace(
        "effect: {type: lead, lead: humanitarian_coordinator, priority: 100}",
        "effect: {type: lead, lead: joint, priority: 100}",
    ),
    "2008.2-lead",
)
# Only a barrier's category changes: a strategic plan nobody monitors together now counts as a
# guidance barrier rather than an accountability one.
BARRIER_CATEGORY_ONLY = versioned(
    DEFAULT.replace(
        "      category: accountability\n      level: strategic\n      cap: partial",
        "      category: guidance\n      level: strategic\n      cap: partial",
    ),
    "2008.3-category",
)


def test_the_lead_and_barrier_variants_change_one_thing_each():
    assert LEAD_ONLY.count("lead: joint, priority: 100") == 1
    assert BARRIER_CATEGORY_ONLY.count("category: guidance\n      level: strategic") == 1


@pytest.mark.django_db
def test_reevaluate_reports_a_change_of_lead_alone(binub_assessment):
    services.assessment_evaluate(assessment_id=binub_assessment.pk)
    rulebook_create(content=LEAD_ONLY)
    out = io.StringIO()

    call_command(
        "reevaluate", "--rulebook", "2008.2-lead", "--dry-run", "--no-progress", stdout=out
    )

    lines = out.getvalue().splitlines()
    assert lines[0] == (
        f"BINUB assessment {binub_assessment.pk} · humanitarian_coordination · lead: "
        "humanitarian_coordinator → joint"
    )
    assert len(lines) == 2
    assert "1 would change (dry run: nothing stored)." in lines[1]


@pytest.mark.django_db
def test_reevaluate_reports_a_change_of_barrier_alone(binub_assessment):
    # given an assessment whose mission and UNCT do not monitor their framework together
    services.assessment_evaluate(assessment_id=binub_assessment.pk)
    rulebook_create(content=BARRIER_CATEGORY_ONLY)
    out = io.StringIO()
    # when the barrier's category changes, and nothing else
    call_command(
        "reevaluate", "--rulebook", "2008.3-category", "--dry-run", "--no-progress", stdout=out
    )
    # then each function held back by it reports the barrier change, and no degree changes
    text = out.getvalue()
    assert (
        f"BINUB assessment {binub_assessment.pk} · peace_governance · strategic barriers: "
        "accountability, planning → guidance, planning"
    ) in text
    assert "/" not in text.replace("2008.3-category", "")
    assert "1 would change" in text


@pytest.mark.django_db
def test_reevaluate_reports_an_assessment_it_cannot_evaluate_and_goes_on(binub, binub_planner):
    # given two evaluated assessments, one of which has since lost every function from its
    # mandate (e.g. edited in the admin)
    broken, sound = (
        factories.AssessmentFactory(mission=binub, created_by=binub_planner, as_of=day)
        for day in (dt.date(2007, 1, 1), dt.date(2007, 6, 1))
    )
    for assessment in (broken, sound):
        services.assessment_evaluate(assessment_id=assessment.pk)
    broken.function_assessments.update(in_mandate=False)
    stricter = rulebook_create(content=STRICTER)
    rulebook_publish(rulebook_id=stricter.pk)
    out, err = io.StringIO(), io.StringIO()
    # when re-evaluating everything
    call_command("reevaluate", "--no-progress", stdout=out, stderr=err)
    # then the broken one is reported with the reason, and the other is stored
    assert (
        f"BINUB assessment {broken.pk} not re-evaluated: functions: assessment {broken.pk} has "
        "no function in the mandate"
    ) in err.getvalue()
    assert "1 assessments re-evaluated" in out.getvalue()
    assert "1 could not be evaluated" in out.getvalue()
    sound.refresh_from_db()
    broken.refresh_from_db()
    assert sound.current_evaluation.rulebook.version == "2009.2"
    assert broken.current_evaluation.rulebook.version != "2009.2"


@pytest.mark.django_db
def test_reevaluate_shows_a_progress_bar_unless_told_not_to(binub_assessment):
    services.assessment_evaluate(assessment_id=binub_assessment.pk)
    err = io.StringIO()

    call_command("reevaluate", "--dry-run", stdout=io.StringIO(), stderr=err)

    assert "1/1" in err.getvalue()
    assert "assessment" in err.getvalue()
    quiet = io.StringIO()
    call_command("reevaluate", "--dry-run", "--no-progress", stdout=io.StringIO(), stderr=quiet)
    assert quiet.getvalue() == ""


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the threaded store is PostgreSQL's (set DATABASE_URL); SQLite stores in order",
)
def test_reevaluate_stores_batches_in_a_second_thread_while_it_computes_the_next(
    binub, binub_planner, monkeypatch
):
    # given five evaluated assessments, read in batches of two, outside any transaction (as
    # `manage.py reevaluate` runs), and a published rulebook that changes every answer
    from assessments import reevaluation

    assessments = [
        factories.AssessmentFactory(mission=binub, created_by=binub_planner) for _ in range(5)
    ]
    first = {a.pk: services.assessment_evaluate(assessment_id=a.pk).pk for a in assessments}
    rulebook_publish(rulebook_id=rulebook_create(content=STRICTER).pk)
    monkeypatch.setattr(reevaluation, "BATCH_SIZE", 2)
    threads = []
    store = reevaluation.evaluations_store

    def recording_store(**kwargs):
        threads.append(threading.current_thread().name)
        return store(**kwargs)

    monkeypatch.setattr(reevaluation, "evaluations_store", recording_store)
    # when it re-evaluates and stores
    result = reevaluation.assessments_reevaluate(
        rulebook=Rulebook.objects.get(version="2009.2"), dry_run=False
    )
    # then every batch was stored by the storer's thread, and every assessment's new
    # evaluation is current, complete, and counted once
    assert len(threads) == 3
    assert all(name.startswith("reevaluate") for name in threads)
    assert result.assessments == 5
    assert result.changed_assessments == 5
    assert result.skipped == []
    for assessment in Assessment.objects.filter(pk__in=first):
        current = assessment.current_evaluation
        assert current.pk != first[assessment.pk]
        assert current.rulebook.version == "2009.2"
        assert current.recommendations.count() == 36
