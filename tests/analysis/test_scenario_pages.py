"""The scenario pages (issue 13): who may write scenarios, and creating, editing, deleting and
applying one, as a planner does it in the browser (forms posted as the page filled them)."""

from __future__ import annotations

import html

import pytest
from django.test import Client
from django.urls import reverse

from assessments import scenario_services
from assessments.models import Assessment, HistoryEntry
from assessments.scenario_models import Scenario
from integration.models import Rulebook
from integration.services import rulebook_default_ensure
from tests.analysis.conftest import XSS, scenario_form_data

pytestmark = pytest.mark.django_db


def _write_requests(assessment, scenario) -> list[tuple[str, str, dict | None]]:
    args = [assessment.pk, scenario.pk]
    lever = reverse("scenario-from-lever", args=[assessment.pk])
    return [
        ("get", reverse("scenario-create", args=[assessment.pk]), None),
        ("post", reverse("scenario-create", args=[assessment.pk]), {"context-name": "X"}),
        ("get", reverse("scenario-edit", args=args), None),
        ("post", reverse("scenario-edit", args=args), {"context-name": "X"}),
        ("get", reverse("scenario-delete", args=args), None),
        ("post", reverse("scenario-delete", args=args), {"version": "1"}),
        ("get", reverse("scenario-apply", args=args), None),
        ("post", reverse("scenario-apply", args=args), {"version": "1"}),
        ("post", lever, {"lever": "0", "condition": "x"}),
    ]


def _call(client: Client, method: str, url: str, data):
    return getattr(client, method)(url, data) if data is not None else client.get(url)


def test_planners_of_other_missions_viewers_and_hq_reviewers_may_not_write_scenarios(
    client, login, unmis_planner, viewer, hq_reviewer, draft, scenario
):
    for user in (unmis_planner, viewer, hq_reviewer):
        login(user)
        for method, url, data in _write_requests(draft, scenario):
            assert _call(client, method, url, data).status_code == 403, (user.username, url)
        client.logout()
    # nothing was written
    scenario.refresh_from_db()
    assert (scenario.version, scenario.name) == (1, "Service agreements")
    assert Scenario.objects.count() == 1
    draft.refresh_from_db()
    assert (draft.version, draft.agency_service_agreements) == (1, False)


