"""Report pages and API: request, follow, download, retry; who may; how many queries."""

from __future__ import annotations

import socket
import threading

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from integration.api.tokens import api_token_create
from reports import services
from reports.models import ReportJob
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, viewer):
    client.login(username=viewer.username, password=PASSWORD)
    return client


def _finished_job(user, mission, formats=("pdf",)):
    job, _ = services.report_job_request(
        kind="mission", by=user, mission=mission, formats=list(formats), dispatch=False
    )
    return services.report_job_run(job_id=job.pk)


def test_the_mission_page_offers_a_report_with_a_fresh_idempotency_key(signed_in, binub):
    page = signed_in.get(reverse("mission-detail", args=["BINUB"])).content.decode()
    assert reverse("report-request") in page
    assert 'name="idempotency_key"' in page
    assert 'value="BINUB"' in page


def test_a_double_click_on_request_makes_one_job(signed_in, binub, broker):
    # given the same form posted twice (one key per page view)
    form = {"kind": "mission", "mission": "BINUB", "formats": ["pdf"], "idempotency_key": "k"}
    first = signed_in.post(reverse("report-request"), form)
    second = signed_in.post(reverse("report-request"), form)
    # then both land on the same job's page
    job = ReportJob.objects.get()
    assert first["Location"] == second["Location"] == reverse("report-page", args=[job.pk])
    assert job.requested_by.username == "binub-viewer"
    assert job.parameters == {"language": "en", "mission": "BINUB"}


def test_a_request_for_an_unknown_mission_is_a_404(signed_in, broker):
    form = {"kind": "mission", "mission": "NOPE", "formats": ["pdf"]}
    assert signed_in.post(reverse("report-request"), form).status_code == 404


def test_a_request_without_a_format_says_so(signed_in, broker):
    response = signed_in.post(reverse("report-request"), {"kind": "portfolio"}, follow=True)
    assert "Choose formats among" in response.content.decode()
    assert not ReportJob.objects.exists()


def test_a_running_job_shows_a_progress_bar_that_refreshes(signed_in, viewer, binub):
    job, _ = services.report_job_request(
        kind="mission", by=viewer, mission=binub, formats=["pdf"], dispatch=False
    )
    ReportJob.objects.filter(pk=job.pk).update(state="running", progress=40)
    page = signed_in.get(reverse("report-page", args=[job.pk])).content.decode()
    assert '<progress id="report-progress" max="100" value="40"' in page
    assert 'http-equiv="refresh"' in page  # the fallback without JavaScript
    assert "reports/progress.js" in page
    status = signed_in.get(reverse("report-status", args=[job.pk])).json()
    assert status["state"] == "running"
    assert status["progress"] == 40
    assert status["files"] == {}


