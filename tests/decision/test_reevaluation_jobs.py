"""Publishing a rulebook from the admin, and re-evaluating under it as a background job.

The job's service and task are called directly here; tests/reports/test_worker_reevaluation.py
runs it in a real Celery worker, tests/browser/test_rulebook_admin.py follows it in Chromium.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Assessment, Evaluation, ReevaluationJob
from assessments.reevaluation_jobs import reevaluation_job_request, reevaluation_job_run
from assessments.tasks import reevaluation_job_run_task
from integration.celery import app
from integration.exceptions import RulebookStateError
from integration.models import Rulebook
from integration.services import rulebook_create, rulebook_publish
from tests.decision.test_rulebooks import STRICTER
from tests.factories import PASSWORD


@pytest.fixture
def no_dispatch(monkeypatch):
    """Jobs are queued but no message is published: the test runs them itself."""
    sent: list[int] = []
    monkeypatch.setattr(
        "assessments.reevaluation_jobs.reevaluation_job_dispatch",
        lambda *, job_id: sent.append(job_id) or True,
    )
    return sent


@pytest.fixture
def evaluated(binub_assessment):
    services.assessment_evaluate(assessment_id=binub_assessment.pk)
    return binub_assessment


@pytest.fixture
def stricter_published(evaluated):
    """The stricter rulebook published: the evaluated assessment's answers are out of date."""
    return rulebook_publish(rulebook_id=rulebook_create(content=STRICTER).pk)


def test_the_reevaluation_task_acknowledges_late_and_has_time_limits():
    task = app.tasks["assessments.reevaluate"]
    assert task.name == reevaluation_job_run_task.name
    assert task.acks_late is True
    assert task.reject_on_worker_lost is True
    assert task.ignore_result is True
    assert task.max_retries == 0
    assert 0 < task.soft_time_limit < task.time_limit


@pytest.mark.django_db
def test_publishing_from_the_admin_asks_for_confirmation_naming_the_retired_rulebook(
    client, admin_user, evaluated
):
    # given a draft beside the published default
    current = Rulebook.objects.get(status="published")
    draft = rulebook_create(content=STRICTER)
    client.login(username=admin_user.username, password=PASSWORD)
    # when the admin opens the publish address
    page = client.get(reverse("admin:integration_rulebook_publish", args=[draft.pk]))
    # then it asks, naming what is retired, and nothing is published yet
    text = page.content.decode()
    assert "Yes, publish 2009.2" in text
    assert f"Rulebook <strong>{current.name} {current.version}</strong> is retired" in text
    draft.refresh_from_db()
    assert draft.status == "draft"
    # when they confirm, it is published and they are offered re-evaluation
    response = client.post(reverse("admin:integration_rulebook_publish", args=[draft.pk]))
    assert response.url == reverse("admin:integration_rulebook_reevaluate", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == "published"
    offer = client.get(response.url).content.decode()
    assert "1 of 1 evaluated assessments has answers from another rulebook than 2009.2" in offer


@pytest.mark.django_db
def test_the_bulk_publish_action_goes_through_the_preview(client, admin_user, evaluated):
    draft = rulebook_create(content=STRICTER)
    client.login(username=admin_user.username, password=PASSWORD)
    response = client.post(
        reverse("admin:integration_rulebook_changelist"),
        {"action": "publish_selected", "_selected_action": [draft.pk]},
    )
    assert response.url == reverse("admin:integration_rulebook_preview", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == "draft"


@pytest.mark.django_db
def test_the_preview_shows_labels_with_links_not_codes(client, admin_user, evaluated):
    draft = rulebook_create(content=STRICTER)
    client.login(username=admin_user.username, password=PASSWORD)
    text = client.get(reverse("admin:integration_rulebook_preview", args=[draft.pk])).content
    text = text.decode()
    matrix = reverse("assessment-recommendations", args=[evaluated.pk])
    assert f'<a href="{matrix}">Recommendations #{evaluated.pk}</a>' in text
    assert f'<a href="{reverse("mission-detail", args=["BINUB"])}">BINUB</a>' in text
    assert "<td>Programmatic</td>" in text
    assert "Partial" in text
    assert "partial/" not in text
    assert "ddr" not in text.replace("#function-ddr", "")


@pytest.mark.django_db
def test_the_rulebook_list_links_each_rulebook_by_its_version(client, admin_user, evaluated):
    rulebook_create(content=STRICTER)
    client.login(username=admin_user.username, password=PASSWORD)
    text = client.get(reverse("admin:integration_rulebook_changelist")).content.decode()
    draft = Rulebook.objects.get(version="2009.2")
    link = reverse("admin:integration_rulebook_change", args=[draft.pk])
    assert f'<th class="field-version"><a href="{link}">2009.2</a></th>' in text


@pytest.mark.django_db
def test_only_the_published_rulebook_reevaluates(evaluated):
    draft = rulebook_create(content=STRICTER)
    with pytest.raises(RulebookStateError, match="only the published rulebook"):
        reevaluation_job_request(rulebook=draft, by=None)
    assert not ReevaluationJob.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_second_request_while_one_runs_returns_the_same_job(
    stricter_published, admin_user, no_dispatch
):
    first, created = reevaluation_job_request(rulebook=stricter_published, by=admin_user)
    again, created_again = reevaluation_job_request(rulebook=stricter_published, by=admin_user)
    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert no_dispatch == [first.pk]  # dispatched once, after commit


@pytest.mark.django_db(transaction=True)
def test_a_job_reevaluates_under_the_published_rulebook_once(
    stricter_published, evaluated, admin_user, no_dispatch
):
    # given a queued job
    job, _ = reevaluation_job_request(rulebook=stricter_published, by=admin_user)
    assert (job.state, job.total, job.progress) == ("queued", 1, 0)
    # when a worker runs it
    done = reevaluation_job_run(job_id=job.pk)
    # then the assessment answers under the new rulebook, and the job says what changed
    assert (done.state, done.done, done.changed, done.progress) == ("succeeded", 1, 1, 100)
    evaluated.refresh_from_db()
    assert evaluated.current_evaluation.rulebook_id == stricter_published.pk
    # and a second delivery of the same message does nothing
    assert reevaluation_job_run(job_id=job.pk) is None
    assert Evaluation.objects.filter(assessment=evaluated).count() == 2


@pytest.mark.django_db
def test_answers_under_a_retired_rulebook_read_out_of_date_until_reevaluated(
    client, binub_planner, stricter_published, evaluated
):
    # given an approved assessment answered under the retired default
    Assessment.objects.filter(pk=evaluated.pk).update(status="approved")
    client.login(username=binub_planner.username, password=PASSWORD)
    pages = {
        "matrix": (
            reverse("assessment-recommendations", args=[evaluated.pk]),
            "Answers out of date",
        ),
        "mission": (reverse("mission-detail", args=["BINUB"]), "answers out of date"),
        "home": (reverse("home"), "answers out of date"),
        "compare": (reverse("missions-compare") + "?mission=BINUB", "answers out of date"),
    }
    # then every page that shows it says so
    for name, (url, notice) in pages.items():
        assert notice in client.get(url).content.decode(), name
    # when it is re-evaluated under the published rulebook
    services.assessment_evaluate(assessment_id=evaluated.pk)
    # then none does
    for name, (url, notice) in pages.items():
        assert notice not in client.get(url).content.decode(), name
