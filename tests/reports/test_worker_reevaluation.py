"""Re-evaluation from the admin, carried out by a real Celery worker process on a real broker.

It sits with the report worker tests for their fixtures (a private `redis-server`, a worker
pointed at the test database; tests/reports/conftest.py): the machinery is the same.
"""

from __future__ import annotations

import os
import shutil

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.urls import reverse

from assessments import services
from assessments.levers_cache import levers_key
from assessments.models import Assessment, Evaluation, ReevaluationJob
from integration.services import rulebook_create, rulebook_publish
from tests.decision.test_rulebooks import STRICTER
from tests.factories import PASSWORD
from tests.reports.processes import wait_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="worker tests need PostgreSQL (set DATABASE_URL)",
    ),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
]


def test_the_admins_reevaluation_is_run_by_a_worker_and_the_notice_goes(
    worker_factory, redis_server, monkeypatch, client, admin_user, binub_assessment
):
    from integration.celery import app

    # given an assessment answered under a rulebook since retired, and a running worker
    services.assessment_evaluate(assessment_id=binub_assessment.pk)
    published = rulebook_publish(rulebook_id=rulebook_create(content=STRICTER).pk)
    monkeypatch.setattr(app.conf, "broker_url", redis_server.url)
    worker = worker_factory(redis_server.url)
    client.login(username=admin_user.username, password=PASSWORD)
    matrix = reverse("assessment-recommendations", args=[binub_assessment.pk])
    assert "Answers out of date" in client.get(matrix).content.decode()
    # when the admin asks for re-evaluation
    response = client.post(reverse("admin:integration_rulebook_reevaluate", args=[published.pk]))
    job = ReevaluationJob.objects.get()
    assert response.url == reverse(
        "admin:integration_rulebook_reevaluation", args=[published.pk, job.pk]
    )
    # then the worker carries it out, and the status the progress bar reads says so
    wait_for(
        lambda: ReevaluationJob.objects.get(pk=job.pk).is_finished, timeout=180, what="the job"
    )
    job.refresh_from_db()
    assert (job.state, job.done, job.changed) == ("succeeded", 1, 1), job.error
    # claimed by the worker's process, not this one
    assert job.claimed_by.rsplit(" ", 1)[1] != str(os.getpid())
    assert "assessments.reevaluate" in worker.log_text()
    status = client.get(
        reverse("admin:integration_rulebook_reevaluation_status", args=[published.pk, job.pk])
    ).json()
    assert status | {"state_label": None} == {
        "state": "succeeded", "state_label": None, "progress": 100, "done": 1, "total": 1,
        "finished": True,
    }  # fmt: skip
    # and the matrix no longer reads out of date
    assert "Answers out of date" not in client.get(matrix).content.decode()
    # and the worker warmed the new evaluation's levers in every language, in a task of its own,
    # in the Redis the worker shares with the web processes (Django's key: prefix, version, key)
    evaluation = Evaluation.objects.select_related("rulebook").get(
        pk=Assessment.objects.get(pk=binub_assessment.pk).current_evaluation_id
    )
    shared = redis.Redis.from_url(redis_server.url)
    keys = [
        f"levers:1:{levers_key(evaluation=evaluation, language=code)}"
        for code, _name in settings.LANGUAGES
    ]
    wait_for(lambda: all(shared.exists(key) for key in keys), timeout=60, what="the levers")
    assert "assessments.levers_warm" in worker.log_text()