def test_a_finished_job_offers_its_downloads(signed_in, viewer, monuc_assessment):
    job = _finished_job(viewer, monuc_assessment.mission, formats=("pdf", "html"))
    page = signed_in.get(reverse("report-page", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' not in page
    pdf_url = reverse("report-download", args=[job.pk, "pdf"])
    assert pdf_url in page
    response = signed_in.get(pdf_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    html = signed_in.get(reverse("report-download", args=[job.pk, "html"]))
    assert "sandbox" in html["Content-Security-Policy"]


def test_downloads_need_a_signed_in_user_and_an_existing_file(client, viewer, monuc_assessment):
    job = _finished_job(viewer, monuc_assessment.mission)
    url = reverse("report-download", args=[job.pk, "pdf"])
    # anonymous: to the login page
    assert client.get(url)["Location"].startswith(reverse("login"))
    client.login(username=viewer.username, password=PASSWORD)
    # a format the job did not produce, or an unknown job: 404
    assert client.get(reverse("report-download", args=[job.pk, "xlsx"])).status_code == 404
    assert client.get(reverse("report-download", args=[job.pk + 99, "pdf"])).status_code == 404


def test_report_files_are_not_under_a_public_url(settings):
    assert not str(settings.REPORTS_ROOT).startswith(str(settings.STATIC_ROOT))
    assert settings.MEDIA_URL not in reverse("report-download", args=[1, "pdf"])


def test_a_failed_job_says_why_and_can_be_retried(
    signed_in, viewer, binub, broker, django_capture_on_commit_callbacks
):
    # given a job that failed
    job, _ = services.report_job_request(
        kind="mission", by=viewer, mission=binub, formats=["pdf"], dispatch=False
    )
    ReportJob.objects.filter(pk=job.pk).update(
        state="failed", attempts=3, error="Attempt 3 of 3 failed: <b>disk full</b>"
    )
    # then its page shows the reason, escaped, and a retry button
    page = signed_in.get(reverse("report-page", args=[job.pk])).content.decode()
    assert "Attempt 3 of 3 failed: &lt;b&gt;disk full&lt;/b&gt;" in page
    assert reverse("report-retry", args=[job.pk]) in page
    # when the user retries
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(reverse("report-retry", args=[job.pk]))
    # then the job is queued again with a fresh budget and dispatched
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("queued", 0)
    assert job.dispatched_at is not None


def test_the_reports_page_lists_past_reports_with_who_and_when(signed_in, viewer, hq_reviewer):
    services.report_job_request(kind="portfolio", by=hq_reviewer, formats=["pdf"], dispatch=False)
    page = signed_in.get(reverse("reports")).content.decode()
    assert "hq-reviewer" in page
    assert "Portfolio report" in page
    assert "Request portfolio report" in page


def _list_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_reports_page_makes_the_same_queries_for_1_and_20_reports(signed_in, hq_reviewer):
    # session, user, jobs with mission and requester (one join): flat in the number of jobs
    services.report_job_request(kind="portfolio", by=hq_reviewer, formats=["pdf"], dispatch=False)
    one = _list_queries(signed_in, reverse("reports"))
    for number in range(19):
        mission = factories.MissionFactory(acronym=f"M{number}")
        user = factories.UserFactory(username=f"u{number}")
        services.report_job_request(kind="mission", by=user, mission=mission, formats=["pdf"])
    assert _list_queries(signed_in, reverse("reports")) == one == 3


def test_the_mission_page_report_block_makes_the_same_queries_for_1_and_5_reports(
    signed_in, viewer, binub
):
    services.report_job_request(kind="mission", by=viewer, mission=binub, formats=["pdf"])
    url = reverse("mission-detail", args=["BINUB"])
    one = _list_queries(signed_in, url)
    for fmt in ("html", "xlsx", ["pdf", "xlsx"], ["pdf", "html"]):
        services.report_job_request(
            kind="mission", by=viewer, mission=binub, formats=[fmt] if isinstance(fmt, str) else fmt
        )
    assert _list_queries(signed_in, url) == one


# --- API ------------------------------------------------------------------------------------


def test_posting_a_report_answers_202_with_the_job(signed_in, binub, broker):
    response = signed_in.post(
        "/api/v1/reports/",
        {"kind": "mission", "mission": "BINUB", "formats": ["pdf", "xlsx"]},
        content_type="application/json",
    )
    assert response.status_code == 202
    body = response.json()
    assert body["state"] == "queued"
    assert body["progress"] == 0
    assert body["mission"] == "BINUB"
    assert body["formats"] == ["pdf", "xlsx"]
    assert body["requested_by"] == "binub-viewer"
    assert body["files"] == []


def test_a_retried_post_with_the_same_idempotency_key_returns_the_same_job(
    signed_in, binub, broker
):
    body = {"kind": "portfolio", "formats": ["pdf"]}
    first = signed_in.post(
        "/api/v1/reports/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="r-1"
    )
    second = signed_in.post(
        "/api/v1/reports/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="r-1"
    )
    assert first.status_code == second.status_code == 202
    assert first.json()["id"] == second.json()["id"]
    assert ReportJob.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "mission", "mission": "NOPE", "formats": ["pdf"]}, "mission"),
        ({"kind": "mission", "formats": ["pdf"]}, "non_field_errors"),
        ({"kind": "portfolio", "formats": ["html"]}, "non_field_errors"),
        ({"kind": "portfolio", "formats": ["docx"]}, "formats[0]"),
        ({"kind": "weekly", "formats": ["pdf"]}, "kind"),
    ],
)
def test_a_bad_report_request_is_a_400_naming_the_field(signed_in, binub, body, field):
    response = signed_in.post("/api/v1/reports/", body, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_a_finished_job_lists_download_urls_that_serve_its_files(
    signed_in, viewer, monuc_assessment
):
    job = _finished_job(viewer, monuc_assessment.mission, formats=("pdf", "xlsx"))
    body = signed_in.get(f"/api/v1/reports/{job.pk}/").json()
    assert body["state"] == "succeeded"
    assert body["progress"] == 100
    urls = {item["format"]: item["url"] for item in body["files"]}
    assert set(urls) == {"pdf", "xlsx"}
    xlsx = signed_in.get(urls["xlsx"])
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert signed_in.get(f"/api/v1/reports/{job.pk}/files/html/").status_code == 404


def test_the_report_api_needs_credentials_and_a_write_token_to_post(client, viewer, binub):
    assert client.get("/api/v1/reports/").status_code == 401
    read = api_token_create(user=viewer, name="r", scope="read").secret
    auth = {"HTTP_AUTHORIZATION": f"Bearer {read}"}
    assert client.get("/api/v1/reports/", **auth).status_code == 200
    response = client.post(
        "/api/v1/reports/",
        {"kind": "portfolio", "formats": ["pdf"]},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 403


def test_the_report_api_list_makes_the_same_queries_for_1_and_10_reports(signed_in, hq_reviewer):
    # session, user, count, page of jobs with mission and requester
    services.report_job_request(kind="portfolio", by=hq_reviewer, formats=["pdf"], dispatch=False)
    one = _list_queries(signed_in, "/api/v1/reports/")
    for number in range(9):
        mission = factories.MissionFactory(acronym=f"A{number}")
        services.report_job_request(
            kind="mission", by=hq_reviewer, mission=mission, formats=["pdf"]
        )
    assert _list_queries(signed_in, "/api/v1/reports/") == one == 4


def test_a_token_post_is_accepted_while_the_throttle_cache_is_down(
    client, viewer, binub, broker_down, settings, caplog
):
    # given the throttle counters on a Redis that refuses connections (as when it is down)
    settings.CACHES = {
        **settings.CACHES,
        "throttle": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        },
    }
    secret = api_token_create(user=viewer, name="w", scope="write").secret
    # when a report is requested with the token
    response = client.post(
        "/api/v1/reports/",
        {"kind": "portfolio", "formats": ["pdf"]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    # then the throttle lets it through with a warning, and the job waits for the broker
    assert response.status_code == 202
    assert "cache unavailable, request allowed" in caplog.text
    job = ReportJob.objects.get()
    assert (job.state, job.dispatched_at) == ("queued", None)


def test_a_mission_report_can_be_asked_about_an_earlier_assessment(
    signed_in, viewer, monuc_assessment, broker
):
    # given MONUC's 2007 assessment and a newer one
    factories.AssessmentFactory(
        mission=monuc_assessment.mission, as_of=monuc_assessment.as_of.replace(year=2008)
    )
    # when a report about the 2007 one is requested
    response = signed_in.post(
        "/api/v1/reports/",
        {
            "kind": "mission",
            "mission": "MONUC",
            "formats": ["html"],
            "assessment": monuc_assessment.pk,
        },
        content_type="application/json",
    )
    # then the job names it, and the report is about it
    assert response.status_code == 202
    job = ReportJob.objects.get()
    assert job.parameters == {"assessment": monuc_assessment.pk, "mission": "MONUC"}
    job = services.report_job_run(job_id=job.pk)
    assert job.files == {"html": f"{job.pk}/mission-monuc-2007-04-26.html"}


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "mission", "mission": "BINUB", "formats": ["pdf"]},  # MONUC's assessment
        {"kind": "mission", "mission": "MONUC", "formats": ["pdf"], "assessment_offset": 999},
        {"kind": "portfolio", "formats": ["pdf"]},
    ],
)
def test_an_assessment_of_another_mission_is_refused_naming_the_field(
    signed_in, binub, monuc_assessment, broker, body
):
    body = dict(body)
    body["assessment"] = monuc_assessment.pk + body.pop("assessment_offset", 0)
    response = signed_in.post("/api/v1/reports/", body, content_type="application/json")
    assert response.status_code == 400
    assert "assessment" in response.json()["errors"]
    assert not ReportJob.objects.exists()


