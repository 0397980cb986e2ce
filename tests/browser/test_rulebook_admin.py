"""In Chromium: an admin publishes a rulebook through the preview and a confirmation, then
re-evaluates with a progress bar; until then, every reader sees "answers out of date"."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from assessments import services
from assessments.models import ReevaluationJob
from assessments.reevaluation_jobs import reevaluation_job_run
from integration.models import Rulebook
from integration.services import rulebook_create, rulebook_publish
from tests import factories
from tests.browser.pages import sign_in, switch_to_french
from tests.decision.test_rulebooks import STRICTER


@pytest.fixture
def binub_evaluated(transactional_db):
    binub = factories.MissionFactory(acronym="BINUB", name="UN Integrated Office in Burundi")
    planner = factories.MembershipFactory(mission=binub, user__username="binub-planner").user
    assessment = factories.AssessmentFactory(mission=binub, created_by=planner)
    services.assessment_evaluate(assessment_id=assessment.pk)
    factories.UserFactory(username="admin", is_staff=True, is_superuser=True)
    return assessment


@pytest.fixture
def no_dispatch(monkeypatch):
    """The live server queues jobs without a broker; the test plays the worker."""
    monkeypatch.setattr(
        "assessments.reevaluation_jobs.reevaluation_job_dispatch", lambda *, job_id: True
    )


@pytest.mark.django_db(transaction=True)
def test_an_admin_publishes_through_preview_and_confirmation_then_follows_reevaluation(
    live_server, browser, binub_evaluated, no_dispatch
):
    # given a draft rulebook beside the published one
    rulebook_create(content=STRICTER)
    page = sign_in(browser, live_server.url, "admin")
    page.goto(f"{live_server.url}/admin/integration/rulebook/")
    # when the admin picks the draft by its version and previews it
    page.get_by_role("link", name="2009.2", exact=True).click()
    page.get_by_role("link", name="Preview changes and publish").click()
    # then the changes read as labels, each with links to the mission and its matrix
    changes = page.locator("#preview-changes")
    expect(changes.get_by_role("link", name="BINUB").first).to_be_visible()
    expect(changes.get_by_role("cell", name="Programmatic").first).to_be_visible()
    expect(changes).not_to_contain_text("partial/")
    matrix = changes.get_by_role("link", name=f"Recommendations #{binub_evaluated.pk}").first
    assert matrix.get_attribute("href") == (f"/assessments/{binub_evaluated.pk}/recommendations/")
    # when they publish, they are asked first
    page.get_by_role("link", name="Publish this rulebook…").click()
    expect(page.locator("#publish-confirm")).to_contain_text("is retired")
    assert Rulebook.objects.get(version="2009.2").status == "draft"
    page.get_by_role("button", name="Yes, publish 2009.2").click()
    # then re-evaluation is offered, and followed with a progress bar
    expect(page.locator("#reevaluate")).to_contain_text("1 of 1 evaluated assessments")
    page.get_by_role("button", name="Re-evaluate every assessment under 2009.2").click()
    bar = page.locator("#reevaluation-progress")
    expect(bar).to_have_js_property("value", 0)
    job = ReevaluationJob.objects.get()
    ReevaluationJob.objects.filter(pk=job.pk).update(state="running", total=4, done=2)
    expect(bar).to_have_js_property("value", 50)
    expect(page.locator("#reevaluation-count")).to_have_text("2 of 4 assessments")
    ReevaluationJob.objects.filter(pk=job.pk).update(state="queued", total=1, done=0)
    reevaluation_job_run(job_id=job.pk)
    expect(page.locator("#reevaluation-result")).to_contain_text(
        "1 assessments re-evaluated; the answers of 1 changed."
    )
    expect(page.locator("#reevaluation-state")).to_have_text("Succeeded")


@pytest.mark.django_db(transaction=True)
def test_answers_under_a_retired_rulebook_read_out_of_date_in_french(
    live_server, browser, binub_evaluated
):
    # given BINUB answered under a rulebook since retired
    rulebook_publish(rulebook_id=rulebook_create(content=STRICTER).pk)
    page = sign_in(browser, live_server.url, "binub-planner")
    switch_to_french(page)
    # when its planner reads the mission in French
    page.get_by_role("link", name="BINUB").first.click()
    # then the assessment is marked, and its matrix says why and what to do
    expect(page.locator(".tag-out-of-date")).to_have_text("réponses périmées")
    page.goto(f"{live_server.url}/assessments/{binub_evaluated.pk}/recommendations/")
    notice = page.locator(".notice.out-of-date")
    expect(notice).to_contain_text("Réponses périmées")
    expect(notice).to_contain_text("n'est plus le recueil en vigueur")
    # and once recomputed under the published rulebook, the notice is gone
    page.get_by_role("button", name="Recalculer les recommandations").click()
    expect(page.locator("table#recommendation-matrix")).to_be_visible()
    expect(page.locator(".notice.out-of-date")).to_have_count(0)