def test_anonymous_users_are_sent_to_login_from_every_scenario_page(client, draft, scenario):
    compare = ("get", reverse("scenario-compare", args=[draft.pk]), None)
    for method, url, data in [*_write_requests(draft, scenario), compare]:
        response = _call(client, method, url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url
    assert Scenario.objects.count() == 1


def test_the_missions_planners_and_admins_open_every_scenario_page(
    client, login, binub_planner, admin_user, draft, scenario
):
    for user in (binub_planner, admin_user):
        login(user)
        for method, url, _data in _write_requests(draft, scenario):
            if method == "get":
                assert client.get(url).status_code == 200, (user.username, url)
        client.logout()


def test_scenarios_of_a_submitted_assessment_are_read_only_for_its_planners(
    client, login, binub_planner, draft, scenario
):
    Assessment.objects.filter(pk=draft.pk).update(status="submitted")
    login(binub_planner)
    for method, url, data in _write_requests(draft, scenario):
        assert _call(client, method, url, data).status_code == 403, url
    page = client.get(reverse("assessment-detail", args=[draft.pk])).content.decode()
    assert "Service agreements" in page
    assert "New scenario" not in page


@pytest.mark.parametrize("page", ["assessment-detail", "assessment-recommendations"])
def test_both_pages_list_the_scenarios_with_buttons_for_the_missions_planners_only(
    client, login, binub_planner, unmis_planner, viewer, hq_reviewer, admin_user, draft, page
):
    rulebook_default_ensure()  # as after the first evaluation: the section names its version
    url = reverse(page, args=[draft.pk])
    for user, buttons in (
        (binub_planner, True),
        (admin_user, True),
        (unmis_planner, False),
        (viewer, False),
        (hq_reviewer, False),
    ):
        login(user)
        section = client.get(url).content.decode().split('id="scenarios"')[1]
        section = section.split("</section>")[0]
        # everyone reads the name, note, number of changes and the rulebook's version
        assert '<th scope="row">Service agreements</th>' in section, user.username
        assert "Ask the Fifth Committee" in section
        assert "<td>1</td>" in section
        assert "2008.1" in section
        assert "Compare" in section
        for button in ("New scenario", "Apply to draft", ">Edit<", ">Delete<"):
            assert (button in section) is buttons, (user.username, button)
        client.logout()


def test_a_planner_creates_a_scenario_that_keeps_only_the_changed_facts(
    client, login, binub_planner, draft
):
    login(binub_planner)
    data = scenario_form_data(
        draft,
        context__name="Common services",
        context__note="Shared premises",
        context__common_services=False,
        ddr__funding_source="voluntary_pledged",
    )
    response = client.post(reverse("scenario-create", args=[draft.pk]), data)

    created = Scenario.objects.get(name="Common services")
    assert response.status_code == 302
    assert response["Location"] == reverse("scenario-compare", args=[draft.pk]) + f"?s={created.pk}"
    assert created.note == "Shared premises"
    assert created.changes == {
        "context": {"common_services": False},
        "functions": {"ddr": {"funding_source": "voluntary_pledged"}},
    }
    assert created.created_by == binub_planner
    draft.refresh_from_db()
    assert draft.common_services is True  # the assessment itself is not changed


def test_errors_name_their_field_in_a_summary_and_keep_what_was_typed(
    client, login, binub_planner, draft
):
    login(binub_planner)
    data = scenario_form_data(
        draft, context__name="", context__phase="nonsense", context__note="kept note"
    )
    response = client.post(reverse("scenario-create", args=[draft.pk]), data)

    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    summary = page.split('id="error-summary"')[1].split("</div>")[0]
    assert '<a href="#id_context-name">Name: This field is required.</a>' in summary
    assert '<a href="#id_context-phase">Phase' in summary
    assert "nonsense" in summary
    assert "kept note</textarea>" in page
    assert not Scenario.objects.filter(note="kept note").exists()


def test_the_edit_page_shows_the_assessments_facts_with_the_scenarios_changes(
    client, login, binub_planner, draft, scenario
):
    login(binub_planner)
    page = client.get(reverse("scenario-edit", args=[draft.pk, scenario.pk])).content.decode()
    field = page.split('id="field-context-agency_service_agreements"')[1].split("</div>")[0]
    assert "checked" in field
    assert "Changed in this scenario; the assessment holds: no" in page
    assert "1 change: Agency service agreements permitted" in page
    assert 'name="context-version" value="1"' in page


def test_a_planner_edits_a_scenario(client, login, binub_planner, draft, scenario):
    login(binub_planner)
    data = scenario_form_data(draft, scenario, context__name="Renamed", context__pooled_fund=False)
    response = client.post(reverse("scenario-edit", args=[draft.pk, scenario.pk]), data)

    assert response.status_code == 302
    scenario.refresh_from_db()
    assert (scenario.name, scenario.version) == ("Renamed", 2)
    assert scenario.changes["context"] == {"agency_service_agreements": True, "pooled_fund": False}


def test_a_stale_edit_shows_both_versions_and_keeps_what_was_typed(
    client, login, binub_planner, draft, scenario
):
    # given a planner who opened the edit page at version 1
    login(binub_planner)
    data = scenario_form_data(draft, scenario, context__name="Mine", context__note="my note")
    data["base"] = client.get(reverse("scenario-edit", args=[draft.pk, scenario.pk])).context[
        "base"
    ]
    # when someone else saves version 2 first
    scenario_services.scenario_update(
        scenario_id=scenario.pk,
        by=binub_planner,
        expected_version=1,
        name="Theirs",
        note="Ask the Fifth Committee",
        changes={"context": {"agency_service_agreements": True, "common_services": False}},
    )
    response = client.post(reverse("scenario-edit", args=[draft.pk, scenario.pk]), data)

    # then nothing is overwritten; the page shows both and the merge to save against version 2
    assert response.status_code == 409
    page = html.unescape(response.content.decode())
    assert "Someone else saved this scenario while you were editing" in page
    table = page.split('class="table conflict-table"')[1].split("</table>")[0]
    assert "Theirs" in table
    assert "Mine" in table
    assert 'value="Mine"' in page  # the typed name is in the form
    assert "my note</textarea>" in page
    assert 'name="context-version" value="2"' in page
    # the other person's change of a fact I did not touch is merged in
    field = page.split('id="field-context-common_services"')[1].split("</div>")[0]
    assert "checked" not in field
    scenario.refresh_from_db()
    assert (scenario.name, scenario.version) == ("Theirs", 2)


def test_delete_asks_first_and_only_a_post_deletes(client, login, binub_planner, draft, scenario):
    login(binub_planner)
    url = reverse("scenario-delete", args=[draft.pk, scenario.pk])
    page = client.get(url).content.decode()
    assert "Delete scenario “Service agreements”?" in page
    assert Scenario.objects.filter(pk=scenario.pk).exists()

    response = client.post(url, {"version": "1"})
    assert response.status_code == 302
    assert not Scenario.objects.filter(pk=scenario.pk).exists()


def test_apply_lists_the_changes_then_copies_them_into_the_draft_with_a_history_entry(
    client, login, binub_planner, draft, scenario
):
    login(binub_planner)
    url = reverse("scenario-apply", args=[draft.pk, scenario.pk])
    page = html.unescape(client.get(url).content.decode())
    row = page.split('class="table scenario-changes"')[1].split("</table>")[0]
    assert '<th scope="row">Agency service agreements permitted</th><td>no</td>' in row
    assert "<strong>yes</strong>" in row

    assert 'name="scenario_version" value="1"' in page
    response = client.post(url, {"version": "1", "scenario_version": "1"}, follow=True)

    assert "applied to the draft" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.agency_service_agreements, draft.version) == (True, 2)
    entry = HistoryEntry.objects.get(assessment=draft, action="scenario_applied")
    assert entry.changes["agency_service_agreements"] == [False, True]
    assert entry.changes["scenario"] == "Service agreements"
    assert entry.actor == binub_planner
    # the history page names the scenario beside the facts it changed
    url = reverse("assessment-history", args=[draft.pk])
    history = html.unescape(client.get(url).content.decode())
    assert "<strong>Scenario applied</strong>: Service agreements" in history
    assert "<strong>Agency service agreements permitted</strong>: <del>No</del>" in history