@pytest.fixture
def silent_redis():
    """A server that accepts connections and never answers (a hung or partitioned Redis)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    accepted = []

    def accept():
        while True:
            try:
                accepted.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    server.close()
    for peer in accepted:
        peer.close()


@pytest.mark.django_db(transaction=True)  # the request runs in a thread, on its own connection
def test_a_token_request_is_answered_while_the_throttle_cache_hangs(
    client, viewer, silent_redis, settings, caplog
):
    # given the throttle counters on a Redis that takes connections but never answers, with
    # the production cache options
    settings.CACHES = {
        **settings.CACHES,
        "throttle": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": silent_redis,
            "OPTIONS": settings.THROTTLE_CACHE_OPTIONS,
        },
    }
    secret = api_token_create(user=viewer, name="r", scope="read").secret
    answered = {}

    def call():
        try:
            answered["response"] = client.get(
                "/api/v1/functions/", HTTP_AUTHORIZATION=f"Bearer {secret}"
            )
        finally:
            connections.close_all()

    # when a token request comes in (in a thread, so a hang fails the test, not the suite)
    caller = threading.Thread(target=call, daemon=True)
    caller.start()
    caller.join(timeout=30)
    # then the throttle gives up on the cache and the request is answered
    assert not caller.is_alive(), "the request hung on the silent cache"
    assert answered["response"].status_code == 200
    assert "cache unavailable, request allowed" in caplog.text
