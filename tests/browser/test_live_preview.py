"""In a real browser: the edit page previews the recommendations for the facts as typed, with
JavaScript (htmx, as the planner changes a fact) and without (the Preview button), and saves
nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from assessments import services
from assessments.models import Assessment, Evaluation, FunctionAssessment, HistoryEntry
from tests import factories
from tests.browser.pages import sign_in

MOVED = "#preview-matrix td.cell.moved"


@pytest.fixture
def binub_evaluated(transactional_db):
    binub = factories.MissionFactory(acronym="BINUB", name="UN Integrated Office in Burundi")
    planner = factories.MembershipFactory(mission=binub, user__username="binub-planner").user
    assessment = factories.AssessmentFactory(mission=binub, created_by=planner)
    services.assessment_evaluate(assessment_id=assessment.pk)
    return assessment


def _rows(assessment: Assessment):
    """The assessment's rows as stored, updated timestamps included."""
    return (
        Assessment.objects.values().get(pk=assessment.pk),
        list(FunctionAssessment.objects.filter(assessment=assessment).order_by("pk").values()),
        HistoryEntry.objects.filter(assessment=assessment).count(),
        Evaluation.objects.filter(assessment=assessment).count(),
    )


def _moved(page: Page) -> dict[tuple[str, str], str]:
    """{(function, level): the cell's text} of every moved cell of the preview matrix."""
    return {
        (cell.get_attribute("data-function"), cell.get_attribute("data-level")): " ".join(
            cell.inner_text().split()
        )
        for cell in page.locator(MOVED).all()
    }


@pytest.mark.django_db(transaction=True)
def test_the_edit_page_previews_a_change_as_the_planner_makes_it(
    live_server, browser, binub_evaluated
):
    # given a planner on the edit page of an evaluated draft, nothing moved yet
    before = _rows(binub_evaluated)
    page = sign_in(browser, live_server.url, "binub-planner")
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    edit_url = f"{live_server.url}/assessments/{binub_evaluated.pk}/edit/"
    page.goto(edit_url)
    expect(page.locator("#preview-matrix")).to_be_visible()
    expect(page.locator(MOVED)).to_have_count(0)

    # when they change the force posture to open combat, and save nothing
    page.locator("#id_context-force_posture").select_option("open_combat")

    # then the matrix changes and marks the moved cells with what they were
    ddr = page.locator('#preview-matrix td.moved[data-function="ddr"][data-level="programmatic"]')
    expect(ddr).to_contain_text("Full →")
    expect(ddr).to_contain_text("Parallel")
    expect(ddr).to_contain_text("feasible: Partial → Parallel")
    expect(page.locator(".preview-summary")).to_contain_text("differ from the recommendations")
    with_javascript = _moved(page)
    assert len(with_javascript) > 1
    # and nothing was written: the rows, their updated timestamps, history and evaluations
    assert _rows(binub_evaluated) == before
    assert violations == []

    # when a value is invalid, the error replaces the matrix
    page.locator("#id_context-drawdown_within_months").fill("999")
    errors = page.locator(".preview-errors")
    expect(errors).to_contain_text("Drawdown within (months)")
    expect(page.locator("#preview-matrix")).to_have_count(0)
    # and once corrected, the matrix is back
    page.locator("#id_context-drawdown_within_months").fill("")
    expect(page.locator(MOVED).first).to_be_visible()
    assert _moved(page) == with_javascript

    # given the same change in a browser without JavaScript, by the Preview button
    plain = sign_in(browser, live_server.url, "binub-planner", java_script_enabled=False)
    plain.goto(edit_url)
    plain.locator("#id_context-force_posture").select_option("open_combat")
    plain.get_by_role("button", name="Preview", exact=True).click()
    # then the page comes back with the form as typed and the same matrix, still unsaved
    expect(plain.locator("#id_context-force_posture")).to_have_value("open_combat")
    expect(plain.locator("#preview-matrix")).to_be_visible()
    assert _moved(plain) == with_javascript
    assert _rows(binub_evaluated) == before

    # and an invalid value shows the form's error beside the field, and no matrix
    plain.locator("#id_context-drawdown_within_months").fill("999")
    plain.get_by_role("button", name="Preview", exact=True).click()
    expect(plain.locator(".preview-errors")).to_contain_text("Drawdown within (months)")
    expect(plain.locator("#preview-matrix")).to_have_count(0)
    expect(plain.locator("#id_context-drawdown_within_months")).to_have_value("999")
    assert _rows(binub_evaluated) == before