def test_apply_against_a_stale_assessment_changes_nothing_and_says_so(
    client, login, binub_planner, draft, scenario
):
    login(binub_planner)
    Assessment.objects.filter(pk=draft.pk).update(version=5)
    response = client.post(
        reverse("scenario-apply", args=[draft.pk, scenario.pk]),
        {"version": "1", "scenario_version": "1"},
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved the assessment since you opened this page" in page
    assert 'name="version" value="5"' in page
    draft.refresh_from_db()
    assert draft.agency_service_agreements is False
    assert not HistoryEntry.objects.filter(assessment=draft, action="scenario_applied").exists()


def test_apply_of_a_scenario_changed_since_the_page_applies_nothing_and_shows_its_changes(
    client, login, binub_planner, draft, scenario
):
    """The confirmation listed version 1's changes; another planner saved version 2 meanwhile:
    applying must not copy changes the planner was never shown."""
    login(binub_planner)
    url = reverse("scenario-apply", args=[draft.pk, scenario.pk])
    assert 'name="scenario_version" value="1"' in client.get(url).content.decode()
    scenario_services.scenario_update(
        scenario_id=scenario.pk,
        by=binub_planner,
        expected_version=1,
        name=scenario.name,
        note=scenario.note,
        changes={"context": {"agency_service_agreements": True, "phase": "transition"}},
    )

    response = client.post(url, {"version": "1", "scenario_version": "1"})

    assert response.status_code == 409
    page = html.unescape(response.content.decode())
    assert "Someone else changed this scenario since you opened this page" in page
    assert 'name="scenario_version" value="2"' in page
    assert "Phase" in page.split('class="table scenario-changes"')[1].split("</table>")[0]
    draft.refresh_from_db()
    assert (draft.agency_service_agreements, draft.version) == (False, 1)
    assert not HistoryEntry.objects.filter(assessment=draft, action="scenario_applied").exists()


def test_scenario_names_and_notes_render_escaped(client, login, viewer, binub_planner, draft):
    scenario_services.scenario_create(
        assessment_id=draft.pk, by=binub_planner, name=XSS, note=XSS, changes={}
    )
    login(viewer)
    for url in (
        reverse("assessment-detail", args=[draft.pk]),
        reverse("scenario-compare", args=[draft.pk]) + "?s=" + str(Scenario.objects.last().pk),
    ):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page, url
        assert "&lt;script&gt;" in page, url


def test_the_section_writes_nothing_before_a_rulebook_is_published(login, viewer, draft):
    # given a fresh install: scenarios, but no rulebook published yet
    assert not Rulebook.objects.exists()
    # when the assessment page lists them, then it says which rulebook will be used and its
    # GET publishes nothing
    page = login(viewer).get(reverse("assessment-detail", args=[draft.pk])).content.decode()
    section = page.split('id="scenarios"')[1].split("</section>")[0]
    assert "the default one, published with the first evaluation" in section
    assert not Rulebook.objects.exists()
