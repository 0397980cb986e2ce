"""A report job's page in a real browser: the progress bar follows the job, then downloads."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from reports import services
from reports.files import report_file_write
from reports.models import ReportJob
from tests import factories
from tests.factories import PASSWORD


@pytest.mark.django_db(transaction=True)
def test_the_progress_bar_follows_the_job_and_the_downloads_appear(
    live_server, browser, settings, tmp_path
):
    # given a running mission report, and its requester on the job's page
    settings.REPORTS_ROOT = tmp_path / "reports"
    reviewer = factories.hq_reviewer_create(username="hq-reviewer")
    mission = factories.MissionFactory(acronym="BINUB", name="UN Integrated Office in Burundi")
    job, _ = services.report_job_request(
        kind="mission", by=reviewer, mission=mission, formats=["pdf"], dispatch=False
    )
    ReportJob.objects.filter(pk=job.pk).update(state="running", progress=10)
    page = browser.new_context(locale="en-GB").new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("hq-reviewer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Missions")).to_be_visible()
    page.goto(f"{live_server.url}/reports/{job.pk}/")
    bar = page.locator("#report-progress")
    expect(bar).to_have_js_property("value", 10)
    page.evaluate("window.notReloaded = true")

    # when the worker records progress
    ReportJob.objects.filter(pk=job.pk).update(progress=60)
    # then the bar moves, without reloading the page
    expect(bar).to_have_js_property("value", 60)
    expect(page.locator("#report-percent")).to_have_text("60%")
    assert page.evaluate("window.notReloaded") is True
    assert not page.get_by_role("link", name="Download PDF").count()

    # when the report succeeds with its file
    relative = report_file_write(
        job_id=job.pk, name="mission-binub-2007-04-26.pdf", content=b"%PDF-1.7 test"
    )
    ReportJob.objects.filter(pk=job.pk).update(
        state="succeeded", progress=100, files={"pdf": relative}
    )
    # then the page shows it succeeded, with the download link
    download = page.get_by_role("link", name="Download PDF")
    expect(download).to_be_visible()
    expect(page.locator("#report-state")).to_have_text("Succeeded")
    expect(bar).to_have_js_property("value", 100)
    assert download.get_attribute("href") == f"/reports/{job.pk}/download/pdf/"
