"""Who may queue how many reports, one job per identical request even when requests race, and
reports that read without writing evaluations."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from assessments.models import Evaluation
from integration.api.tokens import api_token_create
from reports import services
from reports.exceptions import ReportQuotaExceeded
from reports.models import ReportJob
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def quota(settings):
    settings.REPORTS_QUOTA = 3
    settings.REPORTS_QUOTA_SECONDS = 600
    return settings.REPORTS_QUOTA


def test_a_viewer_session_cannot_queue_more_reports_than_the_quota(client, viewer, binub, quota):
    # given a viewer signed in
    client.login(username=viewer.username, password=PASSWORD)
    # when the page's form is sent again and again, each time as a new page view
    for attempt in range(quota + 2):
        client.post(
            reverse("report-request"),
            {"kind": "mission", "mission": "BINUB", "formats": ["pdf"], "idempotency_key": attempt},
        )
    # then only the quota's worth of jobs was queued, and the page says why
    assert ReportJob.objects.filter(requested_by=viewer).count() == quota
    page = client.get(reverse("mission-detail", args=["BINUB"]), follow=True)
    assert "You asked for 3 reports in the last 10 minutes" in page.content.decode()


def test_session_and_token_requests_share_one_quota_and_the_api_answers_429(
    client, viewer, binub, quota
):
    secret = api_token_create(user=viewer, name="cron", scope="write").secret
    client.login(username=viewer.username, password=PASSWORD)

    def post(key: str, **headers):
        return client.post(
            "/api/v1/reports/",
            {"kind": "mission", "mission": "BINUB", "formats": ["pdf"], "idempotency_key": key},
            content_type="application/json",
            **headers,
        )

    # given two reports requested with the session and one with a token
    assert post("a").status_code == 202
    assert post("b").status_code == 202
    assert post("c", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 202
    # when either asks for one more, then it is refused with when to come back
    for response in (post("d"), post("e", HTTP_AUTHORIZATION=f"Bearer {secret}")):
        assert response.status_code == 429
        assert int(response["Retry-After"]) > 0
    assert ReportJob.objects.filter(requested_by=viewer).count() == quota
    # and a repeated key still returns its job (it creates nothing)
    assert post("a").status_code == 202


def test_the_command_line_has_no_quota(binub, quota):
    for fmt in ("pdf", "xlsx", "pdf", "xlsx"):
        services.report_job_request(
            kind="portfolio", by=None, formats=[fmt], idempotency_key=f"{fmt}-{id(object())}"
        )
    assert ReportJob.objects.count() == 4


def test_the_quota_error_says_when_to_ask_again(viewer, binub, quota):
    for key in "abc":
        services.report_job_request(
            kind="mission", by=viewer, mission=binub, formats=["pdf"], idempotency_key=key
        )
    with pytest.raises(ReportQuotaExceeded) as refused:
        services.report_job_request(
            kind="mission", by=viewer, mission=binub, formats=["pdf"], idempotency_key="d"
        )
    assert 590 <= refused.value.retry_after <= 601


def test_two_active_jobs_for_one_request_digest_are_refused_by_the_database(viewer, binub):
    job, _ = services.report_job_request(kind="mission", by=viewer, mission=binub, formats=["pdf"])
    assert job.request_digest
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportJob.objects.create(
            kind="mission",
            mission=binub,
            formats=["pdf"],
            requested_by=viewer,
            idempotency_key="another",
            request_digest=job.request_digest,
        )
    # once the first job is finished, the same request makes a new job
    ReportJob.objects.filter(pk=job.pk).update(state="succeeded")
    again, created = services.report_job_request(
        kind="mission", by=viewer, mission=binub, formats=["pdf"]
    )
    assert created
    assert again.pk != job.pk


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (set DATABASE_URL): SQLite serialises every write",
)
def test_three_simultaneous_identical_requests_make_one_job():
    # given a viewer, committed, as three web processes would see it
    binub = factories.MissionFactory(acronym="BINUB")
    viewer = factories.MembershipFactory(mission=binub, role="viewer").user
    start = threading.Barrier(3)
    results: list[tuple[int, bool]] = []
    errors: list[BaseException] = []

    def request() -> None:
        try:
            start.wait(timeout=10)
            job, created = services.report_job_request(
                kind="mission", by=viewer, mission=binub, formats=["pdf", "xlsx"], dispatch=False
            )
            results.append((job.pk, created))
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    # when three identical requests arrive at once, each on its own database connection
    threads = [threading.Thread(target=request) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    # then they all get the one job, and one of them created it
    assert errors == []
    assert len({pk for pk, _created in results}) == 1
    assert sorted(created for _pk, created in results) == [False, False, True]
    assert ReportJob.objects.count() == 1


def test_a_viewer_report_on_another_missions_draft_stores_no_evaluation(client, viewer, unmis):
    # given UNMIS's latest assessment, a draft nobody evaluated, and a BINUB viewer
    draft = factories.AssessmentFactory(mission=unmis)
    assert draft.current_evaluation_id is None
    # when the viewer asks for UNMIS's mission report and it is built
    job, _ = services.report_job_request(
        kind="mission", by=viewer, mission=unmis, formats=["html"], dispatch=False
    )
    job = services.report_job_run(job_id=job.pk)
    # then the report was produced, says the draft is not evaluated, and stored nothing
    assert job.state == "succeeded", job.error
    draft.refresh_from_db()
    assert draft.current_evaluation_id is None
    assert not Evaluation.objects.exists()
    client.login(username=viewer.username, password=PASSWORD)
    page = client.get(reverse("report-download", args=[job.pk, "html"]))
    assert "Not evaluated yet." in b"".join(page.streaming_content).decode()


def test_a_portfolio_report_stores_no_evaluation_for_latest_drafts(hq_reviewer, binub, unmis):
    for mission in (binub, unmis):
        factories.AssessmentFactory(mission=mission)
    job, _ = services.report_job_request(
        kind="portfolio", by=hq_reviewer, formats=["xlsx"], dispatch=False
    )
    assert services.report_job_run(job_id=job.pk).state == "succeeded"
    assert not Evaluation.objects.exists()
